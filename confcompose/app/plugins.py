"""Config folders of installed Hydra plugin packages, found as Hydra finds them, without Hydra.

Hydra plugins live in the ``hydra_plugins`` namespace package. A plugin that ships configs
(hydra-colorlog's ``hydra/job_logging=colorlog``, ...) declares a ``SearchPathPlugin`` subclass
whose ``manipulate_search_path`` appends a source::

    search_path.append("hydra-colorlog", "pkg://hydra_plugins.hydra_colorlog.conf")

Importing those modules would import hydra-core, so their source is read instead: every
``.append/prepend("provider", "path")`` with literal arguments after such a class statement
is a search-path entry. Only files that mention ``SearchPathPlugin`` are read further.
"""

from __future__ import annotations

import os
import sys

_NAMESPACE = "hydra_plugins"


def plugin_dirs(path: list[str] | None = None) -> list[str]:
    """The folders of the ``hydra_plugins`` namespace package on ``path`` (``sys.path``)."""
    out = []
    for entry in sys.path if path is None else path:
        folder = os.path.join(entry or os.curdir, _NAMESPACE)
        if folder not in out and os.path.isdir(folder):
            out.append(folder)
    return out


# `class X(SearchPathPlugin):` (any qualified base), then `x.append("provider", "path")`: what
# these patterns find is read by the scanner below without compiling them (~0.4 ms of every app
# start with a plugin installed); tests/app/test_searchpath.py holds the two to each other.
CLASS_PATTERN = r"^class\s+\w+\s*\([^)]*SearchPathPlugin[^)]*\)\s*:"  # re.M
CALL_PATTERN = (
    r"\.(?:append|prepend)\(\s*(?:provider\s*=\s*)?([\"'])[^\"']*\1\s*,"
    r"\s*(?:path\s*=\s*)?([\"'])([^\"']+)\2"
)


def _skip_space(text: str, i: int) -> int:
    # `\s*` (str.isspace is what \s matches in a str pattern)
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def _class_end(text: str) -> int | None:
    """Where the first ``class X(...SearchPathPlugin...):`` at a line start ends, or None."""
    pos = 0
    while (i := text.find("class", pos)) >= 0:
        pos = i + 1
        if i and text[i - 1] != "\n":
            continue
        j = _skip_space(text, i + 5)
        if j == i + 5:
            continue
        k = j
        while k < len(text) and (text[k].isalnum() or text[k] == "_"):  # `\w+`
            k += 1
        k = _skip_space(text, k)
        if k == j or k >= len(text) or text[k] != "(":
            continue
        close = text.find(")", k + 1)
        if close < 0 or "SearchPathPlugin" not in text[k + 1 : close]:
            continue
        end = _skip_space(text, close + 1)
        if end < len(text) and text[end] == ":":
            return end + 1
    return None


def _keyword(text: str, i: int, word: str) -> int:
    # `(?:word\s*=\s*)?`: past it when it is there, else i
    if text.startswith(word, i):
        j = _skip_space(text, i + len(word))
        if j < len(text) and text[j] == "=":
            return _skip_space(text, j + 1)
    return i


def _quoted(text: str, i: int, empty: bool) -> tuple[str, int] | None:
    # `(["'])[^"']*\1` (`+` unless empty): the text and where it ends
    if i >= len(text) or text[i] not in "\"'":
        return None
    close = min((j for j in (text.find('"', i + 1), text.find("'", i + 1)) if j >= 0), default=-1)
    if close < 0 or text[close] != text[i] or (close == i + 1 and not empty):
        return None
    return text[i + 1 : close], close + 1


def _call_at(text: str, i: int) -> tuple[str, int] | None:
    """The path and end of ``.append("provider", "path")`` whose ``(`` is at ``i - 1``."""
    i = _keyword(text, _skip_space(text, i), "provider")
    provider = _quoted(text, i, empty=True)
    if provider is None:
        return None
    i = _skip_space(text, provider[1])
    if i >= len(text) or text[i] != ",":
        return None
    i = _keyword(text, _skip_space(text, i + 1), "path")
    return _quoted(text, i, empty=False)


def _sources_in(text: str) -> list[str]:
    # A scanner, not `ast`: importing ast and parsing would cost every app run a few
    # milliseconds when a plugin is installed.
    found: list[str] = []
    pos = _class_end(text)
    while pos is not None:
        starts = [j for j in (text.find(".append(", pos), text.find(".prepend(", pos)) if j >= 0]
        if not starts:
            break
        start = min(starts)
        call = _call_at(text, text.index("(", start) + 1)
        if call is None:
            pos = start + 1
            continue
        found.append(call[0])
        pos = call[1]
    return found


def plugin_searchpath(path: list[str] | None = None) -> list[str]:
    """Search-path entries (``pkg://...``, ``file://...``) declared by installed plugins.

    >>> plugin_searchpath([])
    []
    """
    out: list[str] = []
    for folder in plugin_dirs(path):
        for name in sorted(os.listdir(folder)):
            package = os.path.join(folder, name)
            files = (
                [os.path.join(package, f) for f in sorted(os.listdir(package))]
                if os.path.isdir(package)
                else [package]
            )
            for file in files:
                if not file.endswith(".py"):
                    continue
                try:
                    with open(file, encoding="utf-8", errors="replace") as f:
                        text = f.read()
                except OSError:
                    continue
                if "SearchPathPlugin" in text:
                    for entry in _sources_in(text):
                        source = _as_folder(entry, os.path.dirname(folder))
                        if source not in out:
                            out.append(source)
    return out


def _as_folder(entry: str, root: str) -> str:
    # `pkg://hydra_plugins.x.conf` next to the file is read as a folder: no importlib.resources
    # (~8 ms) and no import of the plugin package (whose __init__ may import hydra).
    if not entry.startswith("pkg://"):
        return entry.removeprefix("file://")
    folder = os.path.join(root, *entry.removeprefix("pkg://").split("."))
    return folder if os.path.isdir(folder) else entry
