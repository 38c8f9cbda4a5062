"""Shared machinery of the differential suite: strict comparison, reference runners, API access.

The reference side (hydra-core 1.3 + omegaconf 2.3) always runs, so every case is proven valid
against the library we promise to match. The confcompose side is reached only through
:func:`cc`, which skips the test while the promised public name does not exist yet.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest


class _NotGiven:
    """Marks a case without a hand-written expected value (``None`` is a valid expectation)."""

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Any = _NotGiven()


# --------------------------------------------------------------------------------------------
# Strict comparison of plain containers
# --------------------------------------------------------------------------------------------


def _same_float(a: float, b: float) -> bool:
    # nan never equals itself, and 0.0 == -0.0 would hide a lost sign: compare like repr does.
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def _key_label(key: object) -> str:
    return f"[{key!r}]"


def mismatches(actual: object, expected: object, path: str = "<root>") -> list[str]:
    """List every difference between two plain containers, each prefixed by its path.

    Types must match exactly (``True`` is not ``1``, ``1`` is not ``1.0``, ``list`` is not
    ``tuple``); dict key order is ignored but key types are not.

    >>> mismatches({"a": [1, 2.0]}, {"a": [1, 2]})
    ["<root>['a'][1]: type float != int (2.0 vs 2)"]
    """
    if type(actual) is not type(expected):
        return [
            f"{path}: type {type(actual).__name__} != {type(expected).__name__} "
            f"({actual!r} vs {expected!r})"
        ]
    if isinstance(actual, dict):
        assert isinstance(expected, dict)
        out: list[str] = []
        # Key lookup by equality would let 1 match True or 1.0; demand identical key types too.
        exp_keys = {(type(k), k): k for k in expected}
        act_keys = {(type(k), k): k for k in actual}
        for tk, k in act_keys.items():
            if tk not in exp_keys:
                out.append(f"{path}: unexpected key {k!r} ({type(k).__name__}) = {actual[k]!r}")
            else:
                out.extend(mismatches(actual[k], expected[exp_keys[tk]], path + _key_label(k)))
        for tk, k in exp_keys.items():
            if tk not in act_keys:
                out.append(f"{path}: missing key {k!r} ({type(k).__name__}) = {expected[k]!r}")
        return out
    if isinstance(actual, (list, tuple)):
        assert isinstance(expected, (list, tuple))
        if len(actual) != len(expected):
            return [f"{path}: length {len(actual)} != {len(expected)} ({actual!r} vs {expected!r})"]
        out = []
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            out.extend(mismatches(a, e, f"{path}[{i}]"))
        return out
    if isinstance(actual, float):
        assert isinstance(expected, float)
        return [] if _same_float(actual, expected) else [f"{path}: {actual!r} != {expected!r}"]
    if actual != expected:
        return [f"{path}: {actual!r} != {expected!r}"]
    return []


def strict_equal(actual: object, expected: object) -> bool:
    """Tell whether two plain containers are equal, types and key types included.

    >>> strict_equal({"a": 1}, {"a": True}), strict_equal(float("nan"), float("nan"))
    (False, True)
    """
    return not mismatches(actual, expected)


def assert_strict_equal(actual: object, expected: object, what: str = "") -> None:
    """Fail with a readable, path-by-path diff unless ``actual`` strictly equals ``expected``."""
    diffs = mismatches(actual, expected)
    if diffs:
        head = f"{what}: " if what else ""
        lines = "\n  ".join(diffs)
        pytest.fail(
            f"{head}{len(diffs)} difference(s) (actual vs expected):\n  {lines}\n"
            f"actual:   {actual!r}\nexpected: {expected!r}",
            pytrace=False,
        )


# --------------------------------------------------------------------------------------------
# The confcompose side
# --------------------------------------------------------------------------------------------


def cc(name: str) -> Any:
    """Return ``confcompose.<name>``, or skip the test while that public name does not exist."""
    try:
        import confcompose
    except ImportError as exc:  # the package itself is missing or broken
        pytest.skip(f"confcompose not importable: {exc}")
    try:
        return getattr(confcompose, name)
    except AttributeError:
        pytest.skip(f"confcompose.{name} not implemented yet")


def expect_config_error(fn: Callable[[], object], match: str | None = None) -> Exception:
    """Run ``fn`` and require a non-empty ``confcompose.ConfigError`` (matching ``match``)."""
    config_error = cc("ConfigError")
    try:
        result = fn()
    except Exception as exc:  # sorted out below, outside the handler
        raised: Exception = exc
    else:
        pytest.fail(f"confcompose did not raise; it returned {result!r:.300}", pytrace=False)
    if not isinstance(raised, config_error):
        pytest.fail(
            f"confcompose raised {type(raised).__module__}.{type(raised).__name__}: "
            f"{raised!s:.300} instead of a confcompose.ConfigError subclass",
            pytrace=False,
        )
    checked: Exception = raised  # isinstance against an Any class would widen it to Any
    text = str(checked)
    assert text.strip(), f"{type(checked).__name__} has an empty message"
    if match is not None:
        assert re.search(match, text), f"message {text!r} does not match {match!r}"
    return checked


# --------------------------------------------------------------------------------------------
# Case records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComposeCase:
    """A config tree composed by hydra and by confcompose.

    ``error``: both must fail (hydra any exception whose text matches ``ref_match``;
    confcompose a ConfigError matching ``error_match``). ``unresolved``: also compare the
    ``resolve=False`` containers. ``env``: environment variables set for the case.
    """

    id: str
    files: Mapping[str, str]
    overrides: Sequence[str] = ()
    config_name: str = "config"
    error: bool = False
    ref_match: str | None = None
    error_match: str | None = None
    expected: Any = NOT_GIVEN
    unresolved: bool = True
    env: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TextCase:
    """One YAML document (or several, merged left to right) loaded by omegaconf and confcompose.

    ``resolve``: compare ``to_container(resolve=True)`` (and ``resolve=False`` unless the case
    is an error); ``error``: loading or resolving must fail on both sides.
    """

    id: str
    texts: tuple[str, ...]
    error: bool = False
    ref_match: str | None = None
    error_match: str | None = None
    expected: Any = NOT_GIVEN
    resolve: bool = False
    env: Mapping[str, str] = field(default_factory=dict)


def text_case(case_id: str, *texts: str, **kw: Any) -> TextCase:
    """Build a :class:`TextCase`, dedenting each text so cases can be written indented."""
    return TextCase(case_id, tuple(textwrap.dedent(t) for t in texts), **kw)


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    """Write ``files`` (relative path -> YAML text, dedented) below ``root``; return ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


