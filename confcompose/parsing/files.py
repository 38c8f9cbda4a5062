"""Reading config files: regular files only, under a size limit.

Kept apart from ``parsing.yaml`` so that a parse-cache hit reads a file without importing the
YAML module (its patterns cost milliseconds to compile).
"""

from __future__ import annotations

import os
import stat

from confcompose.errors import ConfigNotFoundError, YAMLError
from confcompose.location import Location

__all__ = ["max_file_bytes", "read_bytes"]

_DEFAULT_MAX_FILE_MB = 32


def max_file_bytes() -> int:
    """The largest config file read (``CONFCOMPOSE_MAX_FILE_MB``, default 32 MB)."""
    try:
        mb = float(os.environ.get("CONFCOMPOSE_MAX_FILE_MB", _DEFAULT_MAX_FILE_MB))
    except ValueError:
        mb = _DEFAULT_MAX_FILE_MB
    return int(max(mb, 0) * 1024 * 1024)


_FILE_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_bytes(file: str) -> bytes:
    """The bytes of the regular file ``file`` (at most :func:`max_file_bytes`), or a ConfigError.

    FIFOs, devices and directories are refused before anything is read (a FIFO would block
    forever and ``/dev/zero`` never ends), and so is a file over the size limit.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(file, flags)
    except (FileNotFoundError, NotADirectoryError):
        raise ConfigNotFoundError("config file not found", location=Location(file)) from None
    except IsADirectoryError:
        raise ConfigNotFoundError(
            "is a directory, not a config file", location=Location(file)
        ) from None
    except OSError as exc:
        raise ConfigNotFoundError(
            f"cannot read the config file: {exc.strerror or exc}", location=Location(file)
        ) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = next((w for test, w in _FILE_KINDS if test(st.st_mode)), "not a regular file")
            raise ConfigNotFoundError(
                f"is {kind}, not a regular config file", location=Location(file)
            )
        limit = max_file_bytes()
        if st.st_size > limit:
            raise YAMLError(
                f"the file is {st.st_size} bytes, over the limit of {limit} bytes "
                "(raise CONFCOMPOSE_MAX_FILE_MB to read it)",
                location=Location(file),
            )
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise YAMLError(
                f"the file is over the limit of {limit} bytes "
                "(raise CONFCOMPOSE_MAX_FILE_MB to read it)",
                location=Location(file),
            )
        return b"".join(chunks)
    except OSError as exc:
        if isinstance(exc, ConfigNotFoundError):
            raise
        raise ConfigNotFoundError(
            f"cannot read the config file: {exc.strerror or exc}", location=Location(file)
        ) from None
    finally:
        os.close(fd)
