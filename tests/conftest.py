"""Test-session settings shared by every test."""

from __future__ import annotations

import os
import tempfile

import pytest


def pytest_configure(config: pytest.Config) -> None:
    # Keep the parsed-file cache of the composer out of the user's home during tests (and
    # subprocesses inherit the setting).
    os.environ.setdefault("CONFCOMPOSE_CACHE_DIR", tempfile.mkdtemp(prefix="confcompose-cache-"))
