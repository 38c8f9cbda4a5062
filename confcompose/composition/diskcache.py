"""The on-disk cache of parsed config files: data only, bound to the bytes it was made from.

A fresh process would otherwise import ruamel.yaml and parse every file again. Each entry is a
JSON document that this module decodes itself into nodes (nothing in it can run code), and it
records the SHA-256 of the source bytes, the absolute path and the format/library versions: a
swapped or stale entry does not match and is ignored. Entries are opened without following
symlinks and must be regular files owned by the user; every directory on the way must be a real
directory owned by the user and writable by nobody else (they are created 0700). Writes go to a
temporary file renamed into place, so readers see a whole entry or none.

The cache is capped (``CONFCOMPOSE_CACHE_MAX_MB``, default 64 MB; entries unused for
``CONFCOMPOSE_CACHE_MAX_DAYS``, default 30 days, are removed), ``CONFCOMPOSE_CACHE_DIR`` moves
it and ``CONFCOMPOSE_CACHE=0`` switches it off. ``confcompose cache info`` / ``cache clear`` show
and empty it (:func:`cache_info`, :func:`cache_clear`). Any failure only costs speed.
"""

from __future__ import annotations

import contextlib
import functools
import os
import stat
import sys
import time

from confcompose.location import Location
from confcompose.nodes import Container, DictNode, ListNode
from confcompose.tree import content, new_dict, new_list, origins

TYPE_CHECKING = False  # keep the typing module off the start-up path
if TYPE_CHECKING:
    from typing import Any

    from confcompose.composition.repository import Loaded

FORMAT = 3  # bump when the entry layout or the parse result changes
_SUFFIX = ".json"
_SUBDIR = "parsed"
_PRUNE_STAMP = ".last-prune"
_PRUNE_EVERY_S = 3600.0
_TOUCH_AFTER_S = 86400.0


def cache_dir() -> str | None:
    """The directory of the parsed-file cache, or None when it is switched off."""
    if os.environ.get("CONFCOMPOSE_CACHE", "1").lower() in ("0", "false", "no", "off"):
        return None
    explicit = os.environ.get("CONFCOMPOSE_CACHE_DIR")
    if explicit:
        return os.path.abspath(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "confcompose")


