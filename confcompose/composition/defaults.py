"""Defaults lists and the defaults tree, with Hydra 1.3's rules.

A config's ``defaults:`` list names what is merged before (or after, see ``_self_``) its own
values: ``group: option``, ``group/sub: option``, ``/abs_group: option``, ``group@pkg: option``,
``optional group: option``, ``override group: option``, ``group: null``, ``group: ???``,
``group: [a, b]`` (options merged in order), ``group: ${other_group}`` (an interpolation over
the other choices), plain configs ``- other`` / ``- /abs/other``, and ``_self_``. Without
``_self_`` a config's own values come after its defaults (Hydra 1.1+).

The tree is expanded exactly in Hydra's order: each defaults list is walked from its last entry to
its first, so an ``override`` in a later sibling (an experiment) applies to earlier siblings.
Command-line group choices win over ``override`` entries.

Extension (Hydra lacks it): a group entry whose package ends in ``_list_`` collects its options
into a LIST instead of merging them into one dict. ``- callbacks@trainer.callbacks_list_: [a, b]``
is spelled more simply ``- callbacks@_list_: [a, b]``: the options ``callbacks/a`` and
``callbacks/b`` become the items of the list at ``callbacks`` (the group's package). With a dotted
prefix, ``- callbacks@trainer._list_: [a, b]`` puts the list at ``trainer``. A command-line
``callbacks@_list_=[c]`` replaces the selection; a later config's list at that key replaces it
as lists do in a merge.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, NamedTuple

from confcompose.errors import CompositionError, ConfigNotFoundError, suggestions
from confcompose.location import Location
from confcompose.nodes import MISSING, Container, DictNode, ListNode

if TYPE_CHECKING:
    from confcompose.composition.repository import Header, Repository, SearchPath
    from confcompose.context import Resolvers

LIST_PACKAGE = "_list_"
_MISSING = "???"


class Spec(NamedTuple):
    """One parsed defaults-list entry, as written (immutable; cached with its file)."""

    kind: str  # "group" | "config"
    target: str  # the group (group entries) or the config path (config entries)
    value: str | list[str] | None = None
    package: str | None = None
    optional: bool = False
    override: bool = False
    origin: Location | None = None


class Parsed(NamedTuple):
    """A loaded config split into its body (no ``defaults`` key) and its defaults entries."""

    name: str
    body: Container
    header: Header
    specs: tuple[Spec, ...]
    node: Container | None = None  # the shared node it came from (identity checks)
    repo: Repository | None = None


def parse_defaults(name: str, node: Container, header: Header, repo: Any = None) -> Parsed:
    """Split ``node`` into body and defaults specs, validating the list's shape."""
    if not isinstance(node, DictNode) or "defaults" not in node._content:
        return Parsed(name, node, header, (), node, repo)
    raw = node._content["defaults"]
    where = node._origin("defaults")
    if not isinstance(raw, ListNode):
        kind = "mapping" if isinstance(raw, DictNode) else type(raw).__name__
        raise CompositionError(
            f"Invalid defaults list in '{name}', defaults must be a list (got {kind})",
            location=where,
        )
    specs = tuple(_spec(name, item, raw._origin(i) or where) for i, item in enumerate(raw._content))
    return Parsed(name, _without(node, "defaults"), header, specs, node, repo)


def _without(node: DictNode, key: str) -> DictNode:
    # A shallow view without ``key``; the children stay owned by the shared cached node, which
    # is never mutated (merging only reads the source).
    body = object.__new__(DictNode)
    object.__setattr__(body, "_content", {k: v for k, v in node._content.items() if k != key})
    body._origins = {k: v for k, v in node._origins.items() if k != key}
    body._parent = None
    body._key = None
    body._flags = node._flags
    body._engine = None
    body._schema = node._schema
    return body


