"""Value overrides (``a.b=1``, ``+a=1``, ``++a=1``, ``~a``, ``~a=v``, ``a=extend_list(x)``).

Applied, in their order, to the composed config after the defaults tree is merged, with Hydra's
rules: ``a=v`` needs ``a`` to exist, ``+a=v`` needs it absent, ``++a=v`` does either, ``~a``
deletes (``~a=v`` only when the value is ``v``). A mapping or list merges into an existing
container (``OmegaConf.update(merge=True)``). Errors name the override and the file:line of the
nearest existing key it addresses.
"""

from __future__ import annotations

import contextlib

from confcompose.errors import ConfigError, ConfigKeyError, OverrideError, suggestions
from confcompose.location import Location
from confcompose.merge import merge_into
from confcompose.nodes import MISSING, Container, DictNode, ListNode
from confcompose.tree import (
    ABSENT,
    child_key,
    content,
    from_plain,
    history,
    key_in_parent,
    origin,
    parent,
    remove,
    set_origin,
    store,
    temporary_flags,
    value,
    walk,
)

TYPE_CHECKING = False  # keep the typing module off the start-up path
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from confcompose.parsing.overrides import Override


def override_location(o: Override) -> Location:
    """Where an override is: its index on the command line and the column after ``=``."""
    column = o.text.find("=") + 2 if "=" in o.text else 1
    return Location(None, o.index, column, "override", o.text)


def apply_value(root: DictNode, o: Override, lenient: bool) -> None:
    """Apply one value override with Hydra's rules (``lenient``: add what is missing)."""
    from confcompose.parsing.overrides import NO_VALUE, ListExtension

    where = override_location(o)
    parts = o.key_parts()
    if not o.key or any(not p for p in parts):
        raise OverrideError(
            f"Could not override '{o.key}': an override needs a key before '='",
            location=where,
            expected="key=value, group=option or +key=value",
        )
    if o.package is not None:
        raise OverrideError(
            f"Override {o.text} looks like a config group override, but config group "
            f"'{o.key}' does not exist.",
            location=where,
            suggestions=[],
        )
    if o.key.startswith("hydra/"):
        raise OverrideError(
            f"Override {o.text}: no config group '{o.key}' on the search path", location=where
        )
    container, key, raw = _select(root, parts)
    current = _value_of(container, raw)
    value = o.value
    try:
        if o.kind == "delete":
            if current is None:
                if lenient:
                    return
                raise OverrideError(
                    f"Could not delete from config. '{o.key}' does not exist.", location=where
                )
            if value is not NO_VALUE and value != _plain(current):
                raise OverrideError(
                    f"Could not delete from config. The value of '{o.key}' is "
                    f"{_plain(current)} and not {value}.",
                    location=where,
                )
            assert container is not None
            remove(container, key)
        elif isinstance(value, ListExtension):
            _extend(root, o, parts, current, where)
        elif o.kind == "add" and not lenient:
            if current is not None and not isinstance(value, dict | list):
                raise OverrideError(
                    "Could not append to config. An item is already at "
                    f"'{o.key}'.\nEither remove + prefix: '{o.text[1:]}'\n"
                    f"Or add a second + to add or override '{o.key}': '+{o.text}'",
                    location=where,
                )
            _update(root, parts, value, where, force_add=True)
        elif o.kind in ("force_add", "add") or lenient:
            _update(root, parts, value, where, force_add=True)
        else:
            try:
                _update(root, parts, value, where, force_add=False)
            except ConfigKeyError as exc:
                raise _could_not_override(root, o, parts, where) from exc
    except OverrideError as exc:
        raise _annotate(exc, o, root, parts) from None
    except (ConfigError, IndexError, ValueError, TypeError) as exc:
        # The override is the place to point at; the inner error's own location (the Python
        # line that applied it) would only be noise.
        inner = (
            ConfigError(
                exc.msg, key_path=exc.key_path, expected=exc.expected, suggestions=exc.suggestions
            )
            if isinstance(exc, ConfigError)
            else exc
        )
        err = OverrideError(f"Error merging override {o.text}: {inner}", location=where)
        raise _annotate(err, o, root, parts) from None


def _select(root: Container, parts: Sequence[str]) -> tuple[Container | None, Any, Any]:
    """``(container, key, raw)`` of a path, OmegaConf-style (``(None, None, None)`` if absent).

    Keys match exactly (the segment ``1`` is the key ``"1"``, as in Hydra); an interpolation on
    the way is followed (one that cannot resolve names nothing), one at the end is resolved when
    it can be."""
    try:
        found = walk(root, parts, coerce=False, strict_missing=False)
    except ConfigError:
        found = None
    if found is None:
        return None, None, None
    container, key = found
    raw = content(container)[key]
    if type(raw) is str and "${" in raw and isinstance(container, DictNode):
        with contextlib.suppress(ConfigError):
            raw = value(container, key)
    return container, key, raw


