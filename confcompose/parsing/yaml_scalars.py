"""YAML 1.1 scalars as OmegaConf 2.3 reads them: the typing of plain scalars, the standard tags.

Shared by the loader (:mod:`confcompose.parsing.yaml`) and the writer
(:mod:`confcompose.yaml_writer`, which quotes a string when its plain form would load as
another type). PyYAML's 1.1 resolver, OmegaConf's wider float pattern, no timestamps.
"""

from __future__ import annotations

import re

from confcompose._lazy_re import lazy_re
from confcompose.errors import YAMLError
from confcompose.location import Location

TYPE_CHECKING = False  # keep the typing module off the start-up path
if TYPE_CHECKING:
    from typing import Any

_INF, _NAN = float("inf"), float("nan")
_STD = "tag:yaml.org,2002:"
TAG_STR, TAG_INT, TAG_FLOAT, TAG_BOOL = _STD + "str", _STD + "int", _STD + "float", _STD + "bool"
TAG_NULL, TAG_BINARY, TAG_MAP, TAG_SEQ = _STD + "null", _STD + "binary", _STD + "map", _STD + "seq"
ALLOWED_TAGS = "!!str, !!int, !!float, !!bool, !!null, !!binary, !!map, !!seq"

# The plain scalars that YAML 1.1 (as PyYAML resolves it) reads as bool or null.
_KEYWORDS: dict[str, object] = {
    **dict.fromkeys(("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    **dict.fromkeys(("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
    **dict.fromkeys(("~", "null", "Null", "NULL"), None),
}
_EXPLICIT_BOOLS = {"yes": True, "true": True, "on": True, "no": False, "false": False, "off": False}
_KEYWORD_FIRST = frozenset("yYnNtTfFoO~")
_NUMBER_FIRST = frozenset("-+0123456789.")
# Every character the int and float patterns below can match (the digits of bases 2 to 16,
# signs, "_", ":", ".", exponents, inf and nan): a text with any other is a string. Neither
# pattern matches more than one ".", so "0.1.0" is a string too: no regex is compiled for it.
_NUMBER_CHARS = frozenset("0123456789_+-.:xabcdefABCDEFinINaA")
# PyYAML's int pattern: binary, hex, octal (leading 0), decimal and base-60 ("1:20" == 80).
_INT_RE = lazy_re(r"[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|0|[1-9][0-9_]*(?::[0-5]?[0-9])*)")
# The union of PyYAML's float pattern and the one OmegaConf adds (which makes "1e3" a float).
_FLOAT_RE = lazy_re(
    r"""[-+]?(?:[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?
              |[0-9]+(?:_[0-9]+)*\.[0-9_]*(?:[eE][-+]?[0-9]+)?
              |[0-9]+(?:_[0-9]+)*[eE][-+]?[0-9]+
              |[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
              |\.(?:inf|Inf|INF))
       |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
       |\.(?:nan|NaN|NAN)""",
    re.X,
)


def resolve_plain(text: str) -> Any:
    """Type a plain (unquoted) scalar the way OmegaConf 2.3 reads YAML.

    >>> [resolve_plain(s) for s in ("yes", "1e3", "010", "0x10", "1:20", "~", "y", "2024-01-01")]
    [True, 1000.0, 8, 16, 80, None, 'y', '2024-01-01']
    """
    if not text:
        return None
    first = text[0]
    if first in _KEYWORD_FIRST:
        return _KEYWORDS.get(text, text)
    if first in _NUMBER_FIRST:
        if text.count(".") > 1 or not _NUMBER_CHARS.issuperset(text):
            return text
        # The commonest numbers without compiling the patterns: "42", "-7", "1.3", "2.".
        body = text[1:] if first in "+-" else text
        if body.isascii() and body.isdigit() and (body[0] != "0" or body == "0"):
            return _to_int(text)  # decimal: `[1-9][0-9_]*` (a leading 0 is octal, or text)
        head, dot, tail = body.partition(".")
        if dot and body.isascii() and head.isdigit() and (not tail or tail.isdigit()):
            return _to_float(text)  # `[-+]?[0-9][0-9_]*\.[0-9_]*`
        if _INT_RE.fullmatch(text):
            return _to_int(text)
        if _FLOAT_RE.fullmatch(text):
            return _to_float(text)
    return text


def _to_int(text: str) -> int:
    """Convert like PyYAML's ``!!int`` constructor (raises ValueError/IndexError on bad text)."""
    digits = text.replace("_", "")
    sign = -1 if digits[0] == "-" else 1
    if digits[0] in "+-":
        digits = digits[1:]
    if digits == "0":
        return 0
    if digits.startswith("0b"):
        return sign * int(digits[2:], 2)
    if digits.startswith("0x"):
        return sign * int(digits[2:], 16)
    if digits[0] == "0":
        return sign * int(digits, 8)
    if ":" in digits:
        total = 0
        for part in digits.split(":"):
            total = total * 60 + int(part)
        return sign * total
    return sign * int(digits)


def _to_float(text: str) -> float:
    """Convert like PyYAML's ``!!float`` constructor (raises ValueError/IndexError on bad text)."""
    digits = text.replace("_", "").lower()
    sign = -1.0 if digits[0] == "-" else 1.0
    if digits[0] in "+-":
        digits = digits[1:]
    if digits == ".inf":
        return sign * _INF
    if digits == ".nan":
        return _NAN
    if ":" in digits:
        total = 0.0
        for part in digits.split(":"):
            total = total * 60 + float(part)
        return sign * total
    return sign * float(digits)


def tag_name(tag: str) -> str:
    return "!!" + tag[len(_STD) :] if tag.startswith(_STD) else tag


def explicit_scalar(tag: str, text: str, loc: Location) -> Any:
    """The value of a scalar written with one of the standard tags (``!!int "1"``)."""
    try:
        if tag == TAG_STR:
            return text
        if tag == TAG_INT:
            return _to_int(text)
        if tag == TAG_FLOAT:
            return _to_float(text)
        if tag == TAG_NULL:
            return None  # PyYAML ignores the text of an explicit !!null
        if tag == TAG_BOOL:
            return _EXPLICIT_BOOLS[text.lower()]
        if tag == TAG_BINARY:
            import base64  # only for !!binary values

            return base64.decodebytes(text.encode("ascii"))
    except (ValueError, IndexError, KeyError):  # binascii.Error is a ValueError
        raise YAMLError(f"cannot read {text!r} as {tag_name(tag)}", location=loc) from None
    if tag in (TAG_MAP, TAG_SEQ):
        kind = "mapping" if tag == TAG_MAP else "sequence"
        raise YAMLError(f"tag {tag_name(tag)} expects a {kind}, found a scalar", location=loc)
    raise YAMLError(
        f"unsupported tag {tag_name(tag)!r}; allowed tags: {ALLOWED_TAGS}", location=loc
    )


def container_tag_error(tag: str, is_map: bool, loc: Location) -> YAMLError:
    """The error for a mapping or sequence written with a tag other than its own."""
    if tag in (TAG_MAP, TAG_SEQ, TAG_STR, TAG_INT, TAG_FLOAT, TAG_BOOL, TAG_NULL, TAG_BINARY):
        found = "mapping" if is_map else "sequence"
        return YAMLError(f"tag {tag_name(tag)} cannot be used on a {found}", location=loc)
    return YAMLError(
        f"unsupported tag {tag_name(tag)!r}; allowed tags: {ALLOWED_TAGS}", location=loc
    )
