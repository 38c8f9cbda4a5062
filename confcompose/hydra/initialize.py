"""``hydra.initialize*``: set the search path that ``compose()`` reads.

Each works as a plain call (``GlobalHydra`` stays initialized) and as a context manager (the
previous state comes back on exit), as in Hydra.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType
from typing import Any

from confcompose import ConfigError
from confcompose.hydra.version import UNSPECIFIED, default_config_path, setbase


class _Initializer:
    """Installs a compose context in ``GlobalHydra``; restores the previous one on ``__exit__``."""

    def _install(self, primary: str | None, job_name: str, version: str) -> None:
        from confcompose.hydra._context import ComposeContext
        from confcompose.hydra.core.global_hydra import GlobalHydra

        gh = GlobalHydra.instance()
        self._backup = gh.hydra
        gh.initialize(ComposeContext(primary, job_name, version))

    def __enter__(self, *args: Any, **kwargs: Any) -> None:
        """Nothing more: ``__init__`` already initialized."""

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        from confcompose.hydra.core.global_hydra import GlobalHydra

        GlobalHydra.instance().hydra = self._backup


def _caller(depth: int) -> tuple[str | None, str | None]:
    """The calling file and module ``depth`` frames up (either may be ``None``)."""
    frame = sys._getframe(depth + 1)
    file = frame.f_globals.get("__file__")
    module = frame.f_globals.get("__name__")
    return (str(file) if file else None), (str(module) if module else None)


class initialize(_Initializer):
    """``config_path`` relative to the calling file (or module); ``job_name`` its stem."""

    def __init__(
        self,
        config_path: Any = UNSPECIFIED,
        job_name: str | None = None,
        caller_stack_depth: int = 1,
        version_base: Any = UNSPECIFIED,
    ) -> None:
        version = setbase(version_base, stacklevel=2)
        if config_path is UNSPECIFIED:
            config_path = default_config_path(
                version, version_base, "hydra.initialize()", stacklevel=2
            )
        if config_path is not None and os.path.isabs(config_path):
            raise ConfigError("config_path in initialize() must be relative")
        file, module = _caller(caller_stack_depth)
        primary: str | None = None
        if config_path is not None:
            if config_path.startswith("pkg://"):
                primary = config_path
            else:
                base = Path(file).resolve().parent if file else Path.cwd()
                primary = os.path.normpath(str(base / config_path))
        if job_name is None:
            if file is not None:
                job_name = Path(file).stem
            else:
                job_name = (module or "app").rpartition(".")[2] or "app"
        self._install(primary, job_name, version)

    def __repr__(self) -> str:
        return "hydra.initialize()"


class initialize_config_dir(_Initializer):
    """An absolute ``config_dir``."""

    def __init__(
        self,
        config_dir: str,
        job_name: str = "app",
        version_base: Any = UNSPECIFIED,
    ) -> None:
        version = setbase(version_base, stacklevel=2)
        if config_dir is None or not os.path.isabs(config_dir):
            raise ConfigError("initialize_config_dir() requires an absolute config_dir as input")
        self._install(config_dir, job_name, version)

    def __repr__(self) -> str:
        return "hydra.initialize_config_dir()"


class initialize_config_module(_Initializer):
    """An importable ``config_module`` (``"my_app.conf"``)."""

    def __init__(
        self,
        config_module: str,
        job_name: str = "app",
        version_base: Any = UNSPECIFIED,
    ) -> None:
        version = setbase(version_base, stacklevel=2)
        self._install(f"pkg://{config_module}", job_name, version)

    def __repr__(self) -> str:
        return "hydra.initialize_config_module()"


__all__ = ["initialize", "initialize_config_dir", "initialize_config_module"]
