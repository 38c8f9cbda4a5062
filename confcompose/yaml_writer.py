"""YAML out: plain containers written in the style of ``OmegaConf.to_yaml``.

Two writers: a fast one for typical configs (block style, short plain scalars) that writes the
text directly, and ruamel.yaml's emitter fed with events for everything else. Quoting follows
the loader (:func:`confcompose.parsing.yaml_scalars.resolve_plain`): a string is quoted when
its plain form would load as another type. ruamel is imported inside functions, when needed.
"""

from __future__ import annotations

import io

from confcompose._lazy_re import lazy_re
from confcompose.errors import ConfigTypeError
from confcompose.parsing.yaml_scalars import (
    TAG_BINARY,
    TAG_BOOL,
    TAG_FLOAT,
    TAG_INT,
    TAG_NULL,
    TAG_STR,
    resolve_plain,
)

TYPE_CHECKING = False  # keep the typing module off the start-up path
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any


# -- the ruamel writer ---------------------------------------------------------------------

# Strings OmegaConf.to_yaml quotes beyond those that would load as another type: y/n (YAML 1.1
# bools elsewhere), dates (PyYAML's dumper still knows timestamps) and the "<<" / "=" keywords.
_INF = float("inf")
_QUOTED_ANYWAY = frozenset(("y", "Y", "n", "N", "<<", "="))
_DATE_RE = lazy_re(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt \t].*)?")
_END = object()
# Characters a literal block cannot hold (they need escapes in double quotes).
_UNPRINTABLE_RE = lazy_re("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def dump(data: object) -> str:
    """YAML text for plain data (dicts, lists, scalars) in the style of ``OmegaConf.to_yaml``.

    >>> print(dump({"a": [1, "yes"], "b": {"c": None}}), end="")
    a:
    - 1
    - 'yes'
    b:
      c: null
    """
    fast = _fast_dump(data)
    if fast is not None:
        return fast
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.allow_unicode = True
    stream = io.StringIO()
    yaml.emit(_dump_events(data), stream)
    return stream.getvalue()


# -- the fast dumper -----------------------------------------------------------------------------
# Typical configs (short plain keys and values, block style) are written here directly, byte for
# byte as ruamel's emitter writes them; anything else (long or multi-line strings, unusual
# characters, bytes, cycles) makes the fast path give up and ruamel write the whole document.
# Writing a run's .hydra/*.yaml files this way keeps ruamel's ~20 ms import off the start-up path.


class _GiveUp(Exception):
    """Internal: the fast dumper cannot be sure to match ruamel's output."""


_PLAIN_FIRST = r"[\w$./(~^+=]"
_PLAIN_REST = r"[\w$./()~^+=@{}\[\],:%*&!?|>'\"-]"
_PLAIN_SAFE = lazy_re(rf"{_PLAIN_FIRST}{_PLAIN_REST}*(?: {_PLAIN_REST}+)*")
# _PLAIN_SAFE without a regex (the common case: compiling it was a cost of every run's files).
_PLAIN_FIRST_PUNCT = frozenset("$./(~^+=_")
_PLAIN_REST_PUNCT = str.maketrans("", "", "$./()~^+=@{}[],:%*&!?|>'\"-_ ")


_QUOTABLE_FIRST = frozenset("[]{},#&*!|>%@`")


def _plain_rest(rest: str) -> bool:
    """``(?:{_PLAIN_REST}*(?: {_PLAIN_REST}+)*`` in full: word characters and the plain
    punctuation, single spaces between runs (``\\w`` is ``str.isalnum`` or ``_``, as in
    :mod:`re`)."""
    if not rest:
        return True
    if rest[-1] == " " or "  " in rest:
        return False
    left = rest.translate(_PLAIN_REST_PUNCT)
    return not left or left.isalnum()


def _plain_safe(text: str) -> bool:
    """``_PLAIN_SAFE.fullmatch(text)``, without compiling it: a first character that opens a
    plain scalar, then :func:`_plain_rest`."""
    return bool(text) and (text[0].isalnum() or text[0] in _PLAIN_FIRST_PUNCT) and _plain_rest(
        text[1:]
    )


def _quotable(text: str) -> bool:
    """``_QUOTABLE.fullmatch(text)``, without compiling it: an indicator first (ruamel then
    single-quotes the scalar), then :func:`_plain_rest`."""
    return bool(text) and text[0] in _QUOTABLE_FIRST and _plain_rest(text[1:])

_FAST_MAX_STR = 60
_WIDTH = 80  # ruamel's line width
# A plain scalar cannot start with an indicator; ruamel then writes it single-quoted.
_QUOTABLE = lazy_re(rf"[\[\]{{}},#&*!|>%@`]{_PLAIN_REST}*(?: {_PLAIN_REST}+)*")
_LITERAL_LINE = lazy_re(r"[^\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]*")


def _fast_literal(text: str, indent: int) -> list[str] | None:
    """A literal block (``|``, ``|-``, ``|+``) as ruamel writes it, or None if unsure."""
    if text.startswith(("\n", " ")) or "\r" in text or "\t" in text:
        return None
    body = text.rstrip("\n")
    trailing = len(text) - len(body)
    chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
    lines = body.split("\n")
    # isprintable() is false for every character _LITERAL_LINE refuses (and a few more).
    if any(
        line.endswith(" ") or not (line.isprintable() or _LITERAL_LINE.fullmatch(line))
        for line in lines
    ):
        return None
    pad = " " * indent
    out = [f"|{chomp}\n"]
    out.extend(f"{pad}{line}\n" if line else "\n" for line in lines)
    out.extend("\n" for _ in range(trailing - 1))
    return out


def _fast_dump(data: object) -> str | None:
    out: list[str] = []
    try:
        if isinstance(data, dict):
            if not data:
                return "{}\n"
            _fast_map(data, 0, out, None)
        elif isinstance(data, list | tuple):
            if not data:
                return "[]\n"
            _fast_seq(data, 0, out, None)
        else:
            return None
    except (_GiveUp, RecursionError):
        return None
    return "".join(out)


def _fast_map(data: dict[Any, Any], indent: int, out: list[str], first: str | None) -> None:
    pad = " " * indent
    for i, (key, value) in enumerate(data.items()):
        lead = first if (i == 0 and first is not None) else pad
        text = _fast_scalar(key, key=True)
        if isinstance(value, dict) and value:
            out.append(f"{lead}{text}:\n")
            _fast_map(value, indent + 2, out, None)
        elif isinstance(value, list | tuple) and value:
            out.append(f"{lead}{text}:\n")
            _fast_seq(value, indent, out, None)
        elif type(value) is str and "\n" in value:
            block = _fast_literal(value, indent + 2)
            if block is None:
                raise _GiveUp
            out.append(f"{lead}{text}: {block[0]}")
            out.extend(block[1:])
        else:
            scalar = _fast_scalar(value, key=False)
            # ruamel opens an empty flow collection on the key's line however long the key is
            if len(lead) + len(text) + 2 + len(scalar) <= _WIDTH or scalar in ("[]", "{}"):
                out.append(f"{lead}{text}: {scalar}\n")
            elif _unbroken(scalar):  # a word longer than the line gets a line of its own
                out.append(f"{lead}{text}: \n{pad}  {scalar}\n")
            else:
                raise _GiveUp  # ruamel folds it at spaces


def _unbroken(scalar: str) -> bool:
    # A plain scalar ruamel cannot fold (no space) and writes whole wherever it starts.
    return " " not in scalar and not scalar.startswith(("'", '"'))


def _fast_seq(
    data: list[Any] | tuple[Any, ...], indent: int, out: list[str], first: str | None
) -> None:
    pad = " " * indent
    for i, value in enumerate(data):
        lead = first if (i == 0 and first is not None) else pad
        if isinstance(value, dict) and value:
            _fast_map(value, indent + 2, out, lead + "- ")
        elif isinstance(value, list | tuple) and value:
            _fast_seq(value, indent + 2, out, lead + "- ")
        elif type(value) is str and "\n" in value:
            block = _fast_literal(value, indent + 2)
            if block is None:
                raise _GiveUp
            out.append(f"{lead}- {block[0]}")
            out.extend(block[1:])
        else:
            scalar = _fast_scalar(value, key=False)
            if len(lead) + 2 + len(scalar) > _WIDTH and not _unbroken(scalar):
                raise _GiveUp  # ruamel folds it at spaces
            out.append(f"{lead}- {scalar}\n")


def _fast_scalar(value: object, *, key: bool) -> str:
    kind = type(value)
    if isinstance(value, str) and kind is str:
        text = value
        if not text:
            return "''"  # (an app run without overrides has `override_dirname: ''`)
        if text.startswith("..."):
            raise _GiveUp  # "..." opens a document-end marker
        # ruamel folds a long scalar only at a space (and a long key is not a simple key), so a
        # long value without spaces (a path in site-packages) is written on one line as well.
        if len(text) > _FAST_MAX_STR and (key or " " in text):
            raise _GiveUp
        if _needs_quotes(text):
            if not _plain_safe(text):
                raise _GiveUp
            return f"'{text}'"
        if _plain_safe(text) and ": " not in text and not text.endswith(":"):
            return text
        if text == "???":  # the missing-value marker, written plain as OmegaConf does
            return text
        if _quotable(text) and "'" not in text:
            return f"'{text}'"
        raise _GiveUp
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is float:
        return _float_text(value)  # type: ignore[arg-type]
    if value is None and not key:
        return "null"
    if isinstance(value, dict | list | tuple) and not value:
        return "{}" if isinstance(value, dict) else "[]"
    raise _GiveUp


def _dump_events(data: object) -> Iterator[Any]:
    """The emitter events for ``data``, produced without recursion (cycles are refused)."""
    from ruamel.yaml import events as ev

    yield ev.StreamStartEvent()
    yield ev.DocumentStartEvent(explicit=False)
    work: list[Any] = [data]
    open_ids: set[int] = set()
    while work:
        item = work.pop()
        if type(item) is tuple and item and item[0] is _END:  # (_END, is_map, id)
            open_ids.discard(item[2])
            yield ev.MappingEndEvent() if item[1] else ev.SequenceEndEvent()
        elif type(item) is tuple and item and item[0] is _KEY_MARK:
            yield _scalar_event(item[1], key=True)
        elif isinstance(item, dict | list | tuple):
            if id(item) in open_ids:
                raise ConfigTypeError("cannot dump a container that contains itself")
            open_ids.add(id(item))
            is_map = isinstance(item, dict)
            start = ev.MappingStartEvent if is_map else ev.SequenceStartEvent
            yield start(None, None, True, flow_style=not item)
            work.append((_END, is_map, id(item)))
            if isinstance(item, dict):
                for key, value in reversed(item.items()):
                    work.append(value)
                    work.append((_KEY_MARK, key))
            else:
                work.extend(reversed(item))
        else:
            yield _scalar_event(item, key=False)
    yield ev.DocumentEndEvent(explicit=False)
    yield ev.StreamEndEvent()


_KEY_MARK = object()


def _scalar_event(value: object, *, key: bool) -> Any:
    from ruamel.yaml.events import ScalarEvent
    from ruamel.yaml.tag import Tag

    # ruamel's emitter wants Tag objects and 3-item "implicit" flags: (plain form loads as
    # this tag, quoted form does, the tag is a standard one).
    if value is None and not key:
        return ScalarEvent(None, Tag(suffix=TAG_NULL), (True, False, True), "null")
    if isinstance(value, bool):
        text, tag = ("true" if value else "false"), TAG_BOOL
    elif isinstance(value, int):
        text, tag = str(value), TAG_INT
    elif isinstance(value, float):
        text, tag = _float_text(value), TAG_FLOAT
    elif isinstance(value, str):
        if _SPECIAL_CHARS.search(value):
            # Line separators and control characters only survive escaped, in double quotes.
            return ScalarEvent(None, Tag(suffix=TAG_STR), (False, True, True), value, style='"')
        if "\n" in value:  # a literal block reads best; ruamel double-quotes otherwise
            style = "|" if _literal_ok(value) else None
            return ScalarEvent(None, Tag(suffix=TAG_STR), (False, True, True), value, style=style)
        if _needs_quotes(value):
            return ScalarEvent(None, Tag(suffix=TAG_STR), (False, True, True), value, style="'")
        return ScalarEvent(None, Tag(suffix=TAG_STR), (True, True, True), value)
    elif isinstance(value, bytes):
        import base64  # only for bytes values

        text = base64.encodebytes(value).decode("ascii")
        return ScalarEvent(None, Tag(suffix=TAG_BINARY), (False, False, True), text, style="|")
    else:
        what = "a mapping key" if key else "a value"
        raise ConfigTypeError(f"cannot dump {type(value).__name__} {value!r} as {what} in YAML")
    return ScalarEvent(None, Tag(suffix=tag), (True, False, True), text)


_SPECIAL_CHARS = lazy_re("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


def _literal_ok(text: str) -> bool:
    """Whether a literal block keeps ``text`` exactly and needs no indentation indicator."""
    if _UNPRINTABLE_RE.search(text):
        return False
    lines = text.split("\n")
    if any(line.endswith((" ", "\t")) for line in lines):
        return False
    first = next((line for line in lines if line), "")
    return not first.startswith((" ", "\t"))


def _float_text(value: float) -> str:
    if value != value:
        return ".nan"
    if value in (_INF, -_INF):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value).lower()
    if "." not in text and "e" in text:  # "1e+16" is no YAML 1.1 float; "1.0e+16" is
        text = text.replace("e", ".0e", 1)
    return text


def _needs_quotes(text: str) -> bool:
    """Whether ``text`` must be quoted to load back as this string (OmegaConf's rules, too)."""
    try:
        if type(resolve_plain(text)) is not str or text in _QUOTED_ANYWAY:
            return True
    except (ValueError, IndexError):  # "0b_" looks like an int but does not convert
        return True
    if text[:4].isdigit() and text[4:5] == "-" and _DATE_RE.fullmatch(text):
        return True
    try:
        float(text)  # OmegaConf quotes what Python reads as a number ("inf", "1_0")
    except ValueError:
        return False
    return True
