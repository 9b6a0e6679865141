"""`output/` in the repository is what the README's quick start produces; stale files fail here."""
from __future__ import annotations

import shlex

import pytest
from click.testing import CliRunner

from kg.cli import main

from conftest import REPO

COMPARED = ("graph.ttl", "graph.nt", "graph.gexf", "graph.svg", "entities.csv", "relations.csv", "evidence.csv")


def quick_start_args() -> list[str]:
    """The arguments of `kg build` in the README's quick start."""
    for line in (REPO / "README.md").read_text(encoding="utf8").splitlines():
        if line.startswith("pip install . && kg build "):
            return shlex.split(line.split("&& kg ", 1)[1])
    raise AssertionError("README has no quick-start line `pip install . && kg build ...`")


@pytest.fixture(scope="module")
def rebuilt(pipeline, tmp_path_factory):
    args = quick_start_args()
    out = tmp_path_factory.mktemp("quick")
    i = args.index("--out")
    assert args[i + 1] == "output"
    args[i + 1] = str(out)
    res = CliRunner().invoke(main, args + ["--quiet"])
    assert res.exit_code == 0, res.output
    return out


@pytest.mark.parametrize("name", COMPARED)
def test_output_folder_is_current(rebuilt, name):
    committed = REPO / "output" / name
    assert committed.exists(), f"output/{name} is missing: run the README quick start"
    assert (rebuilt / name).read_bytes() == committed.read_bytes(), (
        f"output/{name} is stale: regenerate it with the README quick-start command"
    )
