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
    child_path,
    content,
    copy_node,
    from_plain,
    get_flag,
    key_in_parent,
    origin,
    origins,
    own_flags,
    parent,
    path,
    schema,
    set_content,
    set_flag,
    set_origin,
    set_schema,
    store,
    temporary_flags,
    value,
)

TYPE_CHECKING = False  # keep the typing module out of `import confcompose`
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from confcompose.nodes import Schema


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
        return value(dst, key)
    except Exception:  # an interpolation that does not resolve is simply replaced
        return raw


def _kind(node: Container) -> str:
    return "mapping" if isinstance(node, DictNode) else "list"


def merge_into(dst: Container, src: Container) -> None:
    """Merge ``src`` into ``dst`` in place (``src`` is not modified; its values are copied)."""
    if isinstance(dst, DictNode) and isinstance(src, DictNode):
        _merge_dicts(dst, src)
    elif isinstance(dst, ListNode) and isinstance(src, ListNode):
        items = [
            copy_node(v, dst, i) if isinstance(v, Container) else v
            for i, v in enumerate(content(src))
        ]
        set_content(dst, items, list(origins(src)))
    else:
        from confcompose.errors import ConfigTypeError

        raise ConfigTypeError(
            f"cannot merge a {type(src).__name__} into a {type(dst).__name__}",
            key_path=path(dst) or None,
        )


def _adopt_subclass_schema(dst: DictNode, src: DictNode) -> None:
    """As OmegaConf: merging a node typed by a subclass of ``dst``'s dataclass retypes ``dst``
    (``merge(Base, Child)`` is a ``Child``), so the subclass's own fields are accepted; a node
    of an unrelated dataclass is refused."""
    new = getattr(schema(src), "cls", None)
    old = getattr(schema(dst), "cls", None)
    if not (isinstance(new, type) and isinstance(old, type)) or new is old:
        return
    if not issubclass(new, old):
        raise ValidationError(
            f"cannot merge a {new.__name__} into a {old.__name__}",
            key_path=path(dst) or None,
            expected=f"{old.__name__} or a subclass of it",
        )
    set_schema(dst, schema(src))


def _adopt_type(dst: DictNode, src: DictNode, typed: Schema) -> None:
    """As OmegaConf: an untyped mapping that a dataclass-typed node (typed by ``typed``) was
    merged into takes its type (``merge({}, DB)`` is a ``DB``), and the node's own flags (a
    frozen dataclass's ``readonly``) come along."""
    if schema(dst) is None and getattr(typed, "cls", None) is not None:
        set_schema(dst, typed)
        for name, flag in own_flags(src).items():
            set_flag(dst, name, flag)


def _merge_dicts(dst: DictNode, src: DictNode) -> None:
    typed = schema(src)
    if typed is not None and typed is not schema(dst):
        _adopt_subclass_schema(dst, src)
    _merge_keys(dst, src)
    if typed is not None:
        _adopt_type(dst, src, typed)


def _merge_keys(dst: DictNode, src: DictNode) -> None:
    here = content(dst)
    history = origins(dst)
    src_history = origins(src)
    struct = get_flag(dst, "struct")
    typed = schema(dst)
    for key, new in content(src).items():
        old = here.get(key, _NOTHING)
        if old is _NOTHING:
            if struct:
                raise ConfigKeyError(
                    "key not in struct config",
                    key_path=child_path(dst, key),
                    location=origin(src, key),
                    suggestions=suggestions(str(key), [k for k in here if isinstance(k, str)]),
                )
        elif type(new) is str and new == MISSING:
            # A missing value never overwrites a value that is there.
            continue
        if isinstance(new, DictNode) and type(old) is str and "${" in old:
            old = _dereference(dst, key, old)
        if (
            isinstance(new, Container)
            and isinstance(old, Container)
            and type(new) is not type(old)
            and schema(old) is None
        ):
            from confcompose.errors import ConfigTypeError

            # As OmegaConf: a list does not replace a mapping, nor a mapping a list.
            raise ConfigTypeError(
                f"cannot merge a {_kind(new)} into a {_kind(old)} (a value replaces a value, "
                "but a list and a mapping do not merge)",
                key_path=child_path(dst, key),
                location=origin(src, key),
                expected=f"a {_kind(old)}",
            )
        if isinstance(new, DictNode) and isinstance(old, DictNode):
            if parent(old) is not dst or key_in_parent(old) != key:
                # Merging into an interpolation to a dict: OmegaConf merges into a copy of
                # the target, which then replaces the interpolation.
                old = copy_node(old, dst, key)
                here[key] = old
            _merge_dicts(old, new)
        else:
            if isinstance(new, Container):
                new = copy_node(new, dst, key)
            if typed is not None:
                try:
                    new = typed.convert(dst, key, new)
                except ValidationError as e:
                    # Point at the value being merged in (its file:line), not at the caller.
                    raise ValidationError(
                        e.msg,
                        key_path=e.key_path,
                        location=origin(src, key) or e.location,
                        expected=e.expected,
                        suggestions=e.suggestions,
                    ) from None
            here[key] = new
        merged = _history(history.get(key), src_history.get(key))
        if merged is not None:
            history[key] = merged


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
    node: Any = cfg
    for part in parts[:-1]:
        k = child_key(node, part)
        if k is ABSENT or not isinstance(content(node)[k], Container):
            k = part if k is ABSENT else k
            with _lifted(node, force_add):
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
        with _lifted(node, force_add):
            merge_into(existing, src)
        return
    before = origins(node).get(target) if keep_history else None
    with _lifted(node, force_add):
        # By attribute for a string key (a struct refusal is a ConfigAttributeError), as
        # OmegaConf.update does it.
        store(node, target, value, origin, attr=isinstance(target, str))
    if before is not None:
        set_origin(node, target, _history(before, origin) or origin)


class _NoLift:
    """The context of a write that does not lift struct mode (one shared, stateless)."""

    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


_NO_LIFT = _NoLift()


def _lifted(node: Container, force_add: bool) -> temporary_flags | _NoLift:
    return temporary_flags(node, {"struct": False}) if force_add else _NO_LIFT


def _text(key: str | Sequence[str]) -> str:
    return key if isinstance(key, str) else ".".join(map(str, key))
