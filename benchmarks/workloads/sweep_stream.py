"""One long multirun of a trivial task in this process; prints a JSON line of measurements.

Usage: ``python sweep_stream.py LIBRARY N WORKDIR [--tracemalloc] [--no-run-files]`` with
LIBRARY one of ``confcompose``, ``hydra-core``, ``hydra-fast``. The app has one config file and
sweeps ``x=range(0,N)`` on the basic launcher, run directories written as usual (job logging
off, so the numbers are about the sweep machinery, not the log files); ``--no-run-files`` sets
``hydra.output_subdir=null`` (no ``.hydra/`` files per job).

Measured: CPU and wall seconds to the first job's task call (imports excluded: the clock
starts when the app is called), total CPU seconds, peak RSS growth over the sweep and, with
``--tracemalloc``, the peak Python heap over the sweep (slower: use it on the smaller sizes).
"""

from __future__ import annotations

import json
import os
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

from procmem import peak_rss_mb, rss_mb  # a sibling module: these run as scripts


def main(argv: list[str]) -> int:
    library, n, workdir = argv[0], int(argv[1]), Path(argv[2])
    trace = "--tracemalloc" in argv
    light = "--no-run-files" in argv
    conf = workdir / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    (conf / "config.yaml").write_text("x: 0\nname: sweep\n")
    seen: dict[str, float] = {}

    def task(cfg: Any) -> int:
        if "first_cpu" not in seen:
            seen["first_cpu"] = time.process_time() - seen["cpu0"]
            seen["first_wall"] = time.perf_counter() - seen["wall0"]
        return int(cfg.x)

    if library == "confcompose":
        import confcompose

        decorate = confcompose.main
    elif library == "hydra-core":
        import hydra

        decorate = hydra.main
    else:
        import hydra_fast

        decorate = hydra_fast.main

    path = str(conf)
    if library == "hydra-fast":  # it wants a path relative to the task's file
        path = os.path.relpath(conf.resolve(), Path(__file__).resolve().parent)
    app = decorate(config_path=path, config_name="config", version_base=None)(task)
    sys.argv = [
        "app",
        "-m",
        f"x=range(0,{n})",
        f"hydra.sweep.dir='{workdir / 'multirun'}'",
        "hydra/job_logging=disabled",
        "hydra/hydra_logging=disabled",
        *(["hydra.output_subdir=null"] if light else []),
    ]
    import gc

    gc.collect()
    rss0 = rss_mb()
    if trace:
        tracemalloc.start()
    seen["cpu0"], seen["wall0"] = time.process_time(), time.perf_counter()
    app()
    out = {
        "library": library,
        "n": n,
        "first_cpu": seen.get("first_cpu"),
        "first_wall": seen.get("first_wall"),
        "total_cpu": time.process_time() - seen["cpu0"],
        "total_wall": time.perf_counter() - seen["wall0"],
        "peak_rss_growth_mb": peak_rss_mb() - rss0,
    }
    if trace:
        out["peak_heap_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
