"""omegaconf vs confcompose resolution of the interpolations in :mod:`cases_interp`."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from .cases_interp import INTERP_CASES, RESOLVERS
from .harness import TextCase, cc, run_text_case

PARAMS = [pytest.param(c, id=c.id) for c in INTERP_CASES]


@pytest.fixture
def _omegaconf_resolvers() -> Iterator[None]:
    """Register the custom resolvers on OmegaConf's global registry for one test only."""
    from omegaconf import OmegaConf

    for name, fn in RESOLVERS.items():
        OmegaConf.register_new_resolver(name, fn, replace=True)
    yield
    for name in RESOLVERS:
        OmegaConf.clear_resolver(name)


def _register_confcompose_resolvers(case: TextCase) -> None:
    if not any("cc_" in text for text in case.texts):
        return
    register = cc("register_resolver")
    config_error = cc("ConfigError")
    for name, fn in RESOLVERS.items():
        # Already registered (same function) by an earlier test of this process: fine.
        with contextlib.suppress(config_error):
            register(name, fn)


@pytest.mark.usefixtures("_omegaconf_resolvers")
@pytest.mark.parametrize("case", PARAMS)
def test_interpolation(case: TextCase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("CC_DIFF_UNSET_VAR", raising=False)
    run_text_case(case, tmp_path, prepare=lambda: _register_confcompose_resolvers(case))