def _value_of(container: Container | None, raw: Any) -> Any:
    """What ``OmegaConf.select(throw_on_missing=False)`` gives: ``None`` for absent or ``???``."""
    if container is None:
        return None
    if type(raw) is str and raw == MISSING:
        return None
    return raw


def _existing_keys(root: DictNode, parts: Sequence[str]) -> tuple[list[tuple[DictNode, str]], Any]:
    """The ``(mapping, key)`` steps of the path that exist, through mappings only and not
    following interpolations (what an error message can point at), and the node reached."""
    steps: list[tuple[DictNode, str]] = []
    node: Any = root
    for part in parts:
        if not isinstance(node, DictNode) or part not in content(node):
            break
        steps.append((node, part))
        node = content(node)[part]
    return steps, node


def _annotate(
    exc: OverrideError, o: Override, root: DictNode, parts: Sequence[str]
) -> OverrideError:
    """Add the override's position and the file:line of the nearest existing key it names."""
    note = f"(override #{o.index + 1}"
    steps, _ = _existing_keys(root, parts)
    found = origin(*steps[-1]) if steps else None
    if found is not None and found.kind != "override":
        note += f"; '{'.'.join(parts[: len(steps)])}' was set at {found.format()}"
    note += ")"
    return OverrideError(f"{exc.msg} {note}", location=exc.location, suggestions=exc.suggestions)


def _plain(value: Any) -> Any:
    if isinstance(value, Container):
        from confcompose.export import to_container

        return to_container(value, resolve=True)
    return value


def _could_not_override(
    root: DictNode, o: Override, parts: Sequence[str], where: Location
) -> OverrideError:
    steps, node = _existing_keys(root, parts)
    close: list[str] = []
    if len(steps) < len(parts) and isinstance(node, DictNode):
        close = suggestions(parts[len(steps)], [k for k in content(node) if isinstance(k, str)])
    return OverrideError(
        f"Could not override '{o.key}'. To append to your config use +{o.text}",
        location=where,
        suggestions=close,
    )


def _extend(
    root: DictNode, o: Override, parts: Sequence[str], current: Any, where: Location
) -> None:
    from confcompose.parsing.overrides import ListExtension

    assert isinstance(o.value, ListExtension)
    items = list(o.value.items)
    if current is None and o.kind == "force_add":
        _update(root, parts, items, where, force_add=True)
        return
    if not isinstance(current, ListNode):
        what = "does not exist" if current is None else f"is a {type(current).__name__}"
        raise OverrideError(f"Could not extend '{o.key}': it {what}, not a list", location=where)
    for item in items:
        current.append(item)
        set_origin(current, len(content(current)) - 1, where)
    holder = parent(current)
    if holder is not None:
        key = key_in_parent(current)
        before = history(holder, key)
        set_origin(holder, key, (*before, where) if before else where)


def _update(
    root: DictNode, parts: Sequence[str], new: Any, where: Location, force_add: bool
) -> None:
    """``OmegaConf.update(cfg, key, new, merge=True, force_add=...)`` as Hydra applies an
    override: keys match exactly (``a.1`` is the key ``"1"``), a mapping or a list merges into
    the container already there (whatever its kind), a replaced value keeps its history.

    Not :func:`confcompose.merge.set_path`, whose rules are ``confcompose.update``'s: it finds
    the key ``1`` for the segment ``1`` and merges only a dict into a dict."""
    lift: dict[str, bool | None] = {"struct": False} if force_add else {}
    node: Container = root
    for part in parts[:-1]:
        child = _child(node, part)
        if not isinstance(child, Container):
            with temporary_flags(node, lift):
                _store(node, part, {}, where)
            child = _child(node, part)
        node = child
    with temporary_flags(node, lift):
        existing = _child(node, parts[-1])
        if isinstance(new, dict | list) and isinstance(existing, Container):
            merge_into(existing, from_plain(new, where))
            return
        _store(node, parts[-1], new, where)


def _child(node: Container, part: Any) -> Any:
    if isinstance(node, ListNode):
        part = int(part)  # a segment that is no index fails here, as in OmegaConf
    key = child_key(node, part, coerce=False)
    return None if key is ABSENT else content(node)[key]


def _store(node: Container, part: Any, new: Any, where: Location) -> None:
    if isinstance(node, ListNode):
        store(node, int(part), new, where)  # an index past the end fails, as in OmegaConf
        return
    before = history(node, part)
    store(node, part, new, where)
    if before:  # keep the history: files first, then this override
        set_origin(node, part, (*before, where))
