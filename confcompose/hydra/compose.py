"""``hydra.compose``: compose a config after ``initialize*`` (or inside a running ``@main``)."""

from __future__ import annotations

from collections.abc import Sequence

from confcompose import ConfigError, DictNode


class NotInitializedError(ConfigError, AssertionError):
    """``compose()`` before ``initialize*`` (Hydra asserts; both ``except`` forms work)."""


def compose(
    config_name: str | None = None,
    overrides: Sequence[str] | None = None,
    return_hydra_config: bool = False,
    strict: bool | None = None,
) -> DictNode:
    """The composed config (struct mode), without the ``hydra`` node unless asked for.

    >>> from confcompose.hydra import initialize_config_dir
    >>> with initialize_config_dir(config_dir="/tmp/nope", version_base=None):  # doctest: +SKIP
    ...     cfg = compose("config", ["db=mysql"])
    """
    from confcompose.hydra.core.global_hydra import GlobalHydra

    if strict is not None:
        raise TypeError("got an unexpected 'strict' argument")
    context = GlobalHydra.instance().current()
    if context is None:
        raise NotInitializedError(
            "GlobalHydra is not initialized, use @hydra.main() or call one of the hydra "
            "initialization methods first"
        )
    return context.compose(config_name, list(overrides or []), return_hydra_config)


__all__ = ["compose"]
