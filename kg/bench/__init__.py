"""Benchmarks: scripts that print scores and speeds."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator


def jsonl_records(path: str | Path, expected: str) -> Iterator[tuple[int, dict]]:
    """(line number, record) of each non-blank line of a dev file; bad JSON names file and line."""
    with open(path, encoding="utf8") as f:
        for n, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            try:
                rec = json.loads(raw)
            except ValueError as err:
                raise ValueError(f"{path}:{n}: expected {expected}: {err}") from None
            yield n, rec
