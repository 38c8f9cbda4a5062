"""Memory of composing, in this fresh process; prints one JSON line of measurements.

Usage: ``python memory.py LIBRARY peak CONF [--tracemalloc]`` or
``python memory.py LIBRARY growth CONF N1 N2``, with LIBRARY one of ``confcompose``,
``hydra-core``, ``hydra-fast`` and CONF a tree written by ``gen.generate``.

- ``peak``: one compose of CONF (override ``trainer.max_epochs=5``) resolved to plain
  containers, after the imports and a ``gc.collect()``. Reported: the peak RSS growth over that
  compose (``VmHWM`` after, minus the RSS before) and, with ``--tracemalloc`` (a separate run:
  tracing costs memory and time of its own), the peak of the traced Python heap.
- ``growth``: ``N2`` composes in one process, each resolved to plain containers, the override
  value cycling through ``N1`` values (``trainer.max_epochs=0..N1-1``). After ``N1`` composes
  every cache has seen every distinct input, so what the process holds after ``N2`` beyond what
  it held after ``N1`` is growth that would not stop. Reported after ``N1`` and ``N2`` composes (after a
  ``gc.collect()``): the RSS and the number of allocated Python memory blocks.
"""

from __future__ import annotations

import gc
import json
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from procmem import peak_rss_mb, rss_mb  # a sibling module: these run as scripts

OVERRIDE = "trainer.max_epochs=5"






def composer(library: str, conf: Path) -> Callable[[list[str]], Any]:
    """``compose(overrides) -> plain dict`` for one library, with its imports done."""
    if library == "confcompose":
        import confcompose

        warm = confcompose.Composer(conf)
        return lambda o: confcompose.to_container(
            warm.compose(o, config_name="config"), resolve=True
        )
    name = "hydra" if library == "hydra-core" else "hydra_fast"
    mod = __import__(name)
    oc = __import__("omegaconf").OmegaConf if library == "hydra-core" else mod.OmegaConf
    # Entered for the life of the process: initialize_config_dir is a context manager.
    mod.initialize_config_dir(config_dir=str(conf), version_base="1.3").__enter__()
    return lambda o: oc.to_container(mod.compose(config_name="config", overrides=o), resolve=True)


def peak(library: str, conf: Path, trace: bool) -> dict[str, Any]:
    run = composer(library, conf)
    gc.collect()
    before = rss_mb()
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    result = run([OVERRIDE])
    seconds = time.perf_counter() - start
    out: dict[str, Any] = {"seconds": seconds, "keys": _count(result)}
    if trace:
        out["peak_heap_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    else:
        out["peak_rss_growth_mb"] = peak_rss_mb() - before
    return out


def growth(library: str, conf: Path, n1: int, n2: int) -> dict[str, Any]:
    run = composer(library, conf)
    out: dict[str, Any] = {}
    start = time.perf_counter()
    for i in range(1, n2 + 1):
        run([f"trainer.max_epochs={i % n1}"])
        if i in (n1, n2):
            gc.collect()
            out[f"rss_mb@{i}"] = rss_mb()
            out[f"blocks@{i}"] = sys.getallocatedblocks()
    out["seconds"] = time.perf_counter() - start
    return out


def _count(obj: Any) -> int:
    if isinstance(obj, dict):
        return len(obj) + sum(_count(v) for v in obj.values())
    if isinstance(obj, list):
        return sum(_count(v) for v in obj)
    return 0


def main(argv: list[str]) -> int:
    library, mode, conf = argv[0], argv[1], Path(argv[2])
    if mode == "peak":
        out = peak(library, conf, "--tracemalloc" in argv)
    else:
        out = growth(library, conf, int(argv[3]), int(argv[4]))
    print(json.dumps({"library": library, "mode": mode, **out}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