def _spec(name: str, item: Any, origin: Location | None) -> Spec:
    if isinstance(item, str):
        path, package = _split_package(item)
        if path == "_self_" and package is not None:
            raise CompositionError(f"In '{name}': _self_@PACKAGE is not supported", location=origin)
        return Spec("config", path, None, package, origin=origin)
    if not isinstance(item, DictNode):
        raise CompositionError(
            f"In '{name}': Unsupported type in defaults : {type(item).__name__}", location=origin
        )
    keys = list(item._content)
    if len(keys) != 1:
        what = "Too many keys" if keys else "Missing group name"
        raise CompositionError(f"In '{name}': {what} in default item {item!r}", location=origin)
    key = str(keys[0])
    origin = item._origin(keys[0]) or origin
    words, package = _split_package(key)
    *flags, group = words.split(" ")
    optional = override = False
    for word in flags:
        if word == "optional":
            optional = True
        elif word == "override":
            override = True
        else:  # Hydra stops at the first word that is not a keyword
            break
    value = item._content[keys[0]]
    if isinstance(value, ListNode):
        options = []
        for v in value._content:
            if not isinstance(v, str):
                raise CompositionError(
                    f"In '{name}': Unsupported item value in defaults : {type(v).__name__},"
                    " nested list items must be strings",
                    location=origin,
                )
            options.append(v)
        value = options
    elif value is not None and not isinstance(value, str):
        raise CompositionError(
            f"In '{name}': Unsupported item value in defaults : {type(value).__name__}."
            " Supported: string or list",
            location=origin,
        )
    if not group:
        raise CompositionError(f"In '{name}': Missing group name in {key!r}", location=origin)
    return Spec("group", group, value, package, optional, override, origin)


def _split_package(text: str) -> tuple[str, str | None]:
    head, at, package = text.partition("@")
    if not at:
        return text, None
    return head, package.partition(":")[0]


class Entry:
    """A defaults-list entry during one expansion (Hydra's InputDefault), mutable."""

    __slots__ = (
        "base_dir",
        "chosen_by",
        "deleted",
        "external",
        "header",
        "kind",
        "list_item",
        "optional",
        "origin",
        "override",
        "package",
        "parent_pkg",
        "primary",
        "target",
        "value",
    )

    def __init__(self, spec: Spec, *, primary: bool = False, external: bool = False) -> None:
        self.kind = spec.kind
        self.target = spec.target
        self.value: str | list[str] | None = spec.value
        self.package = "" if spec.package == "_here_" else spec.package
        self.optional = spec.optional
        self.override = spec.override
        self.origin = spec.origin
        self.primary = primary
        self.external = external
        self.base_dir: str | None = None
        self.parent_pkg: str | None = None
        self.header: str | None = None
        self.deleted = False
        self.chosen_by: Location | None = None
        self.list_item = False

    def __repr__(self) -> str:
        return f"Entry({self.kind} {self.target}={self.value!r} @{self.package})"

    def is_self(self) -> bool:
        return self.kind == "config" and self.target == "_self_"

    def is_options(self) -> bool:
        return isinstance(self.value, list)

    def update_parent(self, base_dir: str, parent_pkg: str) -> None:
        self.base_dir = base_dir
        self.parent_pkg = parent_pkg
        if self.package is not None and "_group_" in self.package:
            resolved = self.package.replace("_group_", self.default_package())
            self.package = f"_global_.{resolved}"

    def set_header(self, header: str | None) -> None:
        if header is None:
            return
        if header != "_global_" and not header.startswith("_global_."):
            header = "_global_" if header == "" else f"_global_.{header}"
        self.header = header

    def rel_group(self) -> str:
        if self.kind == "group":
            return self.target.lstrip("/")
        return self.target.lstrip("/").rpartition("/")[0]

    def group_path(self) -> str:
        absolute = self.target.startswith("/")
        group = self.rel_group()
        base = self.base_dir or ""
        if absolute or base == "":
            return group
        if self.kind == "config" and group == "":
            return base
        return f"{base}/{group}"

    def name(self) -> str | None:
        if self.kind == "group":
            return self.value if not isinstance(self.value, list) else None
        return self.target.rpartition("/")[2]

    def config_path(self) -> str:
        if self.kind == "group":
            return f"{self.group_path()}/{self.name()}"
        path = self.target
        if path.startswith("/") or not self.base_dir:
            return path.lstrip("/")
        return f"{self.base_dir}/{path}"

    def default_package(self) -> str:
        return self.group_path().replace("/", ".")

    def final_package(self, use_header: bool = True) -> str:
        package = self.package
        if package is None and use_header:
            package = self.header
        if package is None:
            package = self.rel_group().replace("/", ".")
        parent = self.parent_pkg or ""
        if parent == "":
            out = package
        elif package == "":
            out = parent
        else:
            out = f"{parent}.{package}"
        cut = out.rfind("_global_")
        return out if cut == -1 else out[cut + len("_global_") + 1 :]

    def override_key(self) -> str:
        default_pkg = self.default_package()
        final = self.final_package(use_header=False)
        key = self.group_path()
        if default_pkg != final:
            key = f"{key}@{final or '_global_'}"
        return key

    def is_interpolation(self) -> bool:
        if self.kind == "group":
            return isinstance(self.value, str) and "${" in self.value
        return "${" in self.target

    def where(self) -> str:
        """``file:line:col`` of the entry, or the override that chose it."""
        if self.chosen_by is not None:
            return self.chosen_by.format()
        return self.origin.format() if self.origin is not None else "?"


