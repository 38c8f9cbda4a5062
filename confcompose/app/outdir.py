"""A run's output directory: made (or claimed), and its ``.hydra`` files published as one set.

Two rules keep runs apart:

* A directory whose name comes from the start time (``hydra.run.dir`` or ``hydra.sweep.dir``
  with ``${now:...}`` in it, as the defaults have) belongs to one run. It is claimed with an
  atomic ``mkdir``; when another run already has it (two runs started in the same second), this
  run takes the first free ``<dir>_1``, ``<dir>_2``, ... A directory named without ``${now:}``
  (``hydra.run.dir=out``) is reused as it is, as Hydra does.
* The files of ``.hydra/`` (``config.yaml``, ``hydra.yaml``, ``overrides.yaml``) are written into
  a fresh directory next to it and renamed into place together: a reader, or a second run in the
  same directory, sees one run's complete set, never a mix.

File-system failures (a path under a regular file, no permission, a read-only or full disk)
become a :class:`~confcompose.ConfigError` that names the setting and the path.
"""

from __future__ import annotations

import _thread
import errno
import os

import confcompose
from confcompose import ConfigError, DictNode

TYPE_CHECKING = False  # keep the typing module off the start-up path
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

_MAX_SUFFIX = 10_000

_REASONS = {
    errno.ENOTDIR: "a part of the path is a file, not a directory",
    errno.EEXIST: "it exists and is not a directory",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EROFS: "the file system is read-only",
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
    errno.ENOENT: "no such file or directory",
}


def os_error(what: str, path: str, e: OSError, key_path: str | None) -> ConfigError:
    """A ConfigError for a failed file-system operation on ``path`` (``what``: the action)."""
    reason = _REASONS.get(e.errno or 0) or e.strerror or str(e)
    return ConfigError(f"cannot {what} {path!r}: {reason}", key_path=key_path)


def make_dir(path: str, key_path: str | None) -> None:
    """``mkdir -p path``; failures are ConfigErrors naming ``key_path``."""
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as e:
        raise os_error("create the output directory", path, e, key_path) from None
    if not os.path.isdir(path):  # makedirs(exist_ok) accepts a file at the very end
        raise os_error(
            "create the output directory", path, OSError(errno.EEXIST, "exists"), key_path
        )


def time_named(hydra: DictNode, key: str) -> bool:
    """Whether ``hydra.<key>`` (``run.dir``, ``sweep.dir``) is named after the start time."""
    section, _, leaf = key.rpartition(".")
    node = confcompose.select(hydra, section, default=None)
    if not isinstance(node, DictNode):
        return False
    raw: Any = confcompose.to_container(node, resolve=False).get(leaf)
    return isinstance(raw, str) and "${now:" in raw.replace(" ", "")


def claim_dir(path: str, key_path: str | None) -> str:
    """Create ``path`` for this run only: the first of ``path``, ``path_1``, ... that this
    process creates itself (``mkdir`` is atomic, so two runs never get the same one)."""
    path = os.path.abspath(path)
    make_dir(os.path.dirname(path), key_path)
    for n in range(_MAX_SUFFIX):
        candidate = path if n == 0 else f"{path}_{n}"
        try:
            os.mkdir(candidate)
        except FileExistsError:
            continue
        except OSError as e:
            raise os_error("create the output directory", candidate, e, key_path) from None
        return candidate
    raise ConfigError(
        f"cannot create the output directory {path!r}: it and {_MAX_SUFFIX - 1} suffixed "
        "variants already exist",
        key_path=key_path,
    )


def publish(where: str, files: Mapping[str, str], key_path: str | None = None) -> None:
    """Write ``files`` (name -> text) as the directory ``where``, all at once.

    They are written into a new sibling directory that is then renamed to ``where``; an
    existing ``where`` (an earlier run in the same directory) is moved aside first and removed.
    """
    parent, name = os.path.split(os.path.abspath(where))
    make_dir(parent, key_path)
    tag = f"{os.getpid()}.{_thread.get_ident()}"
    tmp = os.path.join(parent, f".{name}.new.{tag}")
    try:
        os.mkdir(tmp)
        for fname, text in files.items():
            with open(os.path.join(tmp, fname), "w", encoding="utf-8") as f:
                f.write(text)
        _swap_in(tmp, os.path.join(parent, name), tag)
    except OSError as e:
        _remove(tmp)
        raise os_error("write the run's files in", where, e, key_path) from None


def _swap_in(tmp: str, final: str, tag: str) -> None:
    for _ in range(1000):
        try:
            os.rename(tmp, final)  # atomic; succeeds when `final` is absent (or an empty dir)
            return
        except OSError as e:
            if e.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
        # An earlier set is there: move it aside (another run may do so first), then retry.
        old = f"{final}.old.{tag}.{os.urandom(4).hex()}"
        try:
            os.rename(final, old)
        except FileNotFoundError:
            continue
        _remove(old)
    raise OSError(errno.EBUSY, "the directory keeps being replaced by another run", final)


def _remove(path: str) -> None:
    import shutil  # imports zlib, bz2 and lzma: only when a set is replaced

    shutil.rmtree(path, ignore_errors=True)
