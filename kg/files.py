"""Atomic file output: a failed run never leaves a half-written file behind."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from kg.errors import KgError


def plain_permissions(path: str | os.PathLike, folder: bool = False) -> None:
    """Give a mkstemp/mkdtemp result (0600/0700) the permissions a plain open()/mkdir() would."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, (0o777 if folder else 0o666) & ~umask)


@contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf8") -> Iterator[IO]:
    """Write to a temporary file next to `path`, then rename it over `path` on success."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as e:
        raise KgError(f"cannot write: {e.strerror or e}", str(path)) from None
    if "b" in mode:
        encoding = None
    plain_permissions(tmp)
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline="" if "b" not in mode else None) as f:
            yield f
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(e, OSError):  # a full disk, a folder gone: the user's to fix, no traceback
            raise KgError(f"cannot write: {e.strerror or e}", str(path)) from e
        raise