# --------------------------------------------------------------------------------------------
# The reference side
# --------------------------------------------------------------------------------------------


def hydra_compose(config_dir: Path, config_name: str, overrides: Sequence[str]) -> Any:
    """Compose with hydra-core (``return_hydra_config=False``) and return the DictConfig."""
    import hydra

    # The context manager clears GlobalHydra on exit, errors included, so cases stay isolated.
    with hydra.initialize_config_dir(config_dir=str(config_dir), version_base=None):
        return hydra.compose(config_name=config_name, overrides=list(overrides))


def ref_containers(cfg: Any, resolve: bool = True) -> tuple[Any, Any]:
    """Return omegaconf's ``(resolved, unresolved)`` plain containers of ``cfg``."""
    from omegaconf import OmegaConf

    resolved = OmegaConf.to_container(cfg, resolve=True) if resolve else None
    return resolved, OmegaConf.to_container(cfg, resolve=False)


def _ref_text_containers(case: TextCase, tmp_path: Path, via: str) -> tuple[Any, Any]:
    from omegaconf import OmegaConf

    cfgs = []
    for i, text in enumerate(case.texts):
        if via == "load":
            path = tmp_path / f"ref_{i}.yaml"
            path.write_text(text, encoding="utf-8")
            cfgs.append(OmegaConf.load(path))
        else:
            cfgs.append(OmegaConf.create(text))
    cfg = cfgs[0] if len(cfgs) == 1 else OmegaConf.merge(*cfgs)
    resolved = OmegaConf.to_container(cfg, resolve=True) if case.resolve else None
    return resolved, OmegaConf.to_container(cfg, resolve=False)


def _cc_text_container(case: TextCase, tmp_path: Path, via: str, resolve: bool) -> Any:
    to_container = cc("to_container")
    cfgs = []
    for i, text in enumerate(case.texts):
        if via == "load":
            path = tmp_path / f"cc_{i}.yaml"
            path.write_text(text, encoding="utf-8")
            cfgs.append(cc("load")(path))
        else:
            cfgs.append(cc("create")(text))
    cfg = cfgs[0] if len(cfgs) == 1 else cc("merge")(*cfgs)
    return to_container(cfg, resolve=resolve)


def run_text_case(
    case: TextCase,
    tmp_path: Path,
    via: str = "create",
    prepare: Callable[[], None] | None = None,
) -> None:
    """Run a :class:`TextCase` on omegaconf, check its expectation, then compare confcompose.

    ``prepare`` runs after the reference and before confcompose (e.g. to register resolvers).
    """
    if case.error:
        with pytest.raises(Exception) as ref_exc:  # omegaconf raises many types
            _ref_text_containers(case, tmp_path, via)
        if case.ref_match:
            ref_exc.match(case.ref_match)
        if prepare is not None:
            prepare()
        expect_config_error(
            lambda: _cc_text_container(case, tmp_path, via, resolve=case.resolve),
            case.error_match,
        )
        return
    ref_resolved, ref_unresolved = _ref_text_containers(case, tmp_path, via)
    if case.expected is not NOT_GIVEN:
        reference = ref_resolved if case.resolve else ref_unresolved
        assert_strict_equal(reference, case.expected, "reference vs hand-written expectation")
    if prepare is not None:
        prepare()
    if case.resolve:
        actual = _cc_text_container(case, tmp_path, via, resolve=True)
        assert_strict_equal(actual, ref_resolved, "resolve=True")
    actual = _cc_text_container(case, tmp_path, via, resolve=False)
    assert_strict_equal(actual, ref_unresolved, "resolve=False")
