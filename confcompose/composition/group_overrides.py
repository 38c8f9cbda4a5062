"""The group-selecting overrides of one compose (``db=x``, ``+db=x``, ``~db``, ``db@pkg=x``).

They choose options while the defaults tree is expanded: a command-line choice wins over an
``override group: option`` entry, ``+group=x`` appends an entry to the primary config's list,
``~group`` deletes one. :meth:`GroupOverrides.ensure_used` rejects the ones nothing matched, as
Hydra does.
"""

from __future__ import annotations

from confcompose.composition.defaults_list import DefaultsItem
from confcompose.composition.value_overrides import override_location
from confcompose.errors import CompositionError, OverrideError
from confcompose.location import Location

TYPE_CHECKING = False  # keep the typing module off the start-up path
if TYPE_CHECKING:
    from typing import Any

    from confcompose.composition.defaults import Entry
    from confcompose.parsing.overrides import Override


class _Meta:
    __slots__ = ("containing", "external", "origin", "used")

    def __init__(
        self, external: bool, containing: str | None = None, origin: Location | None = None
    ) -> None:
        self.external = external
        self.containing = containing
        self.used = False
        self.origin = origin


class GroupOverrides:
    """The group-selecting overrides of one compose (Hydra's ``Overrides``)."""

    def __init__(self) -> None:
        self.choices: dict[str, str | list[str] | None] = {}
        self.meta: dict[str, _Meta] = {}
        self.appends: list[tuple[DefaultsItem, Location]] = []
        self.deletions: dict[str, tuple[str | None, Location, bool]] = {}
        self.known: dict[str, str | None] = {}
        self.known_at: dict[str, Location | None] = {}
        self.known_per_group: dict[str, set[str]] = {}
        self.hydra_root = False
        # Hydra's multirun master config: a `???` group is left out (the sweep fills it per job).
        self.skip_missing = False
        # version_base 1.1: `- hydra/x: y` without `override` still overrides (with a warning).
        self.legacy_hydra_overrides = False

    def add_choice(self, key: str, value: Any, origin: Location) -> None:
        self.choices[key] = value
        self.meta[key] = _Meta(True, origin=origin)

    def add_override(self, containing: str, entry: Entry) -> None:
        key = entry.override_key()
        if key.startswith("hydra/") and not self.hydra_root:
            # Hydra's own groups come from the application layer; without it there is
            # nothing to override, as with hydra.compose() ignoring them.
            return
        if key not in self.choices:
            self.choices[key] = entry.value
            self.meta[key] = _Meta(False, containing, origin=entry.origin)

    def apply(self, entry: Entry) -> None:
        key = entry.override_key()
        if key in self.choices:
            entry.value = self.choices[key]
            meta = self.meta[key]
            meta.used = True
            if meta.external:
                entry.chosen_by = meta.origin

    def is_deleted(self, entry: Entry) -> bool:
        if entry.kind != "group":
            return False
        found = self.deletions.get(entry.override_key())
        return found is not None and (found[0] is None or found[0] == entry.name())

    def delete(self, entry: Entry) -> None:
        entry.deleted = True
        key = entry.override_key()
        name, origin, _ = self.deletions[key]
        self.deletions[key] = (name, origin, True)

    def set_known(self, entry: Entry) -> None:
        if entry.kind != "group":
            return
        key = entry.override_key()
        if key not in self.known:
            self.known[key] = entry.name()
            self.known_at[key] = entry.chosen_by or entry.origin
        elif entry.name() != self.known[key]:
            first = self.known_at.get(key)
            also = f" (also chosen at {first.format()})" if first is not None else ""
            raise CompositionError(
                f"Multiple values for {key}. To override a value use "
                f"'override {key}: {self.known[key]}'{also}",
                location=entry.origin,
            )
        self.known_per_group.setdefault(entry.group_path(), set()).add(key)

    def ensure_used(self) -> None:
        for key, meta in self.meta.items():
            if meta.used:
                continue
            keys = sorted(self.known_per_group.get(key.split("@")[0], ()))
            msg = f"Could not override '{key}'."
            if len(keys) > 1:
                msg += f"\nDid you mean to override one of {', '.join(keys)}?"
            elif keys:
                msg += f"\nDid you mean to override {keys[0]}?"
            else:
                msg += " No match in the defaults list."
            if meta.containing is not None:
                msg = f"In '{meta.containing}': {msg}"
            if meta.external:
                msg += f"\nTo append to your default list use +{key}={_show(self.choices[key])}"
            raise CompositionError(msg, location=meta.origin)
        for key, (name, origin, used) in self.deletions.items():
            if not used:
                desc = f"{key}={name}" if name is not None else key
                raise CompositionError(
                    f"Could not delete '{desc}'. No match in the defaults list", location=origin
                )


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ",".join(str(v) for v in value) + "]"
    return str(value)


def group_overrides(groups: list[Override]) -> GroupOverrides:
    """Sort the group-selecting overrides into choices, appended entries and deletions."""
    from confcompose.parsing.overrides import NO_VALUE

    ov = GroupOverrides()
    for o in groups:
        key = o.key if o.package is None else f"{o.key}@{o.package}"
        value = o.value
        where = override_location(o)
        if o.kind == "force_add":
            raise OverrideError(
                f"force-add of config groups is not supported: '{o.text}'", location=where
            )
        if o.kind == "delete":
            if value is not NO_VALUE and value is not None and not isinstance(value, str):
                raise OverrideError(
                    f"Config group override deletion value must be a string : {o.text}",
                    location=where,
                )
            name = None if value is NO_VALUE else value
            ov.deletions[key] = (name, where, False)
            continue
        if not isinstance(value, str | list):
            raise OverrideError(
                f"Config group override must be a string or a list. Got {type(value).__name__}",
                location=where,
            )
        if o.kind == "add":
            item = DefaultsItem(
                "group",
                o.key,
                list(value) if isinstance(value, list) else value,
                o.package,
                origin=where,
            )
            ov.appends.append((item, where))
        else:
            ov.add_choice(key, list(value) if isinstance(value, list) else value, where)
    return ov
