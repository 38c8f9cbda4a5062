"""Parse OmegaConf 2.3 ``${...}`` interpolation strings into a small immutable AST.

``parse`` only parses: the evaluator (``confcompose.resolve``) walks the returned nodes. Strings
without ``${`` and simple node references such as ``${a.b}`` or ``${..x[0]}`` never touch Lark;
everything else goes through ``grammar/interpolation.lark`` with a hand-written mode lexer.
Results are cached per string and shared, so callers must treat them as read-only (lists and
dicts inside resolver arguments included).
"""

from __future__ import annotations

import functools
import re

from confcompose._lazy_re import lazy_re
from confcompose.errors import InterpolationSyntaxError
from confcompose.parsing import lexicon
from confcompose.parsing.interp_ast import Arg, Call, Concat, Node, Part, Select, Text

TYPE_CHECKING = False  # the lexer (and its failure record) loads with the grammar only
if TYPE_CHECKING:
    from confcompose.parsing._interp_lex import InterpFailure

__all__ = [
    "Arg",
    "Call",
    "Concat",
    "Node",
    "Part",
    "Select",
    "Text",
    "dotted_reference",
    "has_interpolation",
    "parse",
    "render",
]


# ${a.b.c}, ${..a[0].b}: keys made only of characters that both ID and INTER_KEY accept.
_SEG = lexicon.SELECT_KEY


def parse(text: str) -> Node:
    """Parse a config string; a string that is exactly one ``${...}`` returns that node.

    >>> parse("${db.port}")
    Select(relative=0, path=('db', 'port'), text='${db.port}')
    >>> parse("plain")
    Text(value='plain')
    """
    if "${" not in text:
        return Text(text)
    return _parse_cached(text)


def has_interpolation(text: str) -> bool:
    """Tell whether ``text`` contains an interpolation (an escaped ``\\${`` does not count).

    >>> has_interpolation("${a}"), has_interpolation(r"\\${a}")
    (True, False)
    """
    return "${" in text and not isinstance(_parse_cached(text), Text)


@functools.lru_cache(maxsize=8192)
def _parse_cached(text: str) -> Node:
    node: Node | None = _parse_simple(text)
    if node is None:
        node = _parse_simple_call(text)
    if node is None:
        node = _parse_simple_concat(text)
    return node if node is not None else _parse_lark(text)


# The fast paths keep the common shapes out of Lark (its import and grammar build dominate a
# cold compose): ${a.b}, ${..x}, ${l[0]}; ${oc.env:HOME,/tmp}, ${now:%Y-%m-%d} (a resolver call
# whose arguments are single plain tokens: no spaces, quotes, brackets, escapes or nested
# interpolations); and text mixing literals with those. Their patterns are compiled on first use
# (all at once they cost ~2 ms), and the shapes without brackets are read with character sets.
_SIMPLE_SELECT = lazy_re(rf"\$\{{(\.*)((?:{_SEG}|\[{_SEG}\])(?:\.{_SEG}|\[{_SEG}\])*)\}}")
_SEG_RE = lazy_re(_SEG)
_INT_ARG = lazy_re(lexicon.INT)
_FLOAT_ARG = lazy_re(lexicon.FLOAT)
# Every character lexicon.INT and lexicon.FLOAT match but those of inf/nan.
_NUMERIC_CHARS = frozenset("0123456789_+-.eE")
# The common shapes are read with the lexicon's character sets; the patterns above are
# compiled only for brackets (and, once many texts have been read, for dotted references).
_SEG_CHARS = lexicon.SELECT_KEY_CHARS
_ID_FIRST = lexicon.ID_FIRST_CHARS
_ID_CHARS = lexicon.ID_CHARS
_ARG_CHARS = lexicon.PLAIN_ARG_CHARS


_DOTTED = lazy_re(rf"\$\{{(\.*)({_SEG}(?:\.{_SEG})*)\}}")
# Compiling _DOTTED costs ~0.2 ms; reading a text by hand costs ~0.25 us more than matching it.
# A process reads its first texts by hand (an app start meets a handful) and compiles the
# pattern once it has met enough for the compile to pay (a config of thousands of them).
_BY_HAND = 1024
_read_by_hand = [0]


def dotted_reference(text: str) -> tuple[int, tuple[str, ...]] | None:
    """``(dots, keys)`` of a lone reference with plain dotted keys (``${..a.b}`` gives
    ``(2, ("a", "b"))``), else None: the texts ``_DOTTED`` matches. The parser reads them as
    ``Select(dots, keys)``.

    >>> dotted_reference("${..a.b}"), dotted_reference("${a[0]}"), dotted_reference("${a.}")
    ((2, ('a', 'b')), None, None)
    """
    if _read_by_hand[0] < _BY_HAND:
        _read_by_hand[0] += 1  # (a race only moves the switch: both readings agree)
        return _dotted_by_hand(text)
    m = _DOTTED.fullmatch(text)
    if m is None:
        return None
    dots, body = m.groups()
    return len(dots), tuple(body.split("."))


