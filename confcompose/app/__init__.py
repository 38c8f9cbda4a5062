"""The application layer: ``@confcompose.main``, run directories, multirun and launchers.

Nothing in the core imports this package; ``confcompose.main``, ``confcompose.runtime`` and
``confcompose.to_absolute_path`` are served from here lazily.
"""

from __future__ import annotations

from confcompose.app.main import main
from confcompose.app.runs import JobResult, MultirunResult, Runtime, runtime, to_absolute_path

__all__ = ["JobResult", "MultirunResult", "Runtime", "main", "runtime", "to_absolute_path"]
