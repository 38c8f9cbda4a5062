"""The same OmegaConf-API workload on omegaconf 2.3 and on confcompose.omegaconf.

Usage: ``python benchmarks/omegaconf_facade.py [--quick]``. The workload is what an OmegaConf app
does with its config: ``OmegaConf.create`` from plain data, ``OmegaConf.merge`` with overrides,
attribute reads of interpolated values, ``OmegaConf.to_container(resolve=True)`` and
``OmegaConf.to_yaml``. Best of N ``timeit.repeat`` per library, both in this process; the ratio is
``omegaconf / confcompose.omegaconf`` (>1 means the facade is faster).
"""

from __future__ import annotations

import argparse
import functools
import importlib
import timeit
from types import ModuleType
from typing import Any


def data(groups: int) -> tuple[dict[str, Any], dict[str, Any]]:
    base = {
        f"g{i}": {"a": i, "b": [1, 2, {"c": "${...a}"}], "s": "x-${..g0.a}", "m": {"n": None}}
        for i in range(groups)
    }
    overrides = {f"g{i}": {"a": -i, "m": {"n": [i]}} for i in range(0, groups, 3)}
    return base, overrides


def workload(m: ModuleType, base: dict[str, Any], overrides: dict[str, Any]) -> None:
    oc = m.OmegaConf
    cfg = oc.merge(oc.create(base), overrides)
    for key in cfg:
        _ = cfg[key].s, cfg[key].b[2].c
    oc.to_container(cfg, resolve=True)
    oc.to_yaml(cfg)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small tree, one run")
    args = parser.parse_args()
    groups, number, repeat = (20, 1, 1) if args.quick else (200, 3, 7)
    base, overrides = data(groups)
    best: dict[str, float] = {}
    for name in ("confcompose.omegaconf", "omegaconf"):
        try:
            module = importlib.import_module(name)
        except ImportError as e:
            print(f"{name:24} n/a ({e})")
            continue
        times = timeit.repeat(
            functools.partial(workload, module, base, overrides), number=number, repeat=repeat
        )
        best[name] = min(times) / number
        print(f"{name:24} {best[name] * 1000:9.2f} ms  ({groups} groups, best of {repeat})")
    if len(best) == 2:
        print(
            f"ratio omegaconf / confcompose.omegaconf: {best['omegaconf'] / best['confcompose.omegaconf']:.1f}x"
        )


if __name__ == "__main__":
    main()
