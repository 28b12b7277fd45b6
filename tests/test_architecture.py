"""The layers hold (lint-imports), and a deliberate back edge breaks them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter not installed")


def lint(project: Path) -> subprocess.CompletedProcess:
    """Run lint-imports on ``project`` (its pyproject.toml, its traincenter package)."""
    return subprocess.run([str(LINT_IMPORTS), "--no-logo", "--no-cache"], cwd=project,
                          env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=120)


def copy_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "pyproject.toml", project)
    shutil.copytree(ROOT / "traincenter", project / "traincenter",
                    ignore=shutil.ignore_patterns("__pycache__", "static", "translations"))
    return project


def test_the_contracts_hold():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("module", "back_edge", "contract"), [
    ("models/__init__.py", "from ..services import fitness", "Layers"),
    ("rules/scores.py", "import flask", "rules is pure"),
    ("exams/queries.py", "from ..placement import views", "Only the placement area"),
    ("services/progress.py", "from ..exams import queries", "Layers"),
])
def test_a_back_edge_breaks_a_contract(tmp_path, module, back_edge, contract):
    project = copy_project(tmp_path)
    target = project / "traincenter" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{back_edge}  # noqa\n",
                      encoding="utf-8")
    result = lint(project)
    assert result.returncode != 0
    assert contract in result.stdout and "BROKEN" in result.stdout