class TreeNode:
    """A node of the defaults tree: an entry, its loaded config and its expanded children."""

    __slots__ = ("children", "entry", "is_self_marker", "parent", "parsed")

    def __init__(
        self, entry: Entry | None, parent: TreeNode | None = None, is_self_marker: bool = False
    ) -> None:
        # entry None: the virtual root holding hydra/config and the primary config
        self.entry = entry
        self.parent = parent
        self.children: list[TreeNode] | None = None
        self.parsed: Parsed | None = None
        self.is_self_marker = is_self_marker


class Result(NamedTuple):
    """One config to merge, in merge order."""

    config_path: str
    package: str
    parent: str | None
    is_self: bool
    primary: bool
    override_key: str | None
    parsed: Parsed
    entry: Entry
    depth: int
    list_package: bool = False


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
        self.appends: list[tuple[Spec, Location]] = []
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


class Library:
    """A search path plus the defaults specs parsed from its configs (per Composer)."""

    def __init__(self, search_path: SearchPath) -> None:
        self.search_path = search_path
        self._parsed: dict[str, Parsed] = {}

    def get(self, name: str) -> Parsed | None:
        """The parsed config ``name`` (re-parsed when its file changed), or ``None``."""
        found = self.search_path.load(name)
        if found is None:
            return None
        repo, node, header = found
        hit = self._parsed.get(name)
        if hit is not None and hit.node is node and hit.repo is repo:
            return hit
        parsed = parse_defaults(name, node, header, repo)
        self._parsed[name] = parsed  # a racing thread stores an equal value: harmless
        return parsed

    def forget(self) -> None:
        """Drop the parsed defaults lists (the repositories' listings changed)."""
        self._parsed = {}

    def is_current(self, parsed: Parsed) -> bool:
        """Whether ``parsed`` is still what its repository holds (files unchanged)."""
        if parsed.repo is None:
            return True
        try:
            node, _ = parsed.repo.load(parsed.name)
        except ConfigNotFoundError:
            return False
        return node is parsed.node and self.search_path.find(parsed.name) is parsed.repo


# Configs that include configs that include ... (each level costs a few Python frames).
MAX_DEFAULTS_DEPTH = 100


