"""Compose a config from a config directory and command-line overrides, as ``hydra.compose`` does.

>>> cfg = compose("conf", ["db=postgresql", "db.timeout=20"])  # doctest: +SKIP
>>> cfg.db.driver, cfg.db.timeout  # doctest: +SKIP
('postgresql', 20)

Group-selecting overrides (``db=x``, ``+db=x``, ``~db``, ``db@pkg=x``) pick options and build
the defaults tree; value overrides (``a.b=1``, ``+a=1``, ``++a=1``, ``~a``, ``~a=v``) then edit
the merged config, in their order. The merged base config is memoized per Composer on the
config name and the group-selecting overrides, so a sweep over values copies the cached tree and
re-merges nothing (files are re-checked: an edited file invalidates the memo).

Extensions over Hydra: ``key=extend_list(a,b)`` appends to an existing list (``++`` creates
it when absent); quoted key segments address keys that contain dots (``a.'b.c'=1``); options
collected into a list with ``- group@_list_: [a, b]`` (see :mod:`confcompose.composition.defaults`).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from confcompose.composition.defaults import (
    Expander,
    GroupOverrides,
    Library,
    Parsed,
    Result,
    Spec,
    TreeNode,
)
from confcompose.composition.repository import (
    DirRepository,
    Repository,
    SearchPath,
    StoreRepository,
    repository_for,
)
from confcompose.errors import (
    CompositionError,
    ConfigError,
    ConfigKeyError,
    OverrideError,
    depth_guarded,
    suggestions,
)
from confcompose.location import Location
from confcompose.merge import merge_into
from confcompose.nodes import MISSING, Container, DictNode, ListNode

if TYPE_CHECKING:
    from confcompose.composition.store import ConfigStore
    from confcompose.context import Resolvers
    from confcompose.parsing.overrides import Override

Source = str | os.PathLike[str] | Repository


class _Base(NamedTuple):
    cfg: DictNode  # merged, struct; still holds the ``hydra`` key; handed out only when owned
    choices: dict[str, str | None]
    results: tuple[Result, ...]
    used: tuple[Parsed, ...]
    hydra_root: bool
    tree: TreeNode
    #: Built for this compose alone (not memoized): its subtrees may move into the job.
    owned: bool = False


class DefaultsTree(NamedTuple):
    """Which config was merged for which group, in merge order (``defaults_tree()``)."""

    config_name: str | None
    results: tuple[Result, ...]
    choices: dict[str, str | None]

    def format(self) -> str:
        """One line per merged config: order, file, package, and the entry that asked for it.

        >>> print(defaults_tree("conf").format())  # doctest: +SKIP
        Defaults tree of 'config' (merge order):
          1. db/mysql     package=db    choice db=mysql   asked by conf/config.yaml:2:5
          2. config       package=<root>  (_self_)
        """
        lines = [f"Defaults tree of {self.config_name!r} (merge order):"]
        for i, r in enumerate(self.results, 1):
            indent = "  " * max(r.depth - 1, 0)
            package = r.package or "<root>"
            text = f"{i:3d}. {indent}{r.config_path:<24} package={package}"
            if r.is_self:
                text += "  (_self_)"
            if r.override_key is not None:
                text += f"  choice {r.override_key}={r.entry.name()}"
            if r.list_package:
                text += "  (list item)"
            if not r.is_self and not r.primary:
                text += f"  asked by {r.entry.where()}"
            lines.append(text)
        if self.choices:
            shown = ", ".join(f"{k}={v}" for k, v in self.choices.items())
            lines.append(f"choices: {shown}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.format()


class Composer:
    """Sources + resolvers + caches: the explicit form of :func:`compose`.

    >>> c = Composer("conf")  # doctest: +SKIP
    >>> c.compose(["db=postgresql"]).db.driver  # doctest: +SKIP
    'postgresql'
    """

    def __init__(
        self,
        config_dir: Source | None,
        search_path: Sequence[Source] = (),
        store: ConfigStore | None = None,
        resolvers: Resolvers | None = None,
    ) -> None:
        repos: list[Repository] = []
        if config_dir is not None:
            repos.append(repository_for(config_dir))
        repos.extend(repository_for(s) for s in search_path)
        if store is not None:
            repos.append(StoreRepository(store))
        self.search_path = SearchPath(repos)
        self.library = Library(self.search_path)
        self.resolvers = resolvers
        #: Hydra 1.1 compatibility (``version_base="1.1"``): ``- hydra/group: option`` in a
        #: defaults list overrides Hydra's default without the ``override`` keyword.
        self.legacy_hydra_overrides = False
        self._memo: dict[tuple[Any, ...], _Base] = {}
        # Keys composed once: the first compose of a key memoizes nothing and hands its merged
        # tree to the job (no copy, one tree in memory); a second one memoizes, later ones copy.
        self._built_once: set[tuple[Any, ...]] = set()
        self._lock = threading.Lock()
        self._hydra_composer: Composer | None = None

    def __repr__(self) -> str:
        return f"Composer({list(self.search_path.repositories)!r})"

    # -- public --------------------------------------------------------------------------------
    @depth_guarded
    def compose(
        self,
        overrides: Sequence[str | Override] = (),
        config_name: str | None = "config",
        *,
        schema: type | None = None,
    ) -> DictNode:
        """The job config (no ``hydra`` key), struct mode, as ``hydra.compose()`` returns it.

        With ``schema`` (a dataclass or attrs class) the composed config is checked against it
        before the value overrides are applied, so overrides are converted and validated too.
        """
        parsed = _parse_all(overrides)
        self._refresh()
        if any(_names_hydra(o) for o in parsed) and not self.search_path.has_config("hydra/config"):
            hydra_composer = self._with_hydra_conf()
            if hydra_composer is not None:
                return hydra_composer.compose(parsed, config_name, schema=schema)
        groups, values = self._classify(parsed)
        base = self._base(config_name, groups)
        job = _copy_without(base.cfg, "hydra", take=base.owned)
        self._attach(job)
        if schema is not None:
            job = self._typed(job, schema)
        hydra_values = [o for o in values if _is_hydra_key(o)]
        for o in values:
            if not _is_hydra_key(o):
                _apply_value(job, o, o.key_parts(), lenient=False)
        if hydra_values and base.hydra_root:
            # Validated like Hydra does, then dropped (compose() returns the job only).
            self._hydra(base, job, hydra_values)
        return job

    @depth_guarded
    def compose_with_hydra(
        self,
        overrides: Sequence[str | Override] = (),
        config_name: str | None = "config",
        *,
        skip_missing: bool = False,
    ) -> tuple[DictNode, DictNode, dict[str, str | None]]:
        """``(job_cfg, hydra_node, choices)``: the job config, the ``hydra`` section, choices.

        The hydra node resolves interpolations against the job config and itself
        (``${hydra.job.name}``, ``${a}``). ``choices`` maps each group (override key) to the
        chosen option, like ``hydra.runtime.choices``. ``skip_missing`` leaves out groups whose
        option is ``???`` (as Hydra composes a multirun's own config, before the sweep).
        """
        parsed = _parse_all(overrides)
        self._refresh()
        groups, values = self._classify(parsed)
        base = self._base(config_name, groups, skip_missing)
        job = _copy_without(base.cfg, "hydra", take=base.owned)
        self._attach(job)
        for o in values:
            if not _is_hydra_key(o):
                _apply_value(job, o, o.key_parts(), lenient=False)
        hydra = self._hydra(base, job, [o for o in values if _is_hydra_key(o)])
        return job, hydra, dict(base.choices)

    @depth_guarded
    def defaults_tree(
        self, overrides: Sequence[str | Override] = (), config_name: str | None = "config"
    ) -> DefaultsTree:
        """Which file was chosen for which group, in merge order."""
        parsed = _parse_all(overrides)
        self._refresh()
        groups, _ = self._classify(parsed)
        base = self._base(config_name, groups)
        return DefaultsTree(config_name, base.results, dict(base.choices))

    # -- steps ---------------------------------------------------------------------------------
    def _with_hydra_conf(self) -> Composer | None:
        """A composer that also sees the built-in ``hydra/*`` configs, as ``hydra.compose()``
        always does: ``hydra/launcher=x`` and ``hydra.key=v`` are checked against them. Used
        only when an override names ``hydra``, so other composes never load them."""
        composer = self._hydra_composer
        if composer is None:
            folder = os.path.join(os.path.dirname(os.path.dirname(__file__)), "app", "conf")
            if not os.path.isfile(os.path.join(folder, "hydra", "config.yaml")):
                return None  # a zipped install: keep the plain behaviour
            composer = Composer(None, (), None, self.resolvers)
            composer.search_path = SearchPath(
                [_BuiltinHydra(folder), *self.search_path.repositories]
            )
            composer.library = Library(composer.search_path)
            self._hydra_composer = composer
        return composer

    def _refresh(self) -> None:
        # A folder whose listing changed (a config file added or removed) invalidates every
        # memoized composition: an added option can change any defaults list.
        if self.search_path.refresh():
            for composer in (self, self._hydra_composer):
                if composer is not None:  # the hydra composer shares the repositories
                    with composer._lock:
                        composer._memo.clear()
                    composer.library.forget()

    def _attach(self, node: Container) -> None:
        # The structured engine converts dataclass values and typed interpolation results.
        from confcompose.structured import StructuredEngine

        node._engine = StructuredEngine(self._resolvers())

    def _typed(self, job: DictNode, schema: type) -> DictNode:
        from confcompose.structured import apply_schema

        typed = apply_schema(job, schema)
        assert isinstance(typed, DictNode)
        typed._set_flag("struct", True)
        self._attach(typed)
        return typed

    def _resolvers(self) -> Resolvers:
        if self.resolvers is not None:
            return self.resolvers
        return default_resolvers()

    def _hydra(self, base: _Base, job: DictNode, values: list[Override]) -> DictNode:
        raw = base.cfg._content.get("hydra")
        hydra = raw._copy(None, "hydra") if isinstance(raw, DictNode) else DictNode._new({})
        # A root that sees the job's keys and the hydra node, so both kinds of
        # interpolation resolve; the job's nodes are shared, not re-parented.
        root = object.__new__(DictNode)
        # `hydra` first, as Hydra merges hydra/config first (`--cfg all`, multirun.yaml).
        object.__setattr__(root, "_content", {"hydra": hydra, **job._content})
        root._origins = {"hydra": base.cfg._origins.get("hydra", Location()), **job._origins}
        root._parent = None
        root._key = None
        root._flags = {"struct": True}
        root._schema = None
        self._attach(root)
        hydra._parent = root
        hydra._key = "hydra"
        for o in values:
            _apply_value(root, o, o.key_parts(), lenient=not base.hydra_root)
        result = root._content["hydra"]
        if not isinstance(result, DictNode):
            raise OverrideError("the hydra node must stay a mapping", key_path="hydra")
        return result

    def _classify(self, overrides: list[Override]) -> tuple[list[Override], list[Override]]:
        groups: list[Override] = []
        values: list[Override] = []
        for o in overrides:
            if o.is_sweep():
                raise OverrideError(
                    f"Ambiguous value for argument '{o.text}'\n"
                    "1. To use it as a list, use key=[value1,value2]\n"
                    "2. To use it as string, quote the value: key=\\'value1,value2\\'\n"
                    "3. To sweep over it, use a multirun",
                    location=_where(o),
                )
            if isinstance(o.value, dict) or not self.search_path.is_group(o.key):
                values.append(o)
            else:
                groups.append(o)
        return groups, values

    def _base(
        self, config_name: str | None, groups: list[Override], skip_missing: bool = False
    ) -> _Base:
        if config_name is not None and config_name.endswith(".yaml"):
            config_name = config_name[: -len(".yaml")]
        key = (config_name, tuple(o.text for o in groups), skip_missing)
        memoized = self._memo.get(key)
        if memoized is not None and all(self.library.is_current(p) for p in memoized.used):
            return memoized
        base = self._build(config_name, groups, skip_missing)
        with self._lock:
            if memoized is None and key not in self._built_once:
                if len(self._built_once) > 256:
                    self._built_once.clear()
                self._built_once.add(key)
                return base._replace(owned=True)
            if len(self._memo) > 256:
                self._memo.clear()
            self._memo[key] = base
        return base

    def _build(
        self, config_name: str | None, groups: list[Override], skip_missing: bool = False
    ) -> _Base:
        ov = _group_overrides(groups)
        ov.skip_missing = skip_missing
        ov.legacy_hydra_overrides = self.legacy_hydra_overrides
        ov.hydra_root = self.search_path.has_config("hydra/config")
        expander = Expander(self.library, ov, self._resolvers())
        tree = expander.build(config_name, with_hydra=ov.hydra_root)
        results = expander.results(tree)
        ov.ensure_used()
        cfg = _merge_results(results)
        cfg._set_flag("struct", True)
        return _Base(cfg, dict(ov.known), tuple(results), tuple(expander.used), ov.hydra_root, tree)


class _BuiltinHydra(DirRepository):
    """The built-in ``hydra/*`` configs, read from their folder (no package import)."""

    def describe(self) -> str:
        """Named as Hydra names its own configs."""
        return "pkg://confcompose.app.conf"


def default_resolvers() -> Resolvers:
    """The default registry (what ``register_resolver`` registers into)."""
    from confcompose.context import default_context

    return default_context().resolvers


# -- overrides --------------------------------------------------------------------------------


def _parse_all(overrides: Sequence[str | Override]) -> list[Override]:
    from confcompose.parsing.overrides import parse_override

    if isinstance(overrides, str):
        raise OverrideError(
            f"overrides must be a list of strings, not the string {overrides!r}",
            expected="a list such as ['db=mysql']",
        )
    out = []
    for i, o in enumerate(overrides):
        out.append(parse_override(o, i) if isinstance(o, str) else o)
    return out


def _where(o: Override) -> Location:
    column = o.text.find("=") + 2 if "=" in o.text else 1
    return Location(None, o.index, column, "override", o.text)


def _is_hydra_key(o: Override) -> bool:
    return o.key == "hydra" or o.key.startswith("hydra.")


def _names_hydra(o: Override) -> bool:
    return o.key == "hydra" or o.key.startswith(("hydra.", "hydra/"))


def _group_overrides(groups: list[Override]) -> GroupOverrides:
    from confcompose.parsing.overrides import NO_VALUE

    ov = GroupOverrides()
    for o in groups:
        key = o.key if o.package is None else f"{o.key}@{o.package}"
        value = o.value
        where = _where(o)
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
            spec = Spec(
                "group",
                o.key,
                list(value) if isinstance(value, list) else value,
                o.package,
                origin=where,
            )
            ov.appends.append((spec, where))
        else:
            ov.add_choice(key, list(value) if isinstance(value, list) else value, where)
    return ov


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


def _value_of(container: Container | None, key: Any, raw: Any) -> Any:
    """What ``OmegaConf.select(throw_on_missing=False)`` gives: ``None`` for absent or ``???``."""
    if container is None:
        return None
    if type(raw) is str and raw == MISSING:
        return None
    return raw


def _apply_value(root: DictNode, o: Override, parts: Sequence[str], lenient: bool) -> None:
    """Apply one value override with Hydra's rules (``lenient``: add what is missing)."""
    from confcompose.parsing.overrides import NO_VALUE, ListExtension

    where = _where(o)
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
    current = _value_of(container, key, raw)
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


# -- merging ----------------------------------------------------------------------------------


def _view(content: dict[Any, Any], origins: dict[Any, Any]) -> DictNode:
    # A read-only wrapper around shared nodes: merge_into only reads its source, so the
    # wrapped (cached) nodes keep their parents and are never touched.
    return DictNode._new(content, origins, adopt=False)


def _list_view(items: list[Container], origins: list[Location]) -> ListNode:
    node = object.__new__(ListNode)
    node._content = list(items)
    node._origins = list(origins)
    node._parent = None
    node._key = None
    node._flags = None
    node._engine = None
    node._schema = None
    return node


def _merge_results(results: Sequence[Result]) -> DictNode:
    cfg = DictNode._new({})
    lists: dict[str, tuple[list[Container], list[Location]]] = {}
    for r in results:
        body = r.parsed.body
        origin = r.entry.origin or Location(r.config_path, None, None)
        if r.list_package:
            items, origins = lists.setdefault(r.package, ([], []))
            items.append(body)
            origins.append(origin)
            body = _list_view(items, origins)
        try:
            if r.package == "":
                if not isinstance(body, DictNode):
                    raise CompositionError(
                        f"'{r.config_path}' is a list; it needs a package to merge into",
                        location=origin,
                    )
                merge_into(cfg, body)
                continue
            wrapped: Container = body
            for part in reversed(r.package.split(".")):
                wrapped = _view({part: wrapped}, {part: origin})
            merge_into(cfg, wrapped)
        except CompositionError:
            raise
        except ConfigError as exc:
            raise CompositionError(
                f"In '{r.config_path}': {type(exc).__name__} raised while composing config:\n{exc}",
                location=origin,
            ) from None
    return cfg


def _copy_without(cfg: DictNode, skip: str, take: bool = False) -> DictNode:
    """``cfg`` without its key ``skip``: a deep copy, or with ``take`` (an owned base, used
    nowhere else) the same subtrees moved under the new root."""
    node = object.__new__(DictNode)
    content: dict[Any, Any] = {}
    for k, v in cfg._content.items():
        if k == skip:
            continue
        if isinstance(v, Container):
            if take:
                object.__setattr__(v, "_parent", node)
            else:
                v = v._copy(node, k)
        content[k] = v
    object.__setattr__(node, "_content", content)
    node._origins = {k: v for k, v in cfg._origins.items() if k != skip}
    node._parent = None
    node._key = None
    node._flags = dict(cfg._flags) if cfg._flags else None
    node._engine = None
    node._schema = cfg._schema
    return node


# -- module-level entry points ----------------------------------------------------------------

# (config_dir, search path, id(store), id(resolvers)) -> Composer, least recently used first.
# A bounded cache of immutable sources, guarded by a lock; it holds no config state beyond what
# the Composer memoizes. An entry keeps its store/resolvers alive, so their ids are not reused
# while it exists; evicted entries free them (a new registry per call no longer grows memory).
_COMPOSERS: OrderedDict[tuple[Any, ...], Composer] = OrderedDict()
_COMPOSERS_LOCK = threading.Lock()
_COMPOSERS_MAX = 32


def _source_key(source: Source | None) -> Any:
    if source is None:
        return None
    if isinstance(source, str | os.PathLike):
        text = os.fspath(source)
        return text if text.startswith("pkg://") else os.path.abspath(text)
    return ("repo", id(source))


def get_composer(
    config_dir: Source | None,
    search_path: Sequence[Source] = (),
    store: ConfigStore | None = None,
    resolvers: Resolvers | None = None,
) -> Composer:
    """The cached :class:`Composer` for these sources (one per process and key)."""
    key = (
        _source_key(config_dir),
        tuple(_source_key(s) for s in search_path),
        id(store),
        id(resolvers),
    )
    with _COMPOSERS_LOCK:
        composer = _COMPOSERS.get(key)
        if composer is not None:
            _COMPOSERS.move_to_end(key)
            return composer
        composer = Composer(config_dir, search_path, store, resolvers)
        _COMPOSERS[key] = composer
        while len(_COMPOSERS) > _COMPOSERS_MAX:
            _COMPOSERS.popitem(last=False)
    return composer


def compose(
    config_dir: Source | None,
    overrides: Sequence[str | Override] = (),
    config_name: str | None = "config",
    *,
    search_path: Sequence[Source] = (),
    store: ConfigStore | None = None,
    resolvers: Resolvers | None = None,
    schema: type | None = None,
) -> DictNode:
    """Compose ``config_name`` from ``config_dir`` (a folder or ``pkg://``) with ``overrides``.

    ``schema`` (a dataclass) types and validates the result, overrides included.

    >>> cfg = compose("conf", ["db=postgresql"])  # doctest: +SKIP
    >>> cfg.db.driver  # doctest: +SKIP
    'postgresql'
    """
    composer = get_composer(config_dir, search_path, store, resolvers)
    return composer.compose(overrides, config_name, schema=schema)


def defaults_tree(
    config_dir: Source | None,
    overrides: Sequence[str | Override] = (),
    config_name: str | None = "config",
    *,
    search_path: Sequence[Source] = (),
    store: ConfigStore | None = None,
) -> DefaultsTree:
    """Which file was chosen for which group, in merge order; ``print()`` it.

    >>> print(defaults_tree("conf", ["db=postgresql"]))  # doctest: +SKIP
    """
    return get_composer(config_dir, search_path, store).defaults_tree(overrides, config_name)
