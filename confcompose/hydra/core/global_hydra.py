"""``hydra.core.global_hydra.GlobalHydra``: what ``initialize*`` set up for ``compose``.

Inside a job started by ``@main``, ``GlobalHydra`` is initialized with the app's search path, as
in Hydra, so ``compose()`` works there too.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from confcompose.hydra._context import ComposeContext


class GlobalHydra:
    """Holds the compose context of ``initialize*``; ``clear()`` forgets it."""

    _instance: ClassVar[GlobalHydra | None] = None
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self) -> None:
        self.hydra: ComposeContext | None = None
        # The running job whose context clear() dropped (so initialize() works inside it).
        self._cleared: Any = None

    @staticmethod
    def instance(*args: Any, **kwargs: Any) -> GlobalHydra:
        """The process's instance."""
        if GlobalHydra._instance is None:
            with GlobalHydra._lock:
                if GlobalHydra._instance is None:
                    GlobalHydra._instance = GlobalHydra()
        return GlobalHydra._instance

    @staticmethod
    def set_instance(instance: GlobalHydra) -> None:
        """Replace the process's instance (Hydra's test helpers do this)."""
        GlobalHydra._instance = instance

    def initialize(self, hydra: ComposeContext) -> None:
        """Use ``hydra`` for ``compose()``; ``ValueError`` if already initialized."""
        if self.is_initialized():
            raise ValueError(
                "GlobalHydra is already initialized, call GlobalHydra.instance().clear() "
                "if you want to re-initialize"
            )
        self.hydra = hydra

    def is_initialized(self) -> bool:
        """Whether ``compose()`` has a search path (``initialize*`` or a running ``@main``)."""
        return self.current() is not None

    def current(self) -> ComposeContext | None:
        """The context ``compose()`` uses: the initialized one, else the running app's."""
        if self.hydra is not None:
            return self.hydra
        from confcompose.hydra._context import running_app_context, running_hydra

        node = running_hydra()
        if node is None or node is self._cleared:
            return None
        return running_app_context()

    def clear(self) -> None:
        """Forget the context set by ``initialize*`` (or the running job's)."""
        from confcompose.hydra._context import running_hydra

        self.hydra = None
        self._cleared = running_hydra()


__all__ = ["GlobalHydra"]
