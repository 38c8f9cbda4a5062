"""The defaults tree, expanded from the configs' defaults lists with Hydra 1.3's rules.

A config's ``defaults:`` list (its entries: :mod:`confcompose.composition.defaults_list`) names
what is merged before (or after, see ``_self_``) its own values. Without ``_self_`` a config's
own values come after its defaults (Hydra 1.1+).

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

from confcompose._typing import NamedTuple
from confcompose.composition.defaults_list import DefaultsItem, Library, Parsed
from confcompose.errors import CompositionError, ConfigNotFoundError, suggestions
from confcompose.location import Location
from confcompose.nodes import MISSING, Container, DictNode
from confcompose.tree import content, from_plain, new_dict, set_engine
from confcompose.tree import value as resolved

TYPE_CHECKING = False  # keep the typing module off the start-up path
if TYPE_CHECKING:
    from confcompose.composition.group_overrides import GroupOverrides
    from confcompose.composition.repository import SearchPath
    from confcompose.context import Resolvers

LIST_PACKAGE = "_list_"


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

    def __init__(
        self, item: DefaultsItem, *, primary: bool = False, external: bool = False
    ) -> None:
        self.kind = item.kind
        self.target = item.target
        self.value: str | list[str] | None = item.value
        self.package = "" if item.package == "_here_" else item.package
        self.optional = item.optional
        self.override = item.override
        self.origin = item.origin
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
        for k, v in content(body).items()
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
            primary = Entry(DefaultsItem("config", "_dummy_empty_config_"), primary=True)
        else:
            primary = Entry(DefaultsItem("config", config_name), primary=True)
        if not with_hydra:
            return self._expand(TreeNode(primary), is_root=True, interpolated=False)
        root = TreeNode(None)
        hydra = Entry(DefaultsItem("config", "hydra/config"))
        kids = [TreeNode(hydra, root), TreeNode(primary, root)]
        for kid in reversed(kids):
            assert kid.entry is not None
            kid.entry.update_parent("", "")
            self._expand(kid, is_root=kid.entry.primary, interpolated=False)
        root.children = kids
        return root

    def _load(self, entry: Entry) -> Parsed | None:
        name = entry.name()
        if name is None or name == MISSING:
            return None
        if entry.primary and entry.target == "_dummy_empty_config_":
            return Parsed("_dummy_empty_config_", new_dict(), {}, ())
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
        if entry.name() == MISSING:
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
        entries = [Entry(s) for s in parsed.items]
        if entries or (is_root and self.ov.appends):
            self._validate_self(entry, entries, parsed.body)
        if is_root:
            for item, origin in self.ov.appends:
                extra = Entry(item, external=True)
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
            entries.append(Entry(DefaultsItem("config", "_self_")))

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
            self._resolve_interpolation(child.entry)
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
            option = DefaultsItem(
                "config", f"{e.target}/{item}", None, package, e.optional, origin=e.origin
            )
            node = Entry(option)
            node.chosen_by = e.chosen_by
            node.list_item = list_item
            node.update_parent(base, pkg)
            out.append(node)
        return out

    def _resolve_interpolation(self, entry: Entry) -> None:
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
        data = from_plain({**choices, "_dummy_": raw}, Location())
        if self.resolvers is not None:
            set_engine(data, Engine(self.resolvers))
        try:
            value = resolved(data, "_dummy_")
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
        if entry.name() is None or entry.name() == MISSING:
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
