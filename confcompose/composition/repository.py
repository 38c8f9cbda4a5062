"""Where configs come from: directories, Python packages and in-memory stores.

A config is named by its path without extension (``"config"``, ``"db/mysql"``); a group is a
folder of configs (``"db"``, ``"model/encoder"``). A search path is an ordered list of
repositories and the first one that has a config wins, as in Hydra.

YAML files are parsed once per process: the parse cache is keyed on the file's path, size and
modification time, so an edited file is read again. Cached nodes are shared and never mutated
(the composer copies what it merges). The folder listing of a repository is read on first use and
read again when a folder's modification time changed (the composer checks before each compose),
so a config file added later is found.

>>> repo = DirRepository("conf")  # doctest: +SKIP
>>> repo.options("db"), repo.has_config("db/mysql")  # doctest: +SKIP
(['mysql', 'postgresql'], True)
"""

from __future__ import annotations

import _thread  # threading's lock, without importing threading
import os
import sys

from confcompose._typing import Protocol, cast
from confcompose.errors import ConfigNotFoundError, YAMLError
from confcompose.location import Location
from confcompose.nodes import Container

TYPE_CHECKING = False  # keep the typing module off the start-up path
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from confcompose.composition.store import ConfigStore

Header = dict[str, str]
Loaded = tuple[Container, Header]

_EXT = ".yaml"
# (path, size, mtime_ns) -> parsed file. A pure cache: entries are immutable once stored.
_PARSED: dict[tuple[str, int, int], Loaded] = {}
_PARSED_LOCK = _thread.allocate_lock()
_PARSED_MAX = 4096


class Repository(Protocol):
    """A source of configs and config groups."""

    def describe(self) -> str:
        """A short description for error messages (``file:///abs/conf``)."""

    def has_config(self, name: str) -> bool:
        """Whether the config ``name`` (``"db/mysql"``) exists."""

    def is_group(self, path: str) -> bool:
        """Whether ``path`` (``"db"``) is a config group."""

    def options(self, group: str) -> list[str]:
        """The config names in ``group``, sorted (``""`` is the top level)."""

    def load(self, name: str) -> Loaded:
        """The config ``name`` and its header (``{"package": ...}``); the node is shared."""


def normalize_name(name: str) -> str:
    """A config name without its ``.yaml`` extension or leading slash.

    >>> normalize_name("/db/mysql.yaml")
    'db/mysql'
    """
    name = name.lstrip("/")
    return name[: -len(_EXT)] if name.endswith(_EXT) else name


def parse_text(data: bytes, file: str) -> Loaded:
    """Parse a config file's bytes: its node (mapping or list) and its ``# @`` header."""
    from confcompose.parsing.yaml import load_text, read_header

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise YAMLError("not valid UTF-8 text", location=Location(file, line)) from None
    header = read_header(text, file)
    node = load_text(text, file)
    if not isinstance(node, Container):
        raise YAMLError(
            f"a config must be a mapping or a list, not a {type(node).__name__}",
            location=Location(file, 1, 1),
        )
    return node, header


def load_file_cached(path: str) -> Loaded:
    """Parse ``path`` once per (path, size, mtime): an edited file is read again."""
    from confcompose.composition import diskcache
    from confcompose.parsing.files import read_bytes

    try:
        st = os.stat(path)
    except OSError:
        raise ConfigNotFoundError("config file not found", location=Location(path)) from None
    key = (path, st.st_size, st.st_mtime_ns)
    hit = _PARSED.get(key)
    if hit is not None:
        return hit
    data = read_bytes(path)
    digest = diskcache.digest_of(data) if diskcache.cache_dir() is not None else ""
    loaded = diskcache.load(path, digest) if digest else None
    if loaded is None:
        loaded = parse_text(data, path)
        if digest:
            diskcache.store(path, digest, loaded)
    with _PARSED_LOCK:
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        return _PARSED.setdefault(key, loaded)


def cache_dir() -> str | None:
    """The directory of the parsed-file cache, or None when it is switched off."""
    from confcompose.composition.diskcache import cache_dir as _cache_dir

    return _cache_dir()


# A folder modified this recently (ns) before it was listed may change again within the same
# timestamp tick, unseen by an mtime comparison: such a listing is read again next time.
_RACY_NS = 50_000_000