def _near_miss_hint(search_path: SearchPath, name: str) -> str:
    """A note on files that look like the config but are not read (``db/x.yml``)."""
    for repo in search_path.repositories:
        near = getattr(repo, "near_misses", None)
        for path in near(name) if near is not None else ():
            stem, ext = os.path.splitext(path)
            return (
                f"\nNote: {path} exists, but only '.yaml' files are read (not {ext!r}); "
                f"rename it to {os.path.basename(stem)}.yaml"
            )
    return ""


def _has_content(body: Container) -> bool:
    # Keys besides `defaults` that are not `???` (Hydra's test before its _self_ warning).
    if not isinstance(body, DictNode):
        return False
    return any(
        k != "defaults" and not (isinstance(v, str) and v == MISSING)
        for k, v in body._content.items()
    )


def _warn_missing_self(owner: Entry, where: Location | None) -> None:
    # Hydra 1.1 changed where a primary config's own values merge when `_self_` is not listed
    # (after its defaults, no longer before); Hydra warns, word for word so (and raises with
    # SELF_WARNING_AS_ERROR=1).
    import os

    msg = (
        f"In '{owner.config_path()}': Defaults list is missing `_self_`. See "
        "https://hydra.cc/docs/1.2/upgrades/1.0_to_1.1/default_composition_order "
        "for more information"
    )
    if os.environ.get("SELF_WARNING_AS_ERROR") == "1":
        raise CompositionError(msg, location=where)
    import warnings

    if where is not None and where.kind == "file" and where.file and where.line:
        # Shown as `conf/config.yaml:2: UserWarning: ...` with that line of the config.
        # This module's __warningregistry__ (what warnings.warn would use): once per place.
        registry = globals().setdefault("__warningregistry__", {})
        warnings.warn_explicit(msg, UserWarning, where.file, where.line, registry=registry)
    else:
        warnings.warn(msg, UserWarning, stacklevel=2)


def _warn_legacy_override(owner: Entry, e: Entry) -> None:
    import warnings

    warnings.warn(
        f"In {owner.config_path()}: Invalid overriding of {e.target}:\n"
        "Default list overrides requires 'override' keyword.\n"
        "See https://hydra.cc/docs/1.2/upgrades/1.0_to_1.1/defaults_list_override "
        "for more information.\n",
        UserWarning,
        stacklevel=2,
    )