def _dotted_by_hand(text: str) -> tuple[int, tuple[str, ...]] | None:
    if not (text.startswith("${") and text.endswith("}")):
        return None
    inner = text[2:-1]
    body = inner.lstrip(".")
    keys = body.split(".")
    for key in keys:
        if not key or not _SEG_CHARS.issuperset(key):
            return None
    return len(inner) - len(body), tuple(keys)


def _is_resolver_name(name: str) -> bool:
    # lexicon.RESOLVER_NAME: IDs joined by dots.
    for part in name.split("."):
        if not part or part[0] not in _ID_FIRST or not _ID_CHARS.issuperset(part):
            return False
    return True


def _parse_simple_call(text: str) -> Call | None:
    """The fast path for ``${name:a,b}``: a ``lexicon.RESOLVER_NAME`` and ``lexicon.PLAIN_ARG``
    tokens (typed as the grammar types single tokens), else None."""
    if not (text.startswith("${") and text.endswith("}")):
        return None
    name, colon, raw = text[2:-1].partition(":")
    if not colon or not _is_resolver_name(name):
        return None
    tokens = raw.split(",") if raw else []
    for token in tokens:
        if not token or not _ARG_CHARS.issuperset(token):
            return None
    return Call(name, tuple(_plain_arg(a) for a in tokens), text)


# One simple select or plain call inside a longer string ("${paths.root}/data", "run_${seed}").


def _parse_simple_concat(text: str) -> Node | None:
    """The fast path for text mixing literals with simple interpolations, else None.

    Each ``${`` must open a simple select or call (it ends at the first ``}``); literal parts
    may not contain a backslash (escapes). Anything else goes to the grammar.
    """
    parts: list[Text | Select | Call] = []
    pos = 0
    while True:
        start = text.find("${", pos)
        if start < 0:
            break
        end = text.find("}", start + 2)
        if end < 0:
            return None
        literal = text[pos:start]
        if "\\" in literal:
            return None
        if literal:
            parts.append(Text(literal))
        token = text[start : end + 1]
        node: Select | Call | None = _parse_simple(token) or _parse_simple_call(token)
        if node is None:
            return None
        parts.append(node)
        pos = end + 1
    tail = text[pos:]
    if not parts or "\\" in tail or "${" in tail:
        return None
    if tail:
        parts.append(Text(tail))
    if len(parts) == 1 and not isinstance(parts[0], Text):
        return parts[0]  # a lone interpolation keeps its target's type
    return Concat(tuple(parts))


def _plain_arg(token: str) -> Arg:
    # Same typing as the grammar's single-token arguments (INT, FLOAT, BOOL, NULL, else text).
    # (The tokens are ASCII: lower() is exact for lexicon.BOOL and lexicon.NULL.)
    if _NUMERIC_CHARS.issuperset(token) or token.lstrip("+-").lower() in ("inf", "nan"):
        if _INT_ARG.fullmatch(token):
            return int(token)
        if _FLOAT_ARG.fullmatch(token):
            return float(token)
    lowered = token.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "null":
        return None
    return token


def _parse_simple(text: str) -> Select | None:
    """The fast path: a lone ``${...}`` node reference with plain keys, else None."""
    dotted = dotted_reference(text)
    if dotted is not None:
        return Select(dotted[0], dotted[1], text)
    if "[" not in text:
        return None
    m = _SIMPLE_SELECT.fullmatch(text)
    if m is None:
        return None
    body = m.group(2)
    path = body.split(".") if "[" not in body else _SEG_RE.findall(body)
    return Select(len(m.group(1)), tuple(path), text)


def _parse_lark(text: str) -> Node:
    """Parse with the Lark grammar (no fast path, no cache)."""
    from confcompose.parsing._interp_lex import InterpFailure
    from confcompose.parsing._interp_tx import parse as lark_parse

    try:
        return lark_parse(text)
    except InterpFailure as f:
        raise _syntax_error(text, f) from None


