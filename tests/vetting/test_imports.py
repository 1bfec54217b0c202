"""The model's libraries load when a sample is scored, not when the app or the CLI starts."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["tastemaker.app", "tastemaker.cli"])
def test_starting_up_loads_no_model_library(module: str) -> None:
    probe = (
        f"import sys, {module}; "
        "print(sorted(m for m in ('lightgbm', 'sklearn') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"
