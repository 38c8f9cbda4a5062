"""``hydra.main``: the ``@hydra.main(config_path, config_name, version_base)`` decorator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from confcompose.hydra.version import UNSPECIFIED, default_config_path, setbase


def main(
    config_path: Any = UNSPECIFIED,
    config_name: str | None = None,
    version_base: Any = UNSPECIFIED,
) -> Callable[[Callable[[Any], Any]], Any]:
    """Hydra's decorator over :func:`confcompose.main`: same arguments, same defaults.

    ``config_path`` is relative to the decorated function's file (or ``pkg://``); it defaults
    to ``None`` for ``version_base`` 1.2 and later and to ``"."`` before. ``version_base``
    omitted means 1.1's behaviour, with Hydra's warning. The default
    :meth:`ConfigStore.instance() <confcompose.hydra.core.config_store.ConfigStore.instance>`
    is searched after the config directories.
    """
    from confcompose.app.main import main as app_main
    from confcompose.hydra.core.config_store import ConfigStore

    version = setbase(version_base, stacklevel=2)
    if config_path is UNSPECIFIED:
        config_path = default_config_path(version, version_base, "@hydra.main()", stacklevel=2)
    return app_main(config_path, config_name, version, store=ConfigStore.instance(), error_status=1)


__all__ = ["main"]
