"""Where a value came from: a file position, an override, or a Python call."""

from __future__ import annotations

import os
import sys

from confcompose._typing import NamedTuple

TYPE_CHECKING = False  # the typing module costs ~3 ms to import; mypy still sees this branch
if TYPE_CHECKING:
    from typing import Any


class Location(NamedTuple):
    """A place that set a value.

    ``kind`` is ``"file"`` (``file``/``line``/``column``, 1-based), ``"override"`` (``detail`` is
    the override text, ``line`` its index on the command line, ``column`` the column in it),
    ``"code"`` (``file``/``line`` of the Python call) or ``"default"`` (a schema default).

    >>> Location("conf/db/mysql.yaml", 3, 7).format()
    'conf/db/mysql.yaml:3:7'
    >>> Location(None, 0, None, "override", "db.port=5").format()
    "override 'db.port=5'"
    """

    file: str | None = None
    line: int | None = None
    column: int | None = None
    kind: str = "file"
    detail: str | None = None

    def format(self) -> str:
        """Render as ``file:line:column`` (or a description of the override / call)."""
        if self.kind == "override":
            return f"override {self.detail!r}"
        if self.kind == "default" and self.file is None:
            return f"default ({self.detail})" if self.detail else "default"
        parts = [self.file or "<string>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        text = ":".join(parts)
        if self.kind == "code" and self.detail:
            text += f" in {self.detail}"
        return text

    def __str__(self) -> str:
        return self.format()


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def code_location(depth: int = 0) -> Location:
    """The user's line that called into confcompose, as a ``code`` Location.

    Frames inside confcompose itself (wrappers, the node classes, ...) are skipped, so any
    function of the package finds the user's call; ``depth`` only saves the walk over the
    ``depth`` frames above the caller that are known to be the package's own. When only package
    frames are on the stack (never in practice) the outermost one is returned.
    """
    try:
        frame: Any = sys._getframe(depth + 1)
    except ValueError:  # pragma: no cover - depth beyond the outermost frame
        return Location(None, None, None, "code")
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
    code = frame.f_code
    return Location(code.co_filename, frame.f_lineno, None, "code", code.co_name)
