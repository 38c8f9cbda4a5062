"""Compose a config from a config directory and command-line overrides, as ``hydra.compose`` does.

>>> cfg = compose("conf", ["db=postgresql", "db.timeout=20"])  # doctest: +SKIP
>>> cfg.db.driver, cfg.db.timeout  # doctest: +SKIP
('postgresql', 20)

Group-selecting overrides (``db=x``, ``+db=x``, ``~db``, ``db@pkg=x``;
:mod:`~confcompose.composition.group_overrides`) pick options and build the defaults tree
(:mod:`~confcompose.composition.defaults`); value overrides (``a.b=1``, ``+a=1``, ``++a=1``,
``~a``, ``~a=v``; :mod:`~confcompose.composition.value_overrides`) then edit the merged config,
in their order. The merged base config is memoized per Composer on the config name and the
group-selecting overrides, so a sweep over values copies the cached tree and re-merges nothing
(files are re-checked: an edited file invalidates the memo).

Extensions over Hydra: ``key=extend_list(a,b)`` appends to an existing list (``++`` creates
it when absent); quoted key segments address keys that contain dots (``a.'b.c'=1``); options
collected into a list with ``- group@_list_: [a, b]`` (see :mod:`confcompose.composition.defaults`).
"""

from __future__ import annotations

import _thread  # threading's lock, without importing threading
import os
from collections import OrderedDict

from confcompose._typing import NamedTuple
from confcompose.composition.defaults import Expander, Result, TreeNode
from confcompose.composition.defaults_list import Library, Parsed
from confcompose.composition.group_overrides import group_overrides
from confcompose.composition.repository import (
    DirRepository,
    Repository,
    SearchPath,
    StoreRepository,
    repository_for,
)
from confcompose.composition.value_overrides import apply_value, override_location
from confcompose.errors import (
    CompositionError,
    ConfigError,
    OverrideError,
    depth_guarded,
)
from confcompose.location import Location
from confcompose.merge import merge_into
from confcompose.nodes import Container, DictNode, ListNode
from confcompose.tree import (
    content,
    copy_node,
    new_dict,
    new_list,
    origins,
    own_flags,
    set_engine,
    set_flag,
    set_parent,
)
from confcompose.tree import schema as schema_of

TYPE_CHECKING = False  # keep the typing module off the start-up path
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

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