class Expander:
    """Builds the defaults tree of one compose and flattens it into merge order."""

    def __init__(
        self, library: Library, overrides: GroupOverrides, resolvers: Resolvers | None
    ) -> None:
        self.lib = library
        self.ov = overrides
        self.resolvers = resolvers
        self.used: list[Parsed] = []
        self._stack: list[str] = []

    # -- the tree ------------------------------------------------------------------------------
    def build(self, config_name: str | None, with_hydra: bool) -> TreeNode:
        """Expand the whole tree below the primary config (and ``hydra/config``)."""
        if config_name is None:
            primary = Entry(Spec("config", "_dummy_empty_config_"), primary=True)
        else:
            primary = Entry(Spec("config", config_name), primary=True)
        if not with_hydra:
            return self._expand(TreeNode(primary), is_root=True, interpolated=False)
        root = TreeNode(None)
        hydra = Entry(Spec("config", "hydra/config"))
        kids = [TreeNode(hydra, root), TreeNode(primary, root)]
        for kid in reversed(kids):
            assert kid.entry is not None
            kid.entry.update_parent("", "")
            self._expand(kid, is_root=kid.entry.primary, interpolated=False)
        root.children = kids
        return root

    def _load(self, entry: Entry) -> Parsed | None:
        name = entry.name()
        if name is None or name == _MISSING:
            return None
        if entry.primary and entry.target == "_dummy_empty_config_":
            return Parsed("_dummy_empty_config_", DictNode._new({}), {}, ())
        parsed = self.lib.get(entry.config_path())
        if parsed is not None:
            entry.set_header(parsed.header.get("package"))
        return parsed

    def _expand(self, tn: TreeNode, is_root: bool, interpolated: bool) -> TreeNode:
        entry = tn.entry
        assert entry is not None
        if is_root:
            entry.update_parent("", "")
        parsed = self._load(entry)
        if is_root and parsed is None:
            raise self._primary_missing(entry)
        if self.ov.is_deleted(entry):
            self.ov.delete(entry)
            return tn
        self.ov.set_known(entry)
        if entry.name() is None:
            return tn
        if entry.name() == _MISSING:
            if self.ov.skip_missing:
                return tn
            raise self._must_specify(entry)
        if parsed is None:
            if entry.optional:
                entry.deleted = True
                return tn
            raise self._not_found(tn)
        path = entry.config_path()
        if path in self._stack:
            cycle = " -> ".join([*self._stack[self._stack.index(path) :], path])
            raise CompositionError(f"Cycle in the defaults lists: {cycle}", location=entry.origin)
        if len(self._stack) >= MAX_DEFAULTS_DEPTH:
            chain = " -> ".join([*self._stack[:3], "...", *self._stack[-2:], path])
            raise CompositionError(
                f"defaults lists nested more than {MAX_DEFAULTS_DEPTH} levels deep: {chain}",
                location=entry.origin,
                expected="a shallower chain of configs that include each other",
            )
        tn.parsed = parsed
        self.used.append(parsed)
        entries = [Entry(s) for s in parsed.specs]
        if entries or (is_root and self.ov.appends):
            self._validate_self(entry, entries, parsed.body)
        if is_root:
            for spec, origin in self.ov.appends:
                extra = Entry(spec, external=True)
                extra.chosen_by = origin
                entries.append(extra)
        self._register_overrides(entries, entry, interpolated)
        self._stack.append(path)
        try:
            children = self._children(tn, entries, interpolated)
        finally:
            self._stack.pop()
        if children:
            tn.children = children
        return tn

    def _validate_self(self, owner: Entry, entries: list[Entry], body: Container) -> None:
        has_self = False
        has_plain = False
        for e in entries:
            if not e.override:
                has_plain = True
            if e.is_self():
                if has_self:
                    raise CompositionError(
                        f"Duplicate _self_ defined in {owner.config_path()}", location=e.origin
                    )
                has_self = True
        if (not has_self and has_plain) or not entries:
            if owner.primary and has_plain and _has_content(body):
                _warn_missing_self(owner, entries[0].origin)
            entries.append(Entry(Spec("config", "_self_")))

    def _register_overrides(self, entries: list[Entry], owner: Entry, interpolated: bool) -> None:
        last: Entry | None = None
        base, pkg = owner.group_path(), owner.final_package()
        for e in entries:
            if e.is_self():
                continue
            e.update_parent(base, pkg)
            legacy = (
                self.ov.legacy_hydra_overrides
                and e.kind == "group"
                and not e.override
                and e.target.startswith("hydra/")
            )
            if legacy:
                _warn_legacy_override(owner, e)
                e.override = True
            if last is not None and not (e.override or e.external):
                raise CompositionError(
                    f"In {owner.config_path()}: Override '{last.override_key()} : "
                    f"{last.name()}' is defined before '{e.override_key()}: {e.name()}'.\n"
                    "Overrides must be at the end of the defaults list",
                    location=e.origin,
                )
            if e.kind == "group" and e.override:
                if not legacy:
                    last = e
                if interpolated:
                    raise CompositionError(
                        f"{owner.config_path()}: Default List Overrides are not allowed in the "
                        "subtree of an interpolated config group "
                        f"(override {e.override_key()}={e.name()})",
                        location=e.origin,
                    )
                self.ov.add_override(owner.config_path(), e)

    def _children(self, tn: TreeNode, entries: list[Entry], interpolated: bool) -> list[TreeNode]:
        owner = tn.entry
        assert owner is not None
        base, pkg = owner.group_path(), owner.final_package()
        children: list[TreeNode] = []
        deferred: list[TreeNode] = []
        for e in reversed(entries):
            if e.is_self():
                children.append(TreeNode(e, tn, is_self_marker=True))
                continue
            if e.override:
                continue
            e.update_parent(base, pkg)
            if e.kind == "group":
                self.ov.apply(e)
            if e.kind == "group" and isinstance(e.value, list):
                for item in reversed(self._option_entries(e, owner, base, pkg)):
                    child = TreeNode(item, tn)
                    children.append(self._expand(child, False, interpolated))
            elif e.is_interpolation():
                child = TreeNode(e, tn)
                children.append(child)
                deferred.append(child)
            else:
                children.append(self._expand(TreeNode(e, tn), False, interpolated))
        for child in deferred:
            assert child.entry is not None
            self._resolve_interpolation(child.entry, owner)
            child.entry.update_parent(base, pkg)
            self._expand(child, False, True)
        children.reverse()
        return children

    def _option_entries(self, e: Entry, owner: Entry, base: str, pkg: str) -> list[Entry]:
        assert isinstance(e.value, list)
        package = e.package
        list_item = False
        if package is not None and (
            package == LIST_PACKAGE or package.endswith("." + LIST_PACKAGE)
        ):
            # Our extension: collect the options into a list (see the module docstring).
            list_item = True
            package = package[: -len(LIST_PACKAGE)].rstrip(".") or None
        out = []
        for item in e.value:
            if not isinstance(item, str):
                raise CompositionError(
                    f"In '{owner.config_path()}': the options of '{e.target}' must be config "
                    f"names, found {item!r} of type {type(item).__name__}",
                    location=e.chosen_by or e.origin,
                    expected="a list of option names such as [a, b]",
                )
            if "${" in item:
                raise CompositionError(
                    f"In '{owner.config_path()}': Defaults List interpolation is not supported "
                    "in options list items",
                    location=e.origin,
                )
            spec = Spec("config", f"{e.target}/{item}", None, package, e.optional, origin=e.origin)
            node = Entry(spec)
            node.chosen_by = e.chosen_by
            node.list_item = list_item
            node.update_parent(base, pkg)
            out.append(node)
        return out

    def _resolve_interpolation(self, entry: Entry, owner: Entry) -> None:
        from confcompose.resolve import Engine

        raw = entry.value if entry.kind == "group" else entry.config_path()
        assert isinstance(raw, str)
        if raw.startswith("${defaults."):
            raise CompositionError(
                f"Defaults list element '{entry.override_key()}={raw}' is using a deprecated "
                "interpolation form",
                location=entry.origin,
            )
        choices = dict(self.ov.known.items())
        data = DictNode._from_plain({**choices, "_dummy_": raw}, Location())
        if self.resolvers is not None:
            data._engine = Engine(self.resolvers)
        try:
            value = data._get("_dummy_")
        except Exception:  # any resolution failure means the choice cannot be computed
            keys = ", ".join(k for k in choices if isinstance(k, str))
            msg = f"Error resolving interpolation '{raw}'"
            if keys:
                msg += f", possible interpolation keys: {keys}"
            raise CompositionError(msg, location=entry.origin) from None
        if entry.kind == "group":
            entry.value = str(value)
        else:
            entry.target = "/" + str(value)

    # -- errors --------------------------------------------------------------------------------
    def _primary_missing(self, entry: Entry) -> ConfigNotFoundError:
        name = entry.config_path()
        available = self.lib.search_path.options("")
        close = suggestions(name, available)
        msg = (
            f"Cannot find primary config '{name}'. Check that it's in your config search path."
            f"\nAvailable configs: {', '.join(available) or '(none)'}"
        )
        msg += _near_miss_hint(self.lib.search_path, name)
        msg += f"\nConfig search path:\n{self.lib.search_path.describe()}"
        err = ConfigNotFoundError(msg, location=entry.chosen_by or entry.origin)
        err.suggestions = close
        return err

    def _must_specify(self, entry: Entry) -> CompositionError:
        key = entry.override_key()
        options = self.lib.search_path.options(entry.group_path())
        listing = "\n".join("\t" + o for o in options)
        return CompositionError(
            f"You must specify '{key}', e.g, {key}=<OPTION>\nAvailable options:\n{listing}",
            location=entry.origin,
        )

    def _not_found(self, tn: TreeNode) -> ConfigNotFoundError:
        entry = tn.entry
        assert entry is not None
        parent = tn.parent.entry if tn.parent is not None else None
        close: list[str] = []
        if entry.kind == "group":
            group = entry.group_path()
            options = self.lib.search_path.options(group)
            msg = f"Could not find '{entry.config_path()}'"
            if not self.lib.search_path.is_group(group):
                msg += f"\nNo config group '{group}' on the search path"
            elif options:
                msg += f"\n\nAvailable options in '{group}':\n" + "\n".join(
                    "\t" + o for o in options
                )
                close = suggestions(str(entry.name()), options)
                if close:
                    msg += f"\nClosest match: '{close[0]}'"
        else:
            msg = f"Could not load '{entry.config_path()}'."
        if parent is not None:
            msg = f"In '{parent.config_path()}': {msg}"
        msg += _near_miss_hint(self.lib.search_path, entry.config_path())
        # Blame the line that chose the missing option: a command-line override, or an
        # `override group: option` in a defaults list (not the default it replaced).
        blamed = entry.chosen_by or self._override_origin(entry) or entry.origin
        shown = blamed.format() if blamed is not None else entry.where()
        msg += f"\n(asked for by {shown})"
        msg += f"\nConfig search path:\n{self.lib.search_path.describe()}"
        err = ConfigNotFoundError(msg, location=blamed)
        err.suggestions = close
        return err

    def _override_origin(self, entry: Entry) -> Location | None:
        if entry.kind != "group":
            return None
        meta = self.ov.meta.get(entry.override_key())
        return meta.origin if meta is not None and meta.used else None

    # -- flattening ----------------------------------------------------------------------------
    def results(self, root: TreeNode) -> list[Result]:
        """The configs to merge, in merge order (Hydra's ``_tree_to_list``)."""
        out: list[Result] = []
        self._walk(root, out, 0)
        seen: dict[str, Result] = {}
        for r in out:
            if not r.is_self and r.override_key is not None:
                if r.override_key in seen:
                    raise CompositionError(
                        f"{r.override_key} appears more than once in the final defaults list",
                        location=r.entry.origin,
                    )
                seen[r.override_key] = r
        return out

    def _walk(self, tn: TreeNode, out: list[Result], depth: int) -> None:
        if not tn.children:
            self._emit(tn, tn.parent, out, depth)
            return
        for child in tn.children:
            if child.is_self_marker:
                self._emit(tn, tn.parent, out, depth, is_self=True)
            else:
                self._walk(child, out, depth + 1)

    def _emit(
        self,
        tn: TreeNode,
        parent: TreeNode | None,
        out: list[Result],
        depth: int,
        is_self: bool = False,
    ) -> None:
        entry = tn.entry
        if entry is None or entry.deleted or tn.parsed is None:
            return
        if entry.name() is None or entry.name() == _MISSING:
            return
        if entry.target == "_dummy_empty_config_":
            return
        parent_path = None
        if parent is not None and parent.entry is not None:
            parent_path = parent.entry.config_path()
        out.append(
            Result(
                config_path=entry.config_path(),
                package=entry.final_package(),
                parent=parent_path,
                is_self=is_self,
                primary=entry.primary,
                override_key=entry.override_key() if entry.kind == "group" else None,
                parsed=tn.parsed,
                entry=entry,
                depth=depth,
                list_package=entry.list_item,
            )
        )
