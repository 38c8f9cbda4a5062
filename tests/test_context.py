"""`context=`: a Context stands for its registry in the api functions that take resolvers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import confcompose
from confcompose import Context, builtin_resolvers
from confcompose.api import attach
from confcompose.errors import ConfigTypeError


def _ctx() -> Context:
    ctx = Context(builtin_resolvers())
    confcompose.register_resolver("mine", lambda: "from-ctx", context=ctx)
    return ctx


def _load(tmp_path: Path, **kw: Any) -> Any:
    file = tmp_path / "c.yaml"
    file.write_text("a: ${mine:}\n")
    return confcompose.load(file, **kw)


CALLS: list[tuple[str, Callable[..., Any]]] = [
    ("create", lambda tmp, **kw: confcompose.create({"a": "${mine:}"}, **kw)),
    ("merge", lambda tmp, **kw: confcompose.merge({"a": 1}, {"a": "${mine:}"}, **kw)),
    ("load", _load),
    ("attach", lambda tmp, **kw: attach(confcompose.create({"a": "${mine:}"}), **kw)),
]


@pytest.mark.parametrize(("name", "call"), CALLS, ids=[n for n, _ in CALLS])
def test_context_gives_its_resolvers(name: str, call: Callable[..., Any], tmp_path: Path) -> None:
    ctx = _ctx()
    assert call(tmp_path, context=ctx).a == "from-ctx"
    assert "mine" not in confcompose.default_context().resolvers
    # the same registry given both ways is not a conflict
    assert call(tmp_path, context=ctx, resolvers=ctx.resolvers).a == "from-ctx"


@pytest.mark.parametrize(("name", "call"), CALLS, ids=[n for n, _ in CALLS])
def test_context_and_other_resolvers_conflict(
    name: str, call: Callable[..., Any], tmp_path: Path
) -> None:
    with pytest.raises(ConfigTypeError, match="not both"):
        call(tmp_path, context=_ctx(), resolvers=builtin_resolvers())


def test_register_resolver_into_a_context_only() -> None:
    ctx = _ctx()
    assert "mine" in ctx.resolvers
    with pytest.raises(ConfigTypeError, match="not both"):
        confcompose.register_resolver("x", lambda: 1, context=ctx, resolvers=builtin_resolvers())
