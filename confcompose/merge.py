"""Deep merge of node trees with OmegaConf's rules, recording each value's history.

Dicts merge key by key, lists are replaced, ``None`` replaces, ``???`` never overwrites a value,
and an interpolation is merged as its text. A struct destination rejects keys it does not have.
"""

from __future__ import annotations

from confcompose.errors import ConfigIndexError, ConfigKeyError, ValidationError, suggestions
from confcompose.location import Location
from confcompose.nodes import MISSING, Container, DictNode, ListNode, Origin
from confcompose.paths import split_path
from confcompose.tree import (
    ABSENT,
    child_key,
    content,
    from_plain,
    origins,
    set_origin,
    store,
    temporary_flags,
)

TYPE_CHECKING = False  # keep the typing module out of `import confcompose`
if TYPE_CHECKING:
    from collections.abc import Sequence
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


def _adopt_subclass_schema(dst: DictNode, src: DictNode) -> None:
    """As OmegaConf: merging a node typed by a subclass of ``dst``'s dataclass retypes ``dst``
    (``merge(Base, Child)`` is a ``Child``), so the subclass's own fields are accepted; a node
    of an unrelated dataclass is refused."""
    new = getattr(src._schema, "cls", None)
    old = getattr(dst._schema, "cls", None)
    if not (isinstance(new, type) and isinstance(old, type)) or new is old:
        return
    if not issubclass(new, old):
        raise ValidationError(
            f"cannot merge a {new.__name__} into a {old.__name__}",
            key_path=dst._path() or None,
            expected=f"{old.__name__} or a subclass of it",
        )
    dst._schema = src._schema


def _adopt_type(dst: DictNode, src: DictNode) -> None:
    """As OmegaConf: an untyped mapping that a dataclass-typed node was merged into takes its
    type (``merge({}, DB)`` is a ``DB``), and the node's own flags (a frozen dataclass's
    ``readonly``) come along."""
    if dst._schema is None and getattr(src._schema, "cls", None) is not None:
        dst._schema = src._schema
        for name, value in (src._flags or {}).items():
            dst._set_flag(name, value)


def _merge_dicts(dst: DictNode, src: DictNode) -> None:
    if src._schema is not None and src._schema is not dst._schema:
        _adopt_subclass_schema(dst, src)
    _merge_keys(dst, src)
    _adopt_type(dst, src)


def _merge_keys(dst: DictNode, src: DictNode) -> None:
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


def set_path(
    cfg: Container,
    key: str | Sequence[str],
    value: Any,
    origin: Location,
    *,
    merge: bool = True,
    force_add: bool = False,
    keep_history: bool = False,
) -> None:
    """Set the value at the path ``key`` (text, or its segments) of ``cfg``, creating dicts on
    the way: what :func:`confcompose.update` does.

    A dict value is merged into an existing dict when ``merge``; ``force_add`` lifts struct
    mode on the way. The value stored gets ``origin``; with ``keep_history`` a key that had a
    value keeps its earlier history before ``origin`` (as an override over a file value).
    """
    parts = split_path(key) if isinstance(key, str) else key
    if not parts:
        raise ConfigKeyError("empty key path", key_path=key if isinstance(key, str) else "")
    lift: dict[str, bool | None] = {"struct": False} if force_add else {}
    node: Any = cfg
    for part in parts[:-1]:
        k = child_key(node, part)
        if k is ABSENT or not isinstance(content(node)[k], Container):
            k = part if k is ABSENT else k
            with temporary_flags(node, lift):
                store(node, k, {}, origin)
        node = content(node)[k]
    last = child_key(node, parts[-1])
    if isinstance(node, ListNode):
        if last is ABSENT:
            raise ConfigIndexError(f"no index {parts[-1]!r} in the list", key_path=_text(key))
        store(node, last, value, origin)
        return
    target = parts[-1] if last is ABSENT else last
    existing = content(node).get(target) if last is not ABSENT else None
    if merge and isinstance(existing, DictNode) and isinstance(value, dict | DictNode):
        src = value if isinstance(value, DictNode) else from_plain(value, origin)
        with temporary_flags(node, lift):
            merge_into(existing, src)
        return
    before = origins(node).get(target) if keep_history else None
    with temporary_flags(node, lift):
        # By attribute for a string key (a struct refusal is a ConfigAttributeError), as
        # OmegaConf.update does it.
        store(node, target, value, origin, attr=isinstance(target, str))
    if before is not None:
        set_origin(node, target, _history(before, origin) or origin)


def _text(key: str | Sequence[str]) -> str:
    return key if isinstance(key, str) else ".".join(map(str, key))


# Transition alias for modules not yet converted (resolve.py): use set_path.
update_path = set_path
