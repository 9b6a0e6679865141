"""The one exception type the library raises for bad input or setup; the CLI prints it."""
from __future__ import annotations


class KgError(Exception):
    """A problem the user can fix: says what failed, where, and what to do."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return where + self.message
