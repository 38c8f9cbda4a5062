"""hydra.compose vs confcompose.compose on the trees of :mod:`cases_compose`."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from .cases_compose import COMPOSE_CASES
from .harness import (
    NOT_GIVEN,
    ComposeCase,
    assert_strict_equal,
    cc,
    expect_config_error,
    hydra_compose,
    ref_containers,
    write_tree,
)

PARAMS = [pytest.param(c, id=c.id) for c in COMPOSE_CASES]


def _reference(case: ComposeCase, root: Path) -> tuple[object, object]:
    with warnings.catch_warnings():
        # Hydra warns about a missing _self_ and similar upgrade notes; they are not results.
        warnings.simplefilter("ignore", UserWarning)
        cfg = hydra_compose(root, case.config_name, case.overrides)
        return ref_containers(cfg)


def _confcompose(case: ComposeCase, root: Path, resolve: bool) -> object:
    compose = cc("compose")
    to_container = cc("to_container")
    cfg = compose(str(root), list(case.overrides), config_name=case.config_name)
    return to_container(cfg, resolve=resolve)


@pytest.mark.parametrize("case", PARAMS)
def test_compose(case: ComposeCase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("CC_DIFF_UNSET_VAR", raising=False)
    root = write_tree(tmp_path / "conf", case.files)

    if case.error:
        with pytest.raises(Exception) as ref_exc:  # hydra raises many types
            _reference(case, root)
        if case.ref_match:
            ref_exc.match(case.ref_match)
        expect_config_error(lambda: _confcompose(case, root, resolve=True), case.error_match)
        return

    ref_resolved, ref_unresolved = _reference(case, root)
    if case.expected is not NOT_GIVEN:
        assert_strict_equal(ref_resolved, case.expected, "reference vs hand-written expectation")
    assert_strict_equal(_confcompose(case, root, resolve=True), ref_resolved, "resolve=True")
    if case.unresolved:
        assert_strict_equal(
            _confcompose(case, root, resolve=False), ref_unresolved, "resolve=False"
        )
