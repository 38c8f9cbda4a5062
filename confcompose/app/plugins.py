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
import re
import sys

from confcompose._lazy_re import lazy_re

_NAMESPACE = "hydra_plugins"


def plugin_dirs(path: list[str] | None = None) -> list[str]:
    """The folders of the ``hydra_plugins`` namespace package on ``path`` (``sys.path``)."""
    out = []
    for entry in sys.path if path is None else path:
        folder = os.path.join(entry or os.curdir, _NAMESPACE)
        if folder not in out and os.path.isdir(folder):
            out.append(folder)
    return out


# `class X(SearchPathPlugin):` (any qualified base), then `x.append("provider", "path")`.
_CLASS = lazy_re(r"^class\s+\w+\s*\([^)]*SearchPathPlugin[^)]*\)\s*:", re.M)
_CALL = lazy_re(
    r"\.(?:append|prepend)\(\s*(?:provider\s*=\s*)?([\"'])[^\"']*\1\s*,"
    r"\s*(?:path\s*=\s*)?([\"'])([^\"']+)\2"
)


def _sources_in(text: str) -> list[str]:
    # A regular expression, not `ast`: importing ast and parsing would cost every app run
    # a few milliseconds when a plugin is installed.
    found = []
    classes = [m.end() for m in _CLASS.finditer(text)]
    if not classes:
        return []
    for call in _CALL.finditer(text, classes[0]):
        found.append(call.group(3))
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
