"""Classes and functions the instantiate app builds from its config."""

from typing import Any


class Optimizer:
    def __init__(self, algo: str, lr: float, params: Any = None) -> None:
        self.algo, self.lr, self.params = algo, lr, params

    def __repr__(self) -> str:
        return f"Optimizer(algo={self.algo}, lr={self.lr}, params={self.params})"


class Trainer:
    def __init__(self, optimizer: Any, epochs: int) -> None:
        self.optimizer, self.epochs = optimizer, epochs

    def __repr__(self) -> str:
        return f"Trainer(optimizer={self.optimizer!r}, epochs={self.epochs})"


class Holder:
    def __init__(self, values: Any) -> None:
        self.values = values


def area(width: int, height: int) -> int:
    return width * height


def point(*args: Any, **kwargs: Any) -> str:
    return f"point{args}{sorted(kwargs.items())}"
