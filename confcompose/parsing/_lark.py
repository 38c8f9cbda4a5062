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

    return Lark.open_from_package(
        "confcompose.grammar",
        grammar,
        ("",),
        parser="lalr",
        lexer=lexer,
        start=start,
        transformer=transformer() if transformer is not None else None,
        maybe_placeholders=False,
        propagate_positions=False,
    )
