"""Deterministic command-line override strings for the override-parse workload."""

from __future__ import annotations

import random


def plain_overrides(n: int = 1_000, variant: int = 0) -> list[str]:
    """``n`` plain ``key=value`` overrides; e.g. ``plain_overrides(1)[0]`` ~ ``'trainer.x_0=42'``.

    ``variant`` changes every key, so each benchmark repeat parses strings no cache has seen.
    """
    rng = random.Random(f"plain:{n}:{variant}")
    groups = ("model", "dataset", "optimizer", "trainer", "logger")
    out = []
    for i in range(n):
        key = f"{rng.choice(groups)}.k{variant}_{i}"
        kind = i % 5
        if kind == 0:
            value = str(rng.randrange(10_000))
        elif kind == 1:
            value = f"{rng.uniform(0, 1):.5f}"
        elif kind == 2:
            value = rng.choice(("true", "false", "null"))
        elif kind == 3:
            value = f"name_{rng.randrange(1000)}"
        else:
            value = f"/data/set_{rng.randrange(100)}/part"
        out.append(f"{key}={value}")
    return out


def complex_overrides(n: int = 1_000, variant: int = 0) -> list[str]:
    """``n`` overrides using lists, dicts, quoting, sweeps, sweep functions and prefixes."""
    rng = random.Random(f"complex:{n}:{variant}")
    out = []
    for i in range(n):
        key = f"cfg.k{variant}_{i}"
        a, b = rng.randrange(100), rng.randrange(100)
        forms = (
            f"{key}=[{a},{b},{a + b}]",
            f"{key}={{lr:0.{a},betas:[0.9,0.99],name:adam_{b}}}",
            f"{key}={a},{b},{a + b}",
            f"{key}=range({a},{a + 20},2)",
            f"{key}=choice(sgd,adam,lamb_{b})",
            f"{key}=interval(0.{a},1.{b})",
            f"{key}='quoted, value {a}'",
            f"+{key}={{x:[1,2,{{y:{b}}}]}}",
            f"++{key}=${{trainer.max_epochs}}",
            f"model@cfg.slot{variant}_{i}=resnet_{a}",
            f"~{key}",
            f"{key}=glob([res*,vit*],exclude=resnet_{a})",
        )
        out.append(forms[i % len(forms)])
    return out
