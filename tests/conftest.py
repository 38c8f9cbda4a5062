"""Test-session settings shared by every test."""

from __future__ import annotations

import os
import tempfile

import pytest
from hypothesis import settings

# No per-example deadline: timing is not what these tests check, and a loaded 2-core machine
# would make it flaky. In CI (CI=true) the examples are derandomized, so a run is reproducible
# and a red CI always points at a real, repeatable failure; locally they keep exploring.
settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, database=None)
settings.load_profile("ci" if os.environ.get("CI") else "default")


def pytest_configure(config: pytest.Config) -> None:
    # Keep the parsed-file cache of the composer out of the user's home during tests (and
    # subprocesses inherit the setting).
    os.environ.setdefault("CONFCOMPOSE_CACHE_DIR", tempfile.mkdtemp(prefix="confcompose-cache-"))
