"""omegaconf ``create``/``load`` vs confcompose ``create``/``load`` on :mod:`cases_yaml`."""

from __future__ import annotations

from pathlib import Path

import pytest

from .cases_yaml import YAML_CASES
from .harness import TextCase, run_text_case

PARAMS = [pytest.param(c, id=c.id) for c in YAML_CASES]


@pytest.mark.parametrize("case", PARAMS)
def test_yaml_create(case: TextCase, tmp_path: Path) -> None:
    run_text_case(case, tmp_path, via="create")


@pytest.mark.parametrize("case", PARAMS)
def test_yaml_load(case: TextCase, tmp_path: Path) -> None:
    run_text_case(case, tmp_path, via="load")
