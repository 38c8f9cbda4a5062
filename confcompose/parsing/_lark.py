"""The only module that builds Lark parsers.

Parsers are built lazily, once per process, from the ``.lark`` files shipped as the package
``confcompose.grammar`` (the top-level ``grammar/`` folder). Transformers passed here must be
stateless: one parser is shared by every thread.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lark import Lark


@functools.cache
def build(
    grammar: str,
    start: str,
    transformer: type[Any] | None = None,
    lexer: str | type[Any] = "contextual",
) -> Lark:
    """Build (once) an LALR parser for ``grammar`` (a file name in ``confcompose.grammar``).

    ``lexer`` is a Lark lexer name or a custom ``lark.lexer.Lexer`` subclass.
    """
    from lark import Lark

    return Lark(
        grammar_text(grammar, start),
        parser="lalr",
        lexer=lexer,
        start=start,
        transformer=transformer() if transformer is not None else None,
        maybe_placeholders=False,
        propagate_positions=False,
    )


def grammar_text(grammar: str, start: str) -> str:
    """The text of ``grammar``, from the first place that holds a version defining ``start``:
    an installed package (``confcompose/grammar/``), a source checkout (``grammar/`` beside
    ``confcompose/``), or the package loader (a zipped install). A stale copy, such as a
    leftover ``confcompose/grammar/`` in a checkout that shadows an installed package, is
    skipped instead of failing later with Lark's "undefined rule"."""
    import os
    import re

    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    places = [
        os.path.join(package, "grammar", grammar),
        os.path.join(os.path.dirname(package), "grammar", grammar),
    ]
    defines = re.compile(rf"^[?!]?{re.escape(start)}\s*:", re.MULTILINE)
    seen: list[str] = []
    for place in places:
        try:
            with open(place, encoding="utf-8") as f:
                text = f.read()
        except OSError:
            continue
        if defines.search(text):
            return text
        seen.append(place)
    loaded = _from_loader(grammar)
    if loaded is not None and defines.search(loaded):
        return loaded
    found = f" (found without the rule {start!r}: {', '.join(seen)})" if seen else ""
    raise ImportError(
        f"confcompose cannot find its grammar file {grammar!r}: looked in {places[0]} (an "
        f"installed package) and {places[1]} (a source checkout){found}. confcompose was "
        f"imported from {package}; reinstall it (pip install confcompose) or, in a checkout, "
        "keep the grammar/ folder beside confcompose/"
    )


def _from_loader(grammar: str) -> str | None:
    try:
        from importlib import resources

        return resources.files("confcompose.grammar").joinpath(grammar).read_text("utf-8")
    except Exception:  # no such package (a checkout without grammar/), or no such file
        return None