class _Listing:
    """Groups and configs of a folder tree, with each folder's mtime when it was read."""

    __slots__ = ("configs", "groups", "racy", "stamps")

    def __init__(self) -> None:
        self.configs: dict[str, list[str]] = {}  # group -> sorted config names
        self.groups: dict[str, list[str]] = {}  # group -> sorted subgroup names
        self.stamps: list[tuple[str, int]] = []  # (folder, mtime_ns) of every folder read
        self.racy = False


def _mtime(folder: str) -> int:
    try:
        return os.stat(folder).st_mtime_ns
    except OSError:
        return -1


class DirRepository:
    """Configs in a folder: ``conf/config.yaml``, ``conf/db/mysql.yaml``.

    >>> DirRepository("conf").describe()  # doctest: +SKIP
    'file:///abs/conf'
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.root = os.path.abspath(os.fspath(path))
        self._listing: _Listing | None = None
        self._lock = _thread.allocate_lock()

    def __repr__(self) -> str:
        return f"DirRepository({self.root!r})"

    def describe(self) -> str:
        """``file://`` and the absolute folder."""
        return "file://" + self.root

    def _list(self) -> _Listing:
        listing = self._listing
        if listing is None:
            with self._lock:
                if self._listing is None:
                    self._listing = _walk(self.root)
                listing = self._listing
        return listing

    def refresh(self) -> bool:
        """Read the folder tree again if a folder changed since it was listed (one ``stat`` per
        folder); whether the listing was dropped."""
        listing = self._listing
        if listing is None:
            return False
        if listing.racy or any(_mtime(f) != m for f, m in listing.stamps):
            with self._lock:
                if self._listing is listing:
                    self._listing = None
            return True
        return False

    def has_config(self, name: str) -> bool:
        """Whether ``name.yaml`` exists (``..`` is resolved, as a file system would, but never
        above the folder itself)."""
        clean = _inside(normalize_name(name))
        if clean is None:
            return False
        group, _, option = clean.rpartition("/")
        return option in self._list().configs.get(group, ())

    def is_group(self, path: str) -> bool:
        """Whether ``path`` is a sub-folder."""
        path = path.strip("/")
        return path != "" and path in self._list().configs

    def options(self, group: str) -> list[str]:
        """The configs of ``group``."""
        return list(self._list().configs.get(group.strip("/"), ()))

    def subgroups(self, group: str) -> list[str]:
        """The sub-folders of ``group``."""
        return list(self._list().groups.get(group.strip("/"), ()))

    def load(self, name: str) -> Loaded:
        """Parse (or fetch from the cache) ``name.yaml``."""
        name = normalize_name(name)
        clean = _inside(name)
        if clean is None or not self.has_config(clean):
            raise ConfigNotFoundError(f"no config {name!r} in {self.describe()}")
        return load_file_cached(os.path.join(self.root, clean + _EXT))

    def near_misses(self, name: str) -> list[str]:
        """Files that look like config ``name`` but are not read (``db/x.yml``)."""
        clean = _inside(normalize_name(name))
        if clean is None:
            return []
        base = os.path.join(self.root, clean)
        exts = (".yml", ".YAML", ".Yaml", ".json")
        return [base + ext for ext in exts if os.path.isfile(base + ext)]


def _inside(name: str) -> str | None:
    """``name`` with ``.`` and ``..`` parts resolved (Hydra lets a file source's defaults say
    ``../default``); ``None`` when it would leave the folder."""
    if "." not in name:
        return name
    import posixpath

    clean = posixpath.normpath(name)
    if clean in (".", "..") or clean.startswith(("../", "/")):
        return None
    return clean


def _walk(root: str) -> _Listing:
    import time

    listing = _Listing()
    started = time.time_ns()
    listing.stamps.append((root, _mtime(root)))
    if not os.path.isdir(root):
        return listing
    for folder, dirs, files in os.walk(root):
        if folder != root:
            listing.stamps.append((folder, _mtime(folder)))
        rel = os.path.relpath(folder, root).replace(os.sep, "/")
        group = "" if rel == "." else rel
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__")))
        listing.groups[group] = list(dirs)
        listing.configs[group] = sorted(f[: -len(_EXT)] for f in files if f.endswith(_EXT))
    listing.racy = any(m >= started - _RACY_NS for _, m in listing.stamps)
    return listing


