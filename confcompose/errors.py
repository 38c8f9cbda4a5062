"""The confcompose exception tree.

Every failure a user can cause raises a :class:`ConfigError` subclass. Messages are computed when
the error is raised and read ``file:line:column: key.path: what went wrong; did you mean 'x'?``.
Subclasses also derive from the builtin a caller would naturally catch (``KeyError``,
``AttributeError``, ``ValueError``, ``TypeError``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence

from confcompose._lazy_re import lazy_re

TYPE_CHECKING = False  # keep the typing module out of `import confcompose`

if TYPE_CHECKING:
    from typing import Any, TypeVar

    from confcompose.location import Location

    _F = TypeVar("_F", bound=Callable[..., Any])


def suggestions(word: str, possibilities: Iterable[object], n: int = 3) -> list[str]:
    """Return up to ``n`` close matches of ``word`` among ``possibilities`` (best first).

    >>> suggestions("usr", ["user", "password", "host"])
    ['user']
    """
    from difflib import get_close_matches

    names = [str(p) for p in possibilities]
    return get_close_matches(str(word), names, n=n, cutoff=0.6)


_MENTIONS_EXPECTED = lazy_re(r"\bexpected\b")


def _did_you_mean(names: Sequence[str]) -> str:
    if not names:
        return ""
    if len(names) == 1:
        return f"; did you mean {names[0]!r}?"
    return "; did you mean " + ", ".join(repr(n) for n in names[:-1]) + f" or {names[-1]!r}?"


class ConfigError(Exception):
    """Base class of every error confcompose raises for bad input.

    Attributes: ``msg`` (the bare message), ``key_path`` (dotted full key or ``None``),
    ``location`` (a :class:`~confcompose.location.Location` or ``None``), ``expected`` (what was
    expected, in words, or ``None``) and ``suggestions`` (close valid names).

    >>> str(ConfigError("no such key", key_path="db.usr", suggestions=["user"]))
    "db.usr: no such key; did you mean 'user'?"
    """

    def __init__(
        self,
        msg: str,
        *,
        key_path: str | None = None,
        location: Location | None = None,
        expected: str | None = None,
        suggestions: Sequence[str] = (),
        context: str | None = None,
    ) -> None:
        self.msg = msg
        self.key_path = key_path
        self.location = location
        self.expected = expected
        self.suggestions = list(suggestions)
        self.context = context
        self.message = self._render()
        super().__init__(self.message)

    def _render(self) -> str:
        head = ""
        if self.location is not None:
            head = self.location.format() + ": "
        if self.key_path:
            head += f"{self.key_path}: "
        text = head + self.msg
        if self.expected and not _MENTIONS_EXPECTED.search(self.msg):
            text += f" (expected {self.expected})"
        text += _did_you_mean(self.suggestions)
        if self.context:
            text += "\n" + self.context
        return text

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild,
            (
                type(self),
                self.msg,
                {
                    "key_path": self.key_path,
                    "location": self.location,
                    "expected": self.expected,
                    "suggestions": self.suggestions,
                    "context": self.context,
                },
            ),
        )


def _rebuild(cls: type[ConfigError], msg: str, kwargs: dict[str, object]) -> ConfigError:
    return cls(msg, **kwargs)  # type: ignore[arg-type]


class ConfigKeyError(ConfigError, KeyError):
    """A key that does not exist (or may not be added)."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return self.message


class ConfigAttributeError(ConfigKeyError, AttributeError):
    """A key that does not exist, reached by attribute access."""


class MissingValueError(ConfigError):
    """A ``???`` value was read."""


class ReadonlyConfigError(ConfigError):
    """A read-only config was modified."""


class ConfigTypeError(ConfigError, TypeError):
    """An operation on the wrong kind of node, or an unsupported value type."""


class ConfigIndexError(ConfigKeyError, IndexError):
    """A list index out of range (also an ``IndexError``, as for a list)."""


class ValidationError(ConfigError, ValueError):
    """A value does not fit the declared type."""


class UnsupportedValueError(ConfigTypeError, ValidationError):
    """A value of a type a config cannot hold (an arbitrary object)."""


class ConfigParseError(ConfigError, ValueError):
    """Text (YAML, an interpolation, an override) could not be parsed."""


class YAMLError(ConfigParseError):
    """Malformed or unsafe YAML, a duplicate key, or a wrong top-level type."""


class InterpolationError(ConfigError, ValueError):
    """Base of the errors raised while resolving ``${...}`` (a ``ValueError``, as OmegaConf's)."""


class InterpolationSyntaxError(InterpolationError, ConfigParseError):
    """A malformed ``${...}`` expression."""


class InterpolationKeyError(InterpolationError):
    """An interpolation points at a key that does not exist (not a ``KeyError``: as in
    OmegaConf, a broken reference is a resolution failure, not an absent key of the config
    being read, so ``except KeyError`` around a lookup does not swallow it)."""


class InterpolationCycleError(InterpolationError):
    """Interpolations refer to each other in a cycle."""


class UnknownResolverError(InterpolationError):
    """An interpolation names a resolver that is not registered."""


class ResolverError(InterpolationError):
    """A resolver raised, or returned a value of an unsupported type."""


class CompositionError(ConfigError):
    """The defaults lists or the overrides could not be composed into a config."""


class OverrideError(CompositionError):
    """Base of the errors caused by a command-line override (an override that cannot apply
    is a composition failure, as Hydra's ``ConfigCompositionException`` has it)."""


class OverrideSyntaxError(OverrideError, ConfigParseError):
    """An override string that does not parse."""


class ConfigNotFoundError(CompositionError, FileNotFoundError):
    """A primary config, a group or a group option does not exist."""

    def __str__(self) -> str:
        return self.message


class InstantiationError(ConfigError):
    """``instantiate`` could not build the target."""


class InterpolationMissingError(InterpolationError, MissingValueError):
    """An interpolation points at a ``???`` value."""


class InterpolationValidationError(InterpolationError, ValidationError):
    """An interpolation resolved to a value that does not fit the declared type."""


def depth_guarded(fn: _F) -> _F:
    """Turn a RecursionError (a config nested thousands of levels deep) into a ConfigError."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except RecursionError:
            raise ConfigTypeError(
                f"{fn.__name__}: the config is nested too deeply (Python's recursion limit)",
                expected="fewer levels of nesting",
            ) from None

    return wrapper  # type: ignore[return-value]


__all__ = [
    "CompositionError",
    "ConfigAttributeError",
    "ConfigError",
    "ConfigIndexError",
    "ConfigKeyError",
    "ConfigNotFoundError",
    "ConfigParseError",
    "ConfigTypeError",
    "InstantiationError",
    "InterpolationCycleError",
    "InterpolationError",
    "InterpolationKeyError",
    "InterpolationMissingError",
    "InterpolationSyntaxError",
    "InterpolationValidationError",
    "MissingValueError",
    "OverrideError",
    "OverrideSyntaxError",
    "ReadonlyConfigError",
    "ResolverError",
    "UnknownResolverError",
    "UnsupportedValueError",
    "ValidationError",
    "YAMLError",
    "depth_guarded",
    "suggestions",
]
