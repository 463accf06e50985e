"""The floors of ARCHITECTURE.md hold: `lint-imports` keeps the layers contract in pyproject.toml on
this tree, and breaks it when a lower app imports a higher one (so the contract is not a no-op)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACT = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _lint(tree: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--config", str(tree / "pyproject.toml")], cwd=tree,
                          env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def tree_copy(tmp_path):
    for package in CONTRACT["root_packages"]:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_every_app_is_on_a_floor_of_the_contract():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps <= set(CONTRACT["root_packages"]), apps - set(CONTRACT["root_packages"])
    assert set(CONTRACT["root_packages"]) == set(CONTRACT["contracts"][0]["layers"])


def test_the_tree_keeps_the_layers(tree_copy):
    result = _lint(tree_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(("lower", "higher"), [("participants/roster.py", "analysis.models"),
                                               ("programs/access.py", "recruitment.models"),
                                               ("toolkit/tables.py", "audit.log"),
                                               ("analysis/coding.py", "empathy.checklist")])
def test_an_upward_import_breaks_the_contract(tree_copy, lower, higher):
    module = tree_copy / lower
    module.write_text(module.read_text() + f"\n\ndef _upward():\n    import {higher}  # noqa: F401\n")
    result = _lint(tree_copy)
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout and higher in result.stdout