class PackageRepository(DirRepository):
    """Configs shipped inside a Python package: ``pkg://my_app.conf``.

    >>> PackageRepository("pkg://my_app.conf").describe()  # doctest: +SKIP
    'pkg://my_app.conf'
    """

    def __init__(self, uri: str) -> None:
        module = uri[len("pkg://") :] if uri.startswith("pkg://") else uri
        module = module.strip("/").replace("/", ".")
        self.uri = "pkg://" + module
        from importlib import import_module, resources

        try:
            import_module(module)
            where: Any = resources.files(module)
        except (ImportError, TypeError, ValueError) as exc:
            raise ConfigNotFoundError(f"cannot import config package {module!r}: {exc}") from None
        # Installed packages are plain folders; zipped ones would need extraction first.
        super().__init__(os.fspath(where) if isinstance(where, os.PathLike) else str(where))

    def __repr__(self) -> str:
        return f"PackageRepository({self.uri!r})"

    def describe(self) -> str:
        """The ``pkg://`` address."""
        return self.uri


class StoreRepository:
    """Configs of a :class:`~confcompose.composition.store.ConfigStore`."""

    def __init__(self, store: ConfigStore) -> None:
        self.store = store

    def __repr__(self) -> str:
        return f"StoreRepository({self.store!r})"

    def describe(self) -> str:
        """``store://`` and the store's name."""
        return f"store://{self.store.name}"

    def has_config(self, name: str) -> bool:
        """Whether the store holds ``name``."""
        return self.store.get(normalize_name(name)) is not None

    def is_group(self, path: str) -> bool:
        """Whether the store has configs under ``path``."""
        return self.store.is_group(path.strip("/"))

    def options(self, group: str) -> list[str]:
        """The names stored in ``group``."""
        return self.store.options(group.strip("/"))

    def load(self, name: str) -> Loaded:
        """The stored node and header."""
        entry = self.store.get(normalize_name(name))
        if entry is None:
            raise ConfigNotFoundError(f"no config {name!r} in {self.describe()}")
        return entry


def repository_for(source: str | os.PathLike[str] | Repository | ConfigStore) -> Repository:
    """A repository for a folder, a ``pkg://`` address, a store, or a repository itself."""
    # A ConfigStore exists only once its module is loaded: a folder never loads it.
    store = sys.modules.get("confcompose.composition.store")
    if store is not None and isinstance(source, store.ConfigStore):
        return StoreRepository(source)
    if isinstance(source, str) and source.startswith("pkg://"):
        return PackageRepository(source)
    if isinstance(source, str | os.PathLike):
        text = os.fspath(source)
        return DirRepository(text[len("file://") :] if text.startswith("file://") else text)
    return cast("Repository", source)  # (a ConfigStore was handled above)


class SearchPath:
    """Repositories in order; the first that has a config wins.

    >>> sp = SearchPath([DirRepository("conf")])  # doctest: +SKIP
    >>> sp.find("db/mysql")  # doctest: +SKIP
    DirRepository('/abs/conf')
    """

    def __init__(self, repositories: Sequence[Repository]) -> None:
        self.repositories = tuple(repositories)

    def find(self, name: str) -> Repository | None:
        """The first repository holding ``name``."""
        for repo in self.repositories:
            if repo.has_config(name):
                return repo
        return None

    def has_config(self, name: str) -> bool:
        """Whether some repository holds ``name``."""
        return self.find(name) is not None

    def refresh(self) -> bool:
        """Let each repository re-read changed folders; whether any listing changed."""
        changed = False
        for repo in self.repositories:
            refresh = getattr(repo, "refresh", None)
            if refresh is not None and refresh():
                changed = True
        return changed

    def is_group(self, path: str) -> bool:
        """Whether some repository has the group ``path``."""
        return any(repo.is_group(path) for repo in self.repositories)

    def options(self, group: str) -> list[str]:
        """The union of the group's options, sorted."""
        names: set[str] = set()
        for repo in self.repositories:
            if group == "" or repo.is_group(group):
                names.update(repo.options(group))
        return sorted(names)

    def load(self, name: str) -> tuple[Repository, Container, Header] | None:
        """The repository, node and header of ``name`` (``None`` if nowhere)."""
        repo = self.find(name)
        if repo is None:
            return None
        node, header = repo.load(name)
        return repo, node, header

    def describe(self) -> str:
        """One line per repository, for error messages."""
        return "\n".join("\t" + repo.describe() for repo in self.repositories)
