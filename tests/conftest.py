"""Shared fixtures. The shipped pipeline is loaded at most once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLE_PAGE = SHARED / "samples" / "jilin-daily-page.md"
EXAMPLE_PAGE = REPO / "kg" / "examples" / "daily-page.md"


@pytest.fixture(scope="session")
def pipeline():
    from kg.nlp.pipeline import load

    return load()
