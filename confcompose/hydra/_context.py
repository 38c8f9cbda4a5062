"""The search path behind ``compose()``: set by ``initialize*``, or the running ``@main`` app's."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import confcompose
from confcompose import ConfigError, DictNode
from confcompose.hydra.version import __version__

if TYPE_CHECKING:
    from confcompose.composition import Composition


class ComposeContext:
    """A primary config source (folder, ``pkg://`` or ``None``), extra sources and a job name."""

    def __init__(
        self,
        primary: str | None,
        job_name: str,
        version_base: str,
        extra: Sequence[str] = (),
        builtin: bool = True,
    ) -> None:
        self.primary = primary
        self.job_name = job_name
        self.version_base = version_base
        self.extra = list(extra)
        self.builtin = builtin
        self._composer: Any = None

    def __repr__(self) -> str:
        return f"ComposeContext({self.primary!r}, job_name={self.job_name!r})"

    def composer(self) -> Any:
        """The :class:`~confcompose.Composer` (built on first use; files are re-checked)."""
        from confcompose.app.runs import app_resolvers

        resolvers = app_resolvers(confcompose.default_context().resolvers, time.time_ns())
        if self._composer is None:
            from confcompose.app.plugins import plugin_searchpath
            from confcompose.app.sources import builtin_conf
            from confcompose.hydra.core.config_store import ConfigStore

            search: list[Any] = list(self.extra)
            if self.builtin:
                search += [*plugin_searchpath(), builtin_conf()]
            self._composer = confcompose.Composer(
                self.primary, search_path=search, store=ConfigStore.instance()
            )
        # Resolvers registered since the last call (OmegaConf.register_new_resolver) count.
        self._composer.resolvers = resolvers
        return self._composer

    def compose(
        self, config_name: str | None, overrides: Sequence[str], return_hydra_config: bool
    ) -> DictNode:
        """Hydra's ``compose()``: the job config, with the ``hydra`` node if asked for."""
        composer = self.composer()
        if not return_hydra_config:
            return composer.compose(list(overrides), config_name)  # type: ignore[no-any-return]
        composed: Composition = composer.compose_all(list(overrides), config_name)
        hydra, root, choices = composed.hydra, composed.root, composed.choices
        from confcompose.app.sweep import compose_hydra_values

        compose_hydra_values(
            hydra,
            overrides,
            config_name,
            choices,
            job_name=self.job_name,
            version=__version__,
            version_base=self.version_base,
        )
        return root


def running_hydra() -> DictNode | None:
    """The ``hydra`` node of the ``@main`` job running now, or ``None``."""
    try:
        hydra: DictNode = confcompose.runtime().hydra
    except ConfigError:
        return None
    return hydra


def running_app_context() -> ComposeContext | None:
    """The context of the ``@main`` job running now (its config sources), or ``None``."""
    try:
        rt = confcompose.runtime()
    except ConfigError:
        return None
    sources = confcompose.select(rt.hydra, "runtime.config_sources", default=None) or []
    primary: str | None = None
    extra: list[str] = []
    for source in confcompose.to_container(sources):
        schema, path = source.get("schema"), str(source.get("path"))
        where = path if schema == "file" else f"{schema}://{path}"
        if schema not in ("file", "pkg") or where == "pkg://confcompose.app.conf":
            continue
        if source.get("provider") == "main" and primary is None:
            primary = where
        else:
            extra.append(where)
    version_base = str(confcompose.select(rt.hydra, "runtime.version_base", default="1.3"))
    return ComposeContext(primary, rt.job_name, version_base, extra)
