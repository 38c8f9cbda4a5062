"""Value overrides (``a.b=1``, ``+a=1``, ``++a=1``, ``~a``, ``~a=v``, ``a=extend_list(x)``).

Applied, in their order, to the composed config after the defaults tree is merged, with Hydra's
rules: ``a=v`` needs ``a`` to exist, ``+a=v`` needs it absent, ``++a=v`` does either, ``~a``
deletes (``~a=v`` only when the value is ``v``). A mapping or list merges into an existing
container (``OmegaConf.update(merge=True)``). Errors name the override and the file:line of the
nearest existing key it addresses.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from confcompose.errors import ConfigError, ConfigKeyError, OverrideError, suggestions
from confcompose.location import Location
from confcompose.merge import merge_into
from confcompose.nodes import MISSING, Container, DictNode, ListNode

if TYPE_CHECKING:
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
            _delete(container, key)
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
    """``(container, key, raw)`` of a path, OmegaConf-style (``(None, None, None)`` if absent)."""
    node: Any = root
    container: Container | None = None
    key: Any = None
    for part in parts:
        if isinstance(node, DictNode):
            if part not in node._content:
                return None, None, None
            container, key = node, part
        elif isinstance(node, ListNode):
            try:
                index = int(part)
            except ValueError:
                return None, None, None
            if not -len(node._content) <= index < len(node._content):
                return None, None, None
            container, key = node, index % len(node._content)
        else:
            return None, None, None
        node = container._content[key]
        if type(node) is str and "${" in node and isinstance(container, DictNode):
            with contextlib.suppress(ConfigError):
                node = container._get(key)
    return container, key, node


def _value_of(container: Container | None, raw: Any) -> Any:
    """What ``OmegaConf.select(throw_on_missing=False)`` gives: ``None`` for absent or ``???``."""
    if container is None:
        return None
    if type(raw) is str and raw == MISSING:
        return None
    return raw


def _annotate(
    exc: OverrideError, o: Override, root: DictNode, parts: Sequence[str]
) -> OverrideError:
    """Add the override's position and the file:line of the nearest existing key it names."""
    note = f"(override #{o.index + 1}"
    node: Any = root
    found: Location | None = None
    path: list[str] = []
    for part in parts:
        if isinstance(node, DictNode) and part in node._content:
            found = node._origin(part)
            node = node._content[part]
            path.append(part)
        else:
            break
    if found is not None and found.kind != "override" and path:
        note += f"; '{'.'.join(path)}' was set at {found.format()}"
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
    node: Any = root
    close: list[str] = []
    for part in parts:
        if isinstance(node, DictNode) and part in node._content:
            node = node._content[part]
            continue
        if isinstance(node, DictNode):
            close = suggestions(part, [k for k in node._content if isinstance(k, str)])
        break
    return OverrideError(
        f"Could not override '{o.key}'. To append to your config use +{o.text}",
        location=where,
        suggestions=close,
    )


def _as_history(origin: Any) -> tuple[Location, ...]:
    # A Location is itself a (named) tuple: tell it apart from a history of Locations.
    return (origin,) if isinstance(origin, Location) else tuple(origin)


def _delete(container: Container, key: Any) -> None:
    if isinstance(container, DictNode):
        del container._content[key]
        container._origins.pop(key, None)
    else:
        assert isinstance(container, ListNode)
        del container._content[key]
        del container._origins[key]
        container._reindex(key)


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
        n = len(current._content)
        current._content.append(current._wrap(n, item, where))
        current._origins.append(where)
    holder: Any = current._parent
    if holder is not None:
        if isinstance(holder, ListNode):
            before = holder._origins[current._key]
        else:
            before = holder._origins.get(current._key)
        holder._origins[current._key] = (*_as_history(before), where) if before else where


def _update(
    root: DictNode, parts: Sequence[str], value: Any, where: Location, force_add: bool
) -> None:
    """``OmegaConf.update(cfg, key, value, merge=True, force_add=...)`` on our nodes."""
    node: Container = root
    for part in parts[:-1]:
        child = _child(node, part)
        if not isinstance(child, Container):
            with _struct_off(node, force_add):
                _store(node, part, {}, where)
            child = _child(node, part)
        assert isinstance(child, Container)
        node = child
    last: Any = parts[-1]
    if isinstance(node, ListNode):
        last = int(last)
    with _struct_off(node, force_add):
        existing = _child(node, last)
        if isinstance(value, dict | list) and isinstance(existing, Container):
            src = (
                DictNode._from_plain(value, where)
                if isinstance(value, dict)
                else (ListNode._from_plain(value, where))
            )
            merge_into(existing, src)
            return
        _store(node, last, value, where)


def _child(node: Container, key: Any) -> Any:
    if isinstance(node, DictNode):
        return node._content.get(key)
    assert isinstance(node, ListNode)
    index = int(key)
    if -len(node._content) <= index < len(node._content):
        return node._content[index]
    return None


def _store(node: Container, key: Any, value: Any, where: Location) -> None:
    if isinstance(node, DictNode):
        before = node._origins.get(key)
        node._set(key, value, where)
        if before is not None:  # keep the history: files first, then this override
            node._origins[key] = (*_as_history(before), where)
        return
    assert isinstance(node, ListNode)
    i = node._index(int(key))
    node._check_writable(i)
    node._content[i] = node._wrap(i, value, where)
    node._origins[i] = where


class _struct_off:
    __slots__ = ("active", "had", "node", "saved")

    def __init__(self, node: Container, active: bool) -> None:
        self.node = node
        self.active = active
        self.had = False
        self.saved: bool | None = None

    def __enter__(self) -> None:
        if self.active:
            flags = self.node._flags
            self.had = bool(flags) and "struct" in flags  # type: ignore[operator]
            self.saved = flags.get("struct") if flags else None
            self.node._set_flag("struct", False)

    def __exit__(self, *exc: object) -> None:
        if self.active:
            self.node._set_flag("struct", self.saved if self.had else None)