class Composition(NamedTuple):
    """One compose with its ``hydra`` node (:meth:`Composer.compose_all`)."""

    job: DictNode  # the job config (no ``hydra`` key), what compose() returns
    hydra: DictNode  # the ``hydra`` node, a child of ``root``
    root: DictNode  # ``hydra`` first, then the job's keys (shared with ``job``): ``--cfg all``
    choices: dict[str, str | None]  # group (override key) -> option, hydra.runtime.choices


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
        self._lock = _thread.allocate_lock()
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
        parsed = self._prepare(overrides)
        if any(_names_hydra(o) for o in parsed) and not self.search_path.has_config("hydra/config"):
            hydra_composer = self._with_hydra_conf()
            if hydra_composer is not None:
                return hydra_composer.compose(parsed, config_name, schema=schema)
        return self._compose(parsed, config_name, schema, False, with_hydra=False)[0]

    @depth_guarded
    def compose_all(
        self,
        overrides: Sequence[str | Override] = (),
        config_name: str | None = "config",
        *,
        skip_missing: bool = False,
    ) -> Composition:
        """The job config, its ``hydra`` node, the root holding both, and the group choices.

        The root is what ``--cfg all`` shows (``hydra`` first, then the job's keys); the hydra
        node resolves interpolations through it (``${hydra.job.name}``, ``${a}``). ``choices``
        maps each group (override key) to the chosen option, like ``hydra.runtime.choices``.
        ``skip_missing`` leaves out groups whose option is ``???`` (as Hydra composes a
        multirun's own config, before the sweep).
        """
        parsed = self._prepare(overrides)
        job, root, choices = self._compose(parsed, config_name, None, skip_missing, True)
        assert root is not None
        return Composition(job, content(root)["hydra"], root, dict(choices))

    def compose_with_hydra(
        self,
        overrides: Sequence[str | Override] = (),
        config_name: str | None = "config",
        *,
        skip_missing: bool = False,
    ) -> tuple[DictNode, DictNode, dict[str, str | None]]:
        """``(job_cfg, hydra_node, choices)`` of :meth:`compose_all`, without the root."""
        job, hydra, _, choices = self.compose_all(overrides, config_name, skip_missing=skip_missing)
        return job, hydra, choices

    @depth_guarded
    def defaults_tree(
        self, overrides: Sequence[str | Override] = (), config_name: str | None = "config"
    ) -> DefaultsTree:
        """Which file was chosen for which group, in merge order."""
        groups, _ = self._classify(self._prepare(overrides))
        base = self._base(config_name, groups)
        return DefaultsTree(config_name, base.results, dict(base.choices))

    # -- steps ---------------------------------------------------------------------------------
    def _prepare(self, overrides: Sequence[str | Override]) -> list[Override]:
        parsed = _parse_all(overrides)
        self._refresh()
        return parsed

    def _compose(
        self,
        overrides: list[Override],
        config_name: str | None,
        schema: type | None,
        skip_missing: bool,
        with_hydra: bool,
    ) -> tuple[DictNode, DictNode | None, dict[str, str | None]]:
        """``(job, root, choices)``; the root (job + ``hydra``) only ``with_hydra`` or when
        hydra overrides need checking: copying the hydra node is the one cost a job-only
        compose need not pay."""
        groups, values = self._classify(overrides)
        base = self._base(config_name, groups, skip_missing)
        job = _copy_without(base.cfg, "hydra", take=base.owned)
        self._attach(job)
        if schema is not None:
            job = self._typed(job, schema)
        hydra_values = [o for o in values if _is_hydra_key(o)]
        for o in values:
            if not _is_hydra_key(o):
                apply_value(job, o, lenient=False)
        root = None
        if with_hydra or (hydra_values and base.hydra_root):
            # Without with_hydra, built only to check the overrides as Hydra does, then dropped.
            root = self._root(base, job, hydra_values)
        return job, root, base.choices  # the memo's own dict: copied by compose_all

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
            self.forget()
            if self._hydra_composer is not None:  # it shares the repositories
                self._hydra_composer.forget()

    def forget(self) -> None:
        """Drop the memoized compositions and parsed defaults lists (trees are expanded again)."""
        with self._lock:
            self._memo.clear()
        self.library.forget()

    def _attach(self, node: Container) -> None:
        # The root engine converts dataclass values and typed interpolation results.
        from confcompose.root_engine import RootEngine

        set_engine(node, RootEngine(self._resolvers()))

    def _typed(self, job: DictNode, schema: type) -> DictNode:
        from confcompose.structured import apply_schema

        typed = apply_schema(job, schema)
        assert isinstance(typed, DictNode)
        set_flag(typed, "struct", True)
        self._attach(typed)
        return typed

    def _resolvers(self) -> Resolvers:
        if self.resolvers is not None:
            return self.resolvers
        return default_resolvers()

    def _root(self, base: _Base, job: DictNode, values: list[Override]) -> DictNode:
        raw = content(base.cfg).get("hydra")
        hydra = copy_node(raw) if isinstance(raw, DictNode) else new_dict()
        # A root that sees the job's keys and the hydra node, so both kinds of interpolation
        # resolve; the job's nodes are shared, not re-parented. `hydra` first, as Hydra merges
        # hydra/config first (`--cfg all`, multirun.yaml).
        root = new_dict(
            {"hydra": hydra, **content(job)},
            {"hydra": origins(base.cfg).get("hydra", Location()), **origins(job)},
            adopt=False,
            flags={"struct": True},
        )
        set_parent(hydra, root, "hydra")
        self._attach(root)
        for o in values:
            apply_value(root, o, lenient=not base.hydra_root)
        if not isinstance(content(root)["hydra"], DictNode):
            raise OverrideError("the hydra node must stay a mapping", key_path="hydra")
        return root

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
                    location=override_location(o),
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
        ov = group_overrides(groups)
        ov.skip_missing = skip_missing
        ov.legacy_hydra_overrides = self.legacy_hydra_overrides
        ov.hydra_root = self.search_path.has_config("hydra/config")
        expander = Expander(self.library, ov, self._resolvers())
        tree = expander.build(config_name, with_hydra=ov.hydra_root)
        results = expander.results(tree)
        ov.ensure_used()
        cfg = _merge_results(results)
        set_flag(cfg, "struct", True)
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


def _is_hydra_key(o: Override) -> bool:
    return o.key == "hydra" or o.key.startswith("hydra.")


def _names_hydra(o: Override) -> bool:
    return o.key == "hydra" or o.key.startswith(("hydra.", "hydra/"))


# -- merging ----------------------------------------------------------------------------------


def _view(values: dict[Any, Any], where: dict[Any, Any]) -> DictNode:
    # A read-only wrapper around shared nodes: merge_into only reads its source, so the
    # wrapped (cached) nodes keep their parents and are never touched.
    return new_dict(values, where, adopt=False)


def _list_view(items: list[Container], where: list[Location]) -> ListNode:
    return new_list(list(items), list(where), adopt=False)


def _merge_results(results: Sequence[Result]) -> DictNode:
    cfg = new_dict()
    lists: dict[str, tuple[list[Container], list[Location]]] = {}
    for r in results:
        body = r.parsed.body
        origin = r.entry.origin or Location(r.config_path, None, None)
        if r.list_package:
            items, item_origins = lists.setdefault(r.package, ([], []))
            items.append(body)
            item_origins.append(origin)
            body = _list_view(items, item_origins)
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
    """``cfg`` without its key ``skip``: a deep copy of the merged (memoized) tree, or with
    ``take`` (an owned base, used nowhere else) its subtrees moved under the new root."""
    if take:
        values = {k: v for k, v in content(cfg).items() if k != skip}  # new_dict adopts them
    else:
        values = {
            k: copy_node(v) if isinstance(v, Container) else v
            for k, v in content(cfg).items()
            if k != skip
        }
    where = {k: v for k, v in origins(cfg).items() if k != skip}
    return new_dict(values, where, flags=own_flags(cfg), schema=schema_of(cfg))


# -- module-level entry points ----------------------------------------------------------------

# (config_dir, search path, id(store), id(resolvers)) -> Composer, least recently used first.
# A bounded cache of immutable sources, guarded by a lock; it holds no config state beyond what
# the Composer memoizes. An entry keeps its store/resolvers alive, so their ids are not reused
# while it exists; evicted entries free them (a new registry per call no longer grows memory).
_COMPOSERS: OrderedDict[tuple[Any, ...], Composer] = OrderedDict()
_COMPOSERS_LOCK = _thread.allocate_lock()
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
