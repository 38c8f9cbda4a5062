"""Fixtures of the differential suite: reference libraries present, GlobalHydra kept clean."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest.importorskip("hydra", reason="the differential suite needs hydra-core (test extra)")
pytest.importorskip("omegaconf", reason="the differential suite needs omegaconf (test extra)")


@pytest.fixture(autouse=True)
def _clean_global_hydra() -> Iterator[None]:
    """Start and end every test with an uninitialised GlobalHydra (a failed case may leak it)."""
    from hydra.core.global_hydra import GlobalHydra

    GlobalHydra.instance().clear()
    yield
    GlobalHydra.instance().clear()
