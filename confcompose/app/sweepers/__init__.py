"""Optimizing sweepers, chosen by ``hydra/sweeper=`` (the basic one: ``confcompose.app.sweep``).

A sweeper here gets the sweep's overrides and a :class:`~confcompose.app.driver.SweepDriver`,
and launches batches through it until it is done; the engines (Optuna) are optional extras,
imported only when their sweeper is chosen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import confcompose

if TYPE_CHECKING:
    from confcompose.app.driver import SweepDriver

# `_target_` values of optimizing sweepers' configs, ours and the Hydra plugins', to our classes.
OPTUNA_TARGETS = (
    "hydra_plugins.hydra_optuna_sweeper.optuna_sweeper.OptunaSweeper",
    "confcompose.app.sweepers.optuna.OptunaSweeper",
)


class OptimizingSweeper(Protocol):
    """Asks for points, launches them in batches, learns from their return values."""

    def sweep(
        self,
        overrides: Sequence[str],
        driver: SweepDriver,
        config: confcompose.DictNode,
        options: Callable[[str], Sequence[str]] | None = None,
    ) -> None:
        """Run the whole sweep through ``driver``."""


def optimizing_sweeper(node: Any) -> OptimizingSweeper | None:
    """The sweeper configured in ``hydra.sweeper`` when it optimizes; None for the basic one."""
    target = confcompose.select(node, "_target_", default=None) if node is not None else None
    if target in OPTUNA_TARGETS:
        from confcompose.app.sweepers.optuna import OptunaSweeper

        return OptunaSweeper.from_config(confcompose.to_container(node, resolve=True))
    return None
