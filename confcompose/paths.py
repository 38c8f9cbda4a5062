"""Key paths: ``a.b[0].c`` and quoted segments for keys that contain dots (``a.'x.y'.c``)."""

from __future__ import annotations

import functools
import re

from confcompose._lazy_re import lazy_re
from confcompose.errors import ConfigKeyError

# A segment is a quoted key ('x.y' or "x.y"), a bracketed index or key ([0], ['x.y']), or a
# plain run of characters up to the next '.' or '['.
_SEGMENT = lazy_re(
    r"""
    '(?P<sq>[^']*)'
  | "(?P<dq>[^"]*)"
  | \[\s*(?:'(?P<bsq>[^']*)'|"(?P<bdq>[^"]*)"|(?P<br>[^\]]*?))\s*\]
  | (?P<plain>[^.\[\]'"]+)
    """,
    re.VERBOSE,
)


@functools.lru_cache(maxsize=4096)
def split_path(path: str) -> tuple[str, ...]:
    """Split a key path into its segments.

    >>> split_path("a.b[0].c")
    ('a', 'b', '0', 'c')
    >>> split_path("model.'lr.decay'.x")
    ('model', 'lr.decay', 'x')
    >>> split_path("")
    ()
    """
    if path == "":
        return ()
    if "'" not in path and '"' not in path and "[" not in path:
        parts = tuple(path.split("."))
        if "" in parts:
            raise ConfigKeyError(f"invalid key path {path!r}: empty segment", key_path=path)
        return parts
    out: list[str] = []
    pos = 0
    n = len(path)
    expect_sep = False
    while pos < n:
        ch = path[pos]
        if expect_sep:
            if ch == ".":
                pos += 1
                expect_sep = False
                if pos == n:
                    raise ConfigKeyError(f"invalid key path {path!r}: ends with '.'", key_path=path)
                continue
            if ch != "[":
                raise ConfigKeyError(
                    f"invalid key path {path!r} at column {pos + 1}",
                    key_path=path,
                    expected="'.' or '['",
                )
        m = _SEGMENT.match(path, pos)
        if m is None:
            raise ConfigKeyError(f"invalid key path {path!r} at column {pos + 1}", key_path=path)
        group = m.lastgroup
        out.append(m.group(group or "plain"))
        pos = m.end()
        expect_sep = True
    return tuple(out)


def quote_key(key: object) -> str:
    """Render one key for a path, quoting it when it contains path punctuation.

    >>> quote_key("lr.decay")
    "'lr.decay'"
    """
    text = str(key)
    if text == "" or any(c in text for c in ".[]'\""):
        return f'"{text}"' if "'" in text else f"'{text}'"
    return text


def join_path(prefix: str, key: object, is_index: bool = False) -> str:
    """Append ``key`` to the path ``prefix`` as OmegaConf renders full keys.

    >>> join_path("a.b", 0, is_index=True)
    'a.b[0]'
    >>> join_path("", "x")
    'x'
    """
    if is_index:
        return f"{prefix}[{key}]"
    q = quote_key(key)
    return f"{prefix}.{q}" if prefix else q
