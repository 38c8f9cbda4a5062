"""Deep merge of node trees with OmegaConf's rules, recording each value's history.

Dicts merge key by key, lists are replaced, ``None`` replaces, ``???`` never overwrites a value,
and an interpolation is merged as its text. A struct destination rejects keys it does not have.
"""

from __future__ import annotations

from confcompose.errors import ConfigKeyError, ValidationError, suggestions
from confcompose.location import Location
from confcompose.nodes import MISSING, Container, DictNode, ListNode, Origin

TYPE_CHECKING = False  # keep the typing module out of `import confcompose`
if TYPE_CHECKING:
    from typing import Any


_NOTHING: Any = object()


def _history(old: Origin | None, new: Origin | None) -> Origin | None:
    """The history of a key after ``new`` was merged over ``old``."""
    if new is None:
        return old
    if old is None:
        return new
    before: tuple[Location, ...] = old if type(old) is tuple else (old,)  # type: ignore[assignment]
    after: tuple[Location, ...] = new if type(new) is tuple else (new,)  # type: ignore[assignment]
    return before + after


def _dereference(dst: DictNode, key: Any, raw: str) -> Any:
    try:
        return dst._resolve_leaf(key, raw)
    except Exception:  # an interpolation that does not resolve is simply replaced
        return raw


def _kind(node: Container) -> str:
    return "mapping" if isinstance(node, DictNode) else "list"


def merge_into(dst: Container, src: Container) -> None:
    """Merge ``src`` into ``dst`` in place (``src`` is not modified; its values are copied)."""
    if isinstance(dst, DictNode) and isinstance(src, DictNode):
        _merge_dicts(dst, src)
    elif isinstance(dst, ListNode) and isinstance(src, ListNode):
        dst._content = [
            v._copy(dst, i) if isinstance(v, Container) else v for i, v in enumerate(src._content)
        ]
        dst._origins = list(src._origins)
    else:
        from confcompose.errors import ConfigTypeError

        raise ConfigTypeError(
            f"cannot merge a {type(src).__name__} into a {type(dst).__name__}",
            key_path=dst._path() or None,
        )


def _merge_dicts(dst: DictNode, src: DictNode) -> None:
    content = dst._content
    origins = dst._origins
    struct = dst._get_flag("struct")
    schema = dst._schema
    for key, value in src._content.items():
        old = content.get(key, _NOTHING)
        if old is _NOTHING:
            if struct:
                raise ConfigKeyError(
                    "key not in struct config",
                    key_path=dst._child_path(key),
                    location=src._origin(key),
                    suggestions=suggestions(str(key), [k for k in content if isinstance(k, str)]),
                )
        elif type(value) is str and value == MISSING:
            # A missing value never overwrites a value that is there.
            continue
        if isinstance(value, DictNode) and type(old) is str and "${" in old:
            old = _dereference(dst, key, old)
        if (
            isinstance(value, Container)
            and isinstance(old, Container)
            and type(value) is not type(old)
            and old._schema is None
        ):
            from confcompose.errors import ConfigTypeError

            # As OmegaConf: a list does not replace a mapping, nor a mapping a list.
            raise ConfigTypeError(
                f"cannot merge a {_kind(value)} into a {_kind(old)} (a value replaces a value, "
                "but a list and a mapping do not merge)",
                key_path=dst._child_path(key),
                location=src._origin(key),
                expected=f"a {_kind(old)}",
            )
        if isinstance(value, DictNode) and isinstance(old, DictNode):
            if old._parent is not dst or old._key != key:
                # Merging into an interpolation to a dict: OmegaConf merges into a copy of
                # the target, which then replaces the interpolation.
                old = old._copy(dst, key)
                content[key] = old
            _merge_dicts(old, value)
        else:
            new = value._copy(dst, key) if isinstance(value, Container) else value
            if schema is not None:
                try:
                    new = schema.convert(dst, key, new)
                except ValidationError as e:
                    # Point at the value being merged in (its file:line), not at the caller.
                    raise ValidationError(
                        e.msg,
                        key_path=e.key_path,
                        location=src._origin(key) or e.location,
                        expected=e.expected,
                        suggestions=e.suggestions,
                    ) from None
            content[key] = new
        merged = _history(origins.get(key), src._origins.get(key))
        if merged is not None:
            origins[key] = merged