def _syntax_error(text: str, failure: InterpFailure) -> InterpolationSyntaxError:
    pos = failure.offset
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    col = pos - line_start
    # Long lines are cut to a window around the caret.
    cut = max(0, col - _WINDOW)
    shown = ("..." if cut else "") + line[cut : col + _WINDOW]
    col += 3 - cut if cut else 0
    # Keep tabs in the caret line so that the caret lines up under tabs too.
    pad = "".join("\t" if ch == "\t" else " " for ch in shown[:col])
    where = "" if pos >= len(text) else f" at column {pos + 1}"
    quoted = repr(text) if len(text) <= 2 * _WINDOW else repr(text[: 2 * _WINDOW]) + "..."
    msg = f"invalid interpolation {quoted}: {failure.problem}{where}"
    if failure.expected:
        msg += f"; expected {failure.expected}"
    err = InterpolationSyntaxError(
        msg, expected=failure.expected, context=f"    {shown}\n    {pad}^"
    )
    # 1-based column in the string, for the evaluator to combine with the value's location.
    setattr(err, "column", pos + 1)  # noqa: B010  (ConfigError declares no column field)
    return err


_WINDOW = 60


# --- rendering back to source text -----------------------------------------------------------


def render(node: Node) -> str:
    """Turn an AST back into source text that parses to an equal AST.

    >>> render(parse("${a[0]}:${oc.env:HOME, 'x y'}"))
    "${a.0}:${oc.env:'HOME','x y'}"
    """
    if isinstance(node, Text):
        return _escape_top(node.value, before_interp=False)
    if isinstance(node, Concat):
        out = []
        for i, part in enumerate(node.parts):
            if isinstance(part, Text):
                nxt = i + 1 < len(node.parts)
                out.append(_escape_top(part.value, before_interp=nxt))
            else:
                out.append(_render_interp(part))
        return "".join(out)
    return _render_interp(node)


def _render_interp(node: Select | Call) -> str:
    if isinstance(node, Select):
        keys = []
        for i, part in enumerate(node.path):
            key = part if isinstance(part, str) else _render_arg(part)
            keys.append(key if i == 0 else "." + key)
        return "${" + "." * node.relative + "".join(keys) + "}"
    return "${" + node.name + ":" + ",".join(_render_arg(a) for a in node.args) + "}"


def _render_arg(arg: Arg) -> str:
    if arg is None:
        return "null"
    if isinstance(arg, bool):
        return "true" if arg else "false"
    if isinstance(arg, int):
        return str(arg)
    if isinstance(arg, float):
        return "nan" if arg != arg else repr(arg)  # (NaN is the float unequal to itself)
    if isinstance(arg, str):
        return "'" + _escape_quoted(arg, "'") + "'"
    if isinstance(arg, list):
        return "[" + ",".join(_render_arg(a) for a in arg) + "]"
    if isinstance(arg, dict):
        items = (f"{_render_key(k)}:{_render_arg(v)}" for k, v in arg.items())
        return "{" + ",".join(items) + "}"
    if isinstance(arg, Concat):
        return "'" + "".join(_render_quoted_parts(arg.parts)) + "'"
    return _render_interp(arg)


def _render_quoted_parts(parts: tuple[Text | Select | Call, ...]) -> list[str]:
    out = []
    for part in parts:
        if isinstance(part, Text):
            out.append(_escape_quoted(part.value, "'"))
        else:
            out.append(_render_interp(part))
    return out


def _render_key(key: object) -> str:
    if key is None or isinstance(key, (bool, int, float)):
        return _render_arg(key)
    # Unquoted dict keys: escape everything the value lexer treats specially.
    return re.sub("([" + re.escape(lexicon.SPECIAL_CHARS) + "])", r"\\\1", str(key))


# A run of backslashes and what follows it.
_BACKSLASHES = lazy_re(r"(\\*)(\$\{|$)")


def _escape_top(value: str, before_interp: bool) -> str:
    r"""Escape top-level text: ``${`` becomes ``\${`` and backslashes before it are doubled."""

    def sub(m: re.Match[str]) -> str:
        slashes, what = m.group(1), m.group(2)
        if what:  # literal "${": every preceding backslash doubled, then "\${"
            return slashes * 2 + "\\${"
        # At the end: backslashes are halved only when an interpolation follows.
        return slashes * 2 if before_interp else slashes

    return _BACKSLASHES.sub(sub, value)


def _escape_quoted(value: str, quote: str) -> str:
    r"""Escape text for a quoted argument: quotes, ``${`` and backslashes before them."""
    # Unlike top-level text, in quotes backslashes are halved both at the end and before '${'.
    pattern = re.compile(r"(\\*)(\$\{|" + re.escape(quote) + r"|$)")

    def sub(m: re.Match[str]) -> str:
        slashes, what = m.group(1), m.group(2)
        if what == "${":
            return slashes * 2 + "\\${"
        if what == quote:
            return slashes * 2 + "\\" + quote
        return slashes * 2

    return pattern.sub(sub, value)
