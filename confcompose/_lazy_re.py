"""Module-level regular expressions compiled on first use instead of at import.

Compiling costs 0.1-0.5 ms a pattern; a module's dozen patterns at import cost every process
that imports it, even one that never matches them (an app start writes YAML but reads none, a
plain override never meets the sweep patterns).

>>> import re
>>> WORD = lazy_re(r"[a-z]+")
>>> isinstance(WORD, re.Pattern), WORD.pattern  # a placeholder, not compiled yet
(False, '[a-z]+')
>>> WORD.fullmatch("abc") is not None
True
>>> isinstance(WORD, re.Pattern)  # the first use rebound the global to the compiled pattern
True
"""

from __future__ import annotations

import re
import sys

TYPE_CHECKING = False  # keep the typing module out of `import confcompose`
if TYPE_CHECKING:
    from typing import Any


class _LazyPattern:
    """Stands in for a module global ``re.Pattern`` until its first use, which compiles it and
    rebinds every global of the defining module that names this placeholder to the compiled
    pattern: the module's functions then read the real pattern, at no extra cost per call."""

    __slots__ = ("_compiled", "_flags", "_namespace", "pattern")

    def __init__(self, pattern: str, flags: int, namespace: dict[str, Any]) -> None:
        self.pattern = pattern
        self._flags = flags
        self._namespace = namespace
        self._compiled: re.Pattern[str] | None = None

    def _compile(self) -> re.Pattern[str]:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self.pattern, self._flags)
            for name, value in list(self._namespace.items()):
                if value is self:
                    self._namespace[name] = compiled
        return compiled

    def __getattr__(self, name: str) -> Any:
        return getattr(self._compile(), name)

    def __repr__(self) -> str:
        return f"lazy_re({self.pattern!r})"


def lazy_re(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A placeholder for ``re.compile(pattern, flags)``, compiled on first use.

    Meant for module globals: the first use rebinds the global to the compiled pattern.
    ``.pattern`` reads without compiling. It is not an ``re.Pattern`` instance:
    pass ``X.pattern`` (not ``X``) to ``re.sub`` and friends.
    """
    return _LazyPattern(pattern, flags, sys._getframe(1).f_globals)  # type: ignore[return-value]


__all__ = ["lazy_re"]
