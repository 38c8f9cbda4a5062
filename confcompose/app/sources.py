"""Where an app's configs come from, in search order: the primary folder (``config_path`` or
``--config-path``), ``--config-dir``, ``hydra.searchpath``, plugins, then the built-in
``hydra/*`` configs (:func:`builtin_conf`).

>>> beside("conf", "/srv/app"), beside("pkg://my_app.conf", "/srv/app")
('/srv/app/conf', 'pkg://my_app.conf')
"""

from __future__ import annotations

import os

import confcompose
from confcompose import ConfigError, ConfigNotFoundError
from confcompose.composition import DirRepository, PackageRepository, Repository

TYPE_CHECKING = False  # keep the typing module off the start-up path
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

HYDRA_CONF = "pkg://confcompose.app.conf"


class BuiltinConf(DirRepository):
    """The app's built-in ``hydra/*`` configs: the repository ``pkg://confcompose.app.conf``.

    A ``pkg://`` source is located through ``importlib.resources``, which imports ``tempfile``,
    ``zipfile`` and more (~8 ms of every run); this package is a folder next to this file, read
    as a folder and named as the package.
    """

    uri = HYDRA_CONF

    def __repr__(self) -> str:
        return f"PackageRepository({HYDRA_CONF!r})"

    def describe(self) -> str:
        """The ``pkg://`` address."""
        return HYDRA_CONF


def builtin_conf() -> Repository:
    """The built-in configs' repository (through importlib.resources only for a zipped install)."""
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "conf")
    if not os.path.isdir(folder):
        return PackageRepository(HYDRA_CONF)
    return BuiltinConf(folder)


def beside(path: str, app_dir: str | None) -> str:
    """``path`` relative to the app's folder (the working directory for an app without a
    file); ``pkg://`` and absolute paths stay as they are."""
    if path.startswith("pkg://") or os.path.isabs(path):
        return path
    return os.path.normpath(os.path.join(app_dir or os.getcwd(), path))


def primary_dir(path: str | None) -> str | None:
    """The primary config source ``path`` (a folder or ``pkg://``), checked to exist."""
    if path is None or path.startswith("pkg://"):
        return path
    if not os.path.isdir(path):
        raise ConfigNotFoundError(
            f"Primary config directory not found: {path!r} does not exist",
            key_path=None,
            expected="config_path relative to the app's file, or absolute",
        )
    return path


def search_path(
    config_dir: str | None,
    primary: str | None,
    config_name: str | None,
    overrides: Sequence[str],
    resolvers: Any,
) -> list[Any]:
    """The repositories after the primary one: ``--config-dir`` (``config_dir``), the
    ``hydra.searchpath`` of the primary config and ``overrides``, plugins, the built-ins."""
    extra: list[Any] = []
    if config_dir:
        if not os.path.isdir(config_dir):
            raise ConfigError(f"--config-dir {config_dir!r} is not a directory")
        extra.append(os.path.abspath(config_dir))
    from confcompose.app.plugins import plugin_searchpath

    entries = config_searchpath(primary, config_name, overrides, resolvers)
    # Plugins before the built-ins: an installed hydra-colorlog serves hydra/*/colorlog.
    return [*extra, *entries, *plugin_searchpath(), builtin_conf()]


def config_searchpath(
    primary: str | None, config_name: str | None, overrides: Sequence[str], resolvers: Any
) -> list[str]:
    """``hydra.searchpath`` entries from the primary config and the command line.

    ``pkg://module.path`` stays as it is; ``file://dir`` and plain paths become absolute.
    """
    entries: list[Any] = []
    file = os.path.join(primary, f"{config_name}.yaml") if primary and config_name else None
    if file and os.path.isfile(file):
        with open(file, encoding="utf-8", errors="replace") as f:
            mentioned = "searchpath" in f.read()
        if mentioned:  # parse only when needed: most apps have none
            cfg = confcompose.load(file, resolvers=resolvers)
            found = confcompose.select(cfg, "hydra.searchpath", default=None)
            entries = list(confcompose.to_container(found, resolve=True) or [])
    for text in overrides:
        if text.lstrip("+").startswith("hydra.searchpath="):
            value = confcompose.parse_override(text).value
            entries = list(value) if isinstance(value, list) else [value]
    return [_absolute(entry) for entry in entries]


def _absolute(entry: Any) -> str:
    if not isinstance(entry, str) or not entry:
        raise ConfigError(
            f"hydra.searchpath entries are strings, not {entry!r}",
            key_path="hydra.searchpath",
            expected="'pkg://package.module' or 'file://path'",
        )
    if entry.startswith("pkg://"):
        return entry
    return os.path.abspath(entry.removeprefix("file://"))