def _env_number(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value >= 0 else default


def max_bytes() -> int:
    """The size cap of the cache (``CONFCOMPOSE_CACHE_MAX_MB``, default 64)."""
    return int(_env_number("CONFCOMPOSE_CACHE_MAX_MB", 64) * 1024 * 1024)


def max_age_s() -> float:
    """How long an unused entry is kept (``CONFCOMPOSE_CACHE_MAX_DAYS``, default 30)."""
    return _env_number("CONFCOMPOSE_CACHE_MAX_DAYS", 30) * 86400.0


# -- trust checks -------------------------------------------------------------------------------


def _uid() -> int | None:
    return os.getuid() if hasattr(os, "getuid") else None


def _trusted_dir(path: str) -> bool:
    """A real directory (not a symlink) owned by us and not writable by group or others."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode):
        return False
    uid = _uid()
    if uid is None:
        return True
    return st.st_uid == uid and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _ensure_dir(path: str) -> bool:
    """Create ``path`` 0700 if absent; whether it exists and can be trusted."""
    if _trusted_dir(path):  # usually there already: one lstat, no failing mkdir
        return True
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return False
    return _trusted_dir(path)


def _folder(root: str, digest: str, create: bool) -> str | None:
    """The trusted folder of the entry ``digest`` (each level checked), or None."""
    parts = [root, os.path.join(root, _SUBDIR), os.path.join(root, _SUBDIR, digest[:2])]
    for part in parts:
        ok = _ensure_dir(part) if create else _trusted_dir(part)
        if not ok:
            return None
    return parts[-1]


def _identity(path: str, digest: str) -> dict[str, Any]:
    import sys

    from confcompose._version import __version__

    return {
        "format": FORMAT,
        "version": __version__,
        "python": list(sys.version_info[:2]),
        "path": os.path.abspath(path),
        "sha256": digest,
    }


def digest_of(data: bytes) -> str:
    """The SHA-256 of a file's bytes (what an entry is bound to): the caller hashes once and
    hands the digest to :func:`load` and, on a miss, to :func:`store`."""
    return _sha256_hex(data)


def _entry_name(path: str, digest: str) -> str:
    ident = _identity(path, digest)
    key = f"{ident['format']}|{ident['version']}|{ident['python']}|{ident['path']}|{digest}"
    return _sha256_hex(key.encode("utf-8", "surrogatepass"))


# hashlib loads OpenSSL (~2 ms of every process start); CPython's own SHA-256 module loads at
# once but hashes ~5x slower. The small config folders of most apps use it; past this many bytes
# hashed in the process, OpenSSL's speed repays its import. Same digests either way.
_BUILTIN_SHA_BYTES = 256 * 1024
_hashed = [0]


def _sha256_hex(data: bytes) -> str:
    _hashed[0] += len(data)
    if _hashed[0] <= _BUILTIN_SHA_BYTES:
        import importlib

        for name in ("_sha256", "_sha2"):  # CPython <= 3.11, >= 3.12
            try:
                module: Any = importlib.import_module(name)
            except ImportError:
                continue
            return str(module.sha256(data).hexdigest())
    import hashlib

    return hashlib.sha256(data).hexdigest()


# -- load and store -------------------------------------------------------------------------------


def load(path: str, digest: str) -> Loaded | None:
    """The cached parse of ``path`` whose bytes have the SHA-256 ``digest`` (:func:`digest_of`),
    or None (absent, stale, untrusted)."""
    root = cache_dir()
    if root is None:
        return None
    name = _entry_name(path, digest)
    folder = _folder(root, name, create=False)
    if folder is None:
        return None
    entry = os.path.join(folder, name + _SUFFIX)
    try:
        raw = _read_trusted(entry)
        if raw is None:
            return None
        doc = json_loads(raw)
        if not isinstance(doc, dict) or doc.get("id") != _identity(path, digest):
            return None
        return _decode_entry(doc, os.fspath(path))
    except Exception:  # corrupt, truncated or foreign: parse the file instead
        return None


_NAN, _INF = float("nan"), float("inf")  # (math is a shared library: one less to load)


class _JSONContext:
    """What the C JSON scanner reads from its context: the settings of ``json.loads``."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = {"NaN": _NAN, "Infinity": _INF, "-Infinity": -_INF}.__getitem__


_JSON_BLANKS = " \t\n\r"


@functools.cache
def _scanner() -> Any:
    """The C scanner with json.loads' settings, made once (it clears its memo after each call
    and runs under the GIL throughout), or None without the accelerator."""
    try:
        from _json import make_scanner
    except ImportError:
        return None
    # (typeshed asks for a scanner; the C code reads the settings from any object)
    return make_scanner(_JSONContext)  # type: ignore[arg-type]


def json_loads(raw: bytes) -> Any:
    """``json.loads(raw)`` for an entry as :func:`store` writes it (UTF-8 with surrogates
    passed), through the C scanner that ``json`` itself uses: importing the ``json`` package
    (its decoder, encoder and their regexes) would be ~1.5 ms of every app start. Bad input
    raises ValueError (or StopIteration), as ``json.loads`` raises on it.

    >>> json_loads(b'{"a": [1, 2.5, null, true, "x"], "b": NaN}')
    {'a': [1, 2.5, None, True, 'x'], 'b': nan}
    """
    text = raw.decode("utf-8", "surrogatepass")
    scanner = _scanner()
    if scanner is None:  # an interpreter without the C accelerator
        import json

        return json.loads(text)
    start = len(text) - len(text.lstrip(_JSON_BLANKS))
    value, end = scanner(text, start)
    if text[end:].strip(_JSON_BLANKS):
        raise ValueError("extra data after the JSON document")
    return value


def _read_trusted(entry: str) -> bytes | None:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(entry, flags)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        uid = _uid()
        if not stat.S_ISREG(st.st_mode) or st.st_size > max_bytes():
            return None
        if uid is not None and (st.st_uid != uid or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
            return None
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        if time.time() - st.st_mtime > _TOUCH_AFTER_S:
            os.utime(fd)  # entries are aged by last use
        return b"".join(chunks)
    finally:
        os.close(fd)


def store(path: str, digest: str, loaded: Loaded) -> None:
    """Write the parse of ``path`` (bytes with SHA-256 ``digest``) atomically; failures only cost
    speed."""
    root = cache_dir()
    if root is None:
        return
    try:
        import json

        name = _entry_name(path, digest)
        node, header = loaded
        doc = {"id": _identity(path, digest), "header": header, "node": _encode(node, path)}
        text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
        folder = _folder(root, name, create=True)
        if folder is None:
            return
        _write_atomic(os.path.join(folder, name + _SUFFIX), text.encode("utf-8", "surrogatepass"))
        _maybe_prune(root)
    except Exception:  # an unencodable value, a read-only home or a full disk
        return


def _write_atomic(file: str, payload: bytes) -> None:
    # A fresh name created exclusively, 0600 (what tempfile.mkstemp does, without importing
    # tempfile: random, shutil, bz2, lzma... several ms of a first run's start).
    tmp = f"{file}.{os.getpid()}.{os.urandom(6).hex()}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(tmp, flags, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
        os.replace(tmp, file)  # atomic: readers see the old entry or the whole new one
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# -- the data-only encoding -----------------------------------------------------------------------
# A node is {"k": [keys], "v": [values], "o": origins} or {"l": [values], "o": origins}; bytes are
# {"b": base64}. A position in the parsed file is one int, line << 20 | column (or [line, column]
# when a column does not fit in 20 bits); any other origin is {"loc": [file, line, column, kind,
# detail]}; a merge history is {"h": [origins]}. Flat lists of ints and strings: decoding makes
# no short-lived pair per key (40,000 of them for a 20,000-key tree fragmented the heap).
_COLUMN_BITS = 20
_COLUMN_MASK = (1 << _COLUMN_BITS) - 1


def _position(line: Any, column: Any) -> Any:
    if type(line) is int and type(column) is int and line >= 0 and 0 <= column <= _COLUMN_MASK:
        return line << _COLUMN_BITS | column
    return [line, column]


class _Unencodable(Exception):
    pass


def _encode(value: Any, file: str) -> Any:
    # The hot path of a first run (every parsed file is written): plain leaves are stored as
    # they are without a call each, and file positions are read by unpacking the Location.
    if isinstance(value, DictNode):
        where_of = origins(value)
        keys = []
        values = []
        where = []
        for k, v in content(value).items():
            keys.append(k if type(k) is str else _encode_key(k))
            values.append(v if type(v) in _PLAIN else _encode(v, file))
            o = where_of.get(k)
            # Location(file, line, column, "file", None) of this file: a position
            if type(o) is Location and o[0] == file and o[3] == "file" and o[4] is None:
                where.append(_position(o[1], o[2]))
            else:
                where.append(_encode_origin(o, file))
        return {"k": keys, "v": values, "o": where}
    if isinstance(value, ListNode):
        return {
            "l": [v if type(v) in _PLAIN else _encode(v, file) for v in content(value)],
            "o": [_encode_origin(o, file) for o in origins(value)],
        }
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return value
    if kind is bytes:
        import base64

        return {"b": base64.b64encode(value).decode("ascii")}
    raise _Unencodable(kind.__name__)


_PLAIN = frozenset((str, int, bool, float, type(None)))


def _encode_key(key: Any) -> Any:
    kind = type(key)
    if kind is str or kind is int or kind is bool or kind is float:
        return key
    raise _Unencodable(kind.__name__)


def _encode_origin(origin: Any, file: str) -> Any:
    if type(origin) is Location:
        where, line, column, kind, detail = origin
        if where == file and kind == "file" and detail is None:
            return _position(line, column)
        return {"loc": list(origin)}
    if origin is None:
        return None
    if type(origin) is tuple:
        return {"h": [_encode_origin(o, file) for o in origin]}
    if not isinstance(origin, Location):
        raise _Unencodable(type(origin).__name__)
    if origin.kind == "file" and origin.file == file and origin.detail is None:
        return _position(origin.line, origin.column)
    return {"loc": list(origin)}


def _decode_entry(doc: dict[str, Any], file: str) -> Loaded | None:
    header = doc.get("header")
    if not isinstance(header, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in header.items()
    ):
        return None
    node = _decode(doc.get("node"), file)
    if not isinstance(node, Container):
        return None
    return node, header


_SCALARS = (str, int, float, bool, type(None))
_KEY_TYPES = frozenset((str, int, float, bool))
_new_location = tuple.__new__  # Location(file, line, column) without the keyword handling
_intern = sys.intern


def _decode(value: Any, file: str) -> Any:
    # The hot path of a cache hit: scalars are stored inline, so only containers recurse.
    if type(value) is not dict:
        if isinstance(value, _SCALARS):
            return value
        raise ValueError("malformed entry")
    if "k" in value:
        values: dict[Any, Any] = {}
        node_origins: dict[Any, Any] = {}
        for k, v, o in zip(value["k"], value["v"], value["o"], strict=True):
            if type(k) not in _KEY_TYPES:
                raise ValueError("malformed key")
            if type(k) is str:  # one string for a key that recurs across files and nodes
                k = _intern(k)
            values[k] = _decode(v, file) if type(v) is dict or type(v) is list else v
            if type(o) is int and o >= 0:
                where = (file, o >> _COLUMN_BITS, o & _COLUMN_MASK, "file", None)
                node_origins[k] = _new_location(Location, where)
            elif o is not None:
                node_origins[k] = _decode_origin(o, file)
        return new_dict(values, node_origins)
    if "l" in value:
        items = [_decode(v, file) if type(v) is dict or type(v) is list else v for v in value["l"]]
        # (an item's unknown origin is Location(), as new_list gives it)
        item_origins = [Location() if o is None else _decode_origin(o, file) for o in value["o"]]
        return new_list(items, item_origins)
    if "b" in value:
        import base64

        return base64.b64decode(value["b"], validate=True)
    raise ValueError("malformed entry")


def _decode_origin(origin: Any, file: str) -> Any:
    if type(origin) is int and origin >= 0:
        return Location(file, origin >> _COLUMN_BITS, origin & _COLUMN_MASK)
    if type(origin) is list and len(origin) == 2:
        line, column = origin
        return Location(file, _opt_int(line), _opt_int(column))
    if type(origin) is dict and "h" in origin:
        return tuple(_decode_origin(o, file) for o in origin["h"])
    if type(origin) is dict and "loc" in origin:
        f, line, column, kind, detail = origin["loc"]
        if not all(x is None or isinstance(x, str) for x in (f, kind, detail)):
            raise ValueError("malformed location")
        return Location(f, _opt_int(line), _opt_int(column), kind, detail)
    raise ValueError("malformed location")


def _opt_int(value: Any) -> int | None:
    if value is None or type(value) is int:
        return value
    raise ValueError("malformed location")


# -- size cap, info and clear ---------------------------------------------------------------------


def _entries(root: str) -> list[tuple[str, os.stat_result]]:
    top = os.path.join(root, _SUBDIR)
    out: list[tuple[str, os.stat_result]] = []
    if not _trusted_dir(root) or not _trusted_dir(top):
        return out
    for sub in os.listdir(top):
        folder = os.path.join(top, sub)
        if len(sub) != 2 or not _trusted_dir(folder):
            continue
        for name in os.listdir(folder):
            if name.endswith((_SUFFIX, ".tmp", ".pickle")):
                file = os.path.join(folder, name)
                try:
                    st = os.lstat(file)
                except OSError:
                    continue
                if stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode):
                    out.append((file, st))
    return out


def _maybe_prune(root: str) -> None:
    stamp = os.path.join(root, _SUBDIR, _PRUNE_STAMP)
    try:
        if time.time() - os.lstat(stamp).st_mtime < _PRUNE_EVERY_S:
            return
    except OSError:
        pass
    prune(root)
    try:
        fd = os.open(stamp, os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        os.utime(fd)
        os.close(fd)
    except OSError:
        return


def prune(root: str | None = None) -> int:
    """Remove entries unused for longer than the age cap, then the oldest past the size cap;
    return how many were removed."""
    root = root or cache_dir()
    if root is None:
        return 0
    now = time.time()
    entries = sorted(_entries(root), key=lambda e: e[1].st_mtime)
    total = sum(st.st_size for _, st in entries)
    limit, age = max_bytes(), max_age_s()
    removed = 0
    for file, st in entries:
        stale = now - st.st_mtime > age or file.endswith(".pickle") or stat.S_ISLNK(st.st_mode)
        if not stale and total <= limit:
            continue
        try:
            os.unlink(file)
        except OSError:
            continue
        total -= st.st_size
        removed += 1
    return removed


def cache_info() -> dict[str, Any]:
    """Where the parse cache is, how many entries it holds, their total size and the caps.

    >>> sorted(cache_info())
    ['directory', 'enabled', 'entries', 'max_age_days', 'max_bytes', 'size_bytes']
    """
    root = cache_dir()
    entries = _entries(root) if root is not None else []
    return {
        "directory": root,
        "enabled": root is not None,
        "entries": len(entries),
        "size_bytes": sum(st.st_size for _, st in entries),
        "max_bytes": max_bytes(),
        "max_age_days": max_age_s() / 86400.0,
    }


def cache_clear() -> int:
    """Remove every entry of the parse cache; return how many were removed."""
    root = cache_dir()
    if root is None:
        return 0
    removed = 0
    for file, _ in _entries(root):
        try:
            os.unlink(file)
        except OSError:
            continue
        removed += 1
    return removed


def cache_command(action: str) -> str:
    """The text of ``confcompose cache info`` / ``confcompose cache clear``."""
    if action == "clear":
        return f"removed {cache_clear()} cached entries\n"
    info = cache_info()
    if not info["enabled"]:
        return "parse cache: off (CONFCOMPOSE_CACHE=0)\n"
    return (
        f"parse cache: {info['directory']}\n"
        f"entries: {info['entries']}\n"
        f"size: {info['size_bytes']} bytes (limit {info['max_bytes']} bytes, "
        "CONFCOMPOSE_CACHE_MAX_MB)\n"
        f"unused entries kept: {info['max_age_days']:g} days (CONFCOMPOSE_CACHE_MAX_DAYS)\n"
    )


__all__ = ["cache_command"]
