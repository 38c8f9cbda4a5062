"""``overload`` for the core's public signatures, without importing ``typing`` at run time.

Type checkers (and ruff, through ``typing-modules`` in pyproject.toml) see ``typing.overload``;
at run time it is a no-op and the last definition, the implementation, is the one that stays.
"""

TYPE_CHECKING = False  # keep the typing module out of `import confcompose`
if TYPE_CHECKING:
    from typing import overload as overload
else:

    def overload(fn):  # never seen by type checkers
        return fn
