"""Bounded resources: interpolation fan-out, alias expansion, file types and sizes."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest

import confcompose as cc

resolve = importlib.import_module("confcompose.resolve")  # the package attribute is the function


def _fan_out(levels: int, via_select: bool) -> str:
    ref = "${{oc.select:a{}}}" if via_select else "${{a{}}}"
    lines = ["a0: x"]
    lines += [f"a{i}: {ref.format(i - 1)}{ref.format(i - 1)}" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("via_select", [False, True], ids=["select", "oc.select"])
def test_fan_out_is_evaluated_once_per_key(via_select: bool) -> None:
    cfg = cc.create(_fan_out(20, via_select))
    assert len(cfg.a20) == 2**20  # 2**20 evaluations without memoization: seconds


@pytest.mark.parametrize("via_select", [False, True], ids=["select", "oc.select"])
def test_fan_out_past_the_text_limit_is_a_config_error(via_select: bool) -> None:
    cfg = cc.create(_fan_out(60, via_select))
    with pytest.raises(cc.InterpolationError, match="CONFCOMPOSE_MAX_INTERP_CHARS") as info:
        cc.to_container(cfg, resolve=True)
    assert info.value.key_path is not None and info.value.key_path.startswith("a")


@pytest.fixture
def small_budget(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CONFCOMPOSE_MAX_INTERP_STEPS", "50")
    resolve.max_steps.cache_clear()
    yield
    monkeypatch.delenv("CONFCOMPOSE_MAX_INTERP_STEPS")
    resolve.max_steps.cache_clear()


def test_step_budget_names_the_key(small_budget: None) -> None:
    chain = {"k0": 1, **{f"k{i}": f"${{k{i - 1}}}" for i in range(1, 100)}}
    cfg = cc.create(chain)
    assert cfg.k40 == 1
    with pytest.raises(cc.InterpolationError, match="CONFCOMPOSE_MAX_INTERP_STEPS") as info:
        _ = cfg.k99
    assert info.value.key_path == "k99"


def test_a_long_scalar_aliased_many_times_is_refused() -> None:
    text = "a: &x " + "y" * 1000 + "\nb: [" + ", ".join(["*x"] * 20_000) + "]\n"
    with pytest.raises(cc.YAMLError, match="CONFCOMPOSE_MAX_ALIAS_SIZE") as info:
        cc.create(text)
    assert info.value.location is not None and info.value.location.line == 2


def test_ordinary_aliases_still_load() -> None:
    cfg = cc.create("base: &b {lr: 0.1, name: adam}\nuse: [" + ", ".join(["*b"] * 1000) + "]\n")
    assert len(cfg.use) == 1000 and cfg.use[999].name == "adam"
