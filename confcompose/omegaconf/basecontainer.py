"""``omegaconf.basecontainer.BaseContainer``: the base of dict and list configs."""

from __future__ import annotations

from confcompose.nodes import Container as BaseContainer

__all__ = ["BaseContainer"]
