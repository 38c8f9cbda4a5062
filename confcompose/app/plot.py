"""``confcompose plot SWEEP_DIR``: a PNG of a sweep's records (matplotlib, extra ``plot``).

One panel per swept parameter (the return value against it; categorical values are spread
along the axis in the order met), the optimization history for an Optuna study (each trial's
value and the best so far), and the Pareto front of a two-objective study.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from confcompose import ConfigError
from confcompose.app.records import SweepRecords, swept_keys
from confcompose.parsing.overrides import split_override

DEFAULT_NAME = "summary.png"


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise ConfigError(
            "confcompose plot needs the 'matplotlib' package, which is not installed; "
            "install it with: pip install 'confcompose[plot]'"
        ) from None
    matplotlib.use("Agg")  # files only: never a window, works without a display
    import matplotlib.pyplot as plt

    return plt


def _values(job: Mapping[str, Any], n: int) -> list[float] | None:
    if job.get("status") != "completed":
        return None
    rv = job.get("return_value")
    try:
        values = [float(v) for v in rv] if isinstance(rv, list) else [float(rv)]  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if len(values) < n or not all(math.isfinite(v) for v in values):
        return None
    return values[: max(n, 1)]


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _param_panel(ax: Any, key: str, jobs: Sequence[Mapping[str, Any]], n: int) -> None:
    points: list[tuple[str, list[float]]] = []
    failed: list[str] = []
    for job in jobs:
        value = dict(split_override(o) for o in job.get("overrides") or []).get(key)
        if value is None:
            continue
        found = _values(job, n)
        if found is None:
            failed.append(value)
        else:
            points.append((value, found))
    texts = [t for t, _ in points] + failed
    numeric = bool(texts) and all(_number(t) is not None for t in texts)
    labels: list[str] = []
    for t in texts:
        if t not in labels:
            labels.append(t)

    def x(text: str) -> float:
        return _number(text) if numeric else float(labels.index(text))  # type: ignore[return-value]

    for i in range(max(n, 1)):
        ax.scatter(
            [x(t) for t, _ in points],
            [v[i] for _, v in points],
            s=28,
            alpha=0.8,
            label=f"objective {i + 1}" if n > 1 else None,
        )
    if failed:
        ax.scatter([x(t) for t in failed], [0.0] * len(failed), marker="x", c="red", label="failed")
    if not numeric:
        ax.set_xticks(range(len(labels)))
        ax.set_xticklabels(labels, rotation=30, ha="right")
    ax.set_xlabel(key)
    ax.set_ylabel("return value")
    ax.set_title(f"return value vs {key}")
    ax.grid(alpha=0.3)
    if n > 1 or failed:
        ax.legend(fontsize="small")


def _history_panel(ax: Any, jobs: Sequence[Mapping[str, Any]], directions: Sequence[str]) -> None:
    n = len(directions)
    done = [(int(j["num"]), v) for j in jobs if (v := _values(j, n)) is not None]
    for i, direction in enumerate(directions):
        nums = [num for num, _ in done]
        vals = [v[i] for _, v in done]
        label = f"objective {i + 1}" if n > 1 else "value"
        ax.scatter(nums, vals, s=24, alpha=0.8, label=label)
        if n == 1 and vals:
            best: list[float] = []
            pick = min if direction == "minimize" else max
            for value in vals:
                best.append(value if not best else pick(best[-1], value))
            ax.step(nums, best, where="post", color="red", label="best so far")
    failed = [int(j["num"]) for j in jobs if j.get("status") == "failed"]
    if failed:
        ax.scatter(failed, [0.0] * len(failed), marker="x", c="red", label="failed")
    ax.set_xlabel("trial (job number)")
    ax.set_ylabel("objective")
    ax.set_title("optimization history (" + ", ".join(directions) + ")")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")


def _pareto_panel(ax: Any, jobs: Sequence[Mapping[str, Any]], directions: Sequence[str]) -> None:
    from confcompose.app.records import best_first

    values = {int(j["num"]): v for j in jobs if (v := _values(j, 2)) is not None}
    ordered = best_first(jobs, directions)
    signs = [-1.0 if d == "maximize" else 1.0 for d in directions]

    def dominated(a: list[float]) -> bool:
        sa = [s * x for s, x in zip(signs, a, strict=False)]
        for b in values.values():
            sb = [s * x for s, x in zip(signs, b, strict=False)]
            if all(p <= q for p, q in zip(sb, sa, strict=True)) and sb != sa:
                return True
        return False

    front = [values[int(j["num"])] for j in ordered if int(j["num"]) in values]
    on_front = [v for v in front if not dominated(v)]
    rest = [v for v in front if dominated(v)]
    ax.scatter([v[0] for v in rest], [v[1] for v in rest], s=24, alpha=0.6, label="trials")
    ax.scatter(
        [v[0] for v in on_front], [v[1] for v in on_front], s=36, c="red", label="Pareto front"
    )
    ax.set_xlabel(f"objective 1 ({directions[0]})")
    ax.set_ylabel(f"objective 2 ({directions[1]})")
    ax.set_title("Pareto front")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")


def plot(sweep_dir: str | os.PathLike[str], out: str | os.PathLike[str] | None = None) -> Path:
    """Draw the records of ``sweep_dir`` into a PNG (default ``SWEEP_DIR/summary.png``)."""
    records = SweepRecords.load(sweep_dir)
    plt = _pyplot()
    jobs = records.ordered()
    directions = records.directions()
    n = max(len(directions), 1)
    keys = swept_keys(jobs)
    panels: list[tuple[str, Any]] = [("param", k) for k in keys]
    if records.meta.get("sweeper") == "optuna" and directions:
        panels.append(("history", None))
        if len(directions) == 2:
            panels.append(("pareto", None))
    if not panels:
        raise ConfigError(
            f"nothing to plot in {str(sweep_dir)!r}: no swept parameter and no study",
            expected="a multirun over at least one parameter",
        )
    cols = min(3, len(panels))
    rows = math.ceil(len(panels) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(5.2 * cols, 4.2 * rows), squeeze=False)
    flat = [ax for row in axes for ax in row]
    for ax, (kind, key) in zip(flat, panels, strict=False):
        if kind == "param":
            _param_panel(ax, key, jobs, n)
        elif kind == "history":
            _history_panel(ax, jobs, directions)
        else:
            _pareto_panel(ax, jobs, directions)
    for ax in flat[len(panels) :]:
        ax.axis("off")
    done = sum(j.get("status") == "completed" for j in jobs)
    where = "/".join(records.sweep_dir.parts[-2:])
    fig.suptitle(f"{where}: {done} of {len(jobs)} jobs completed")
    fig.tight_layout()
    target = Path(out) if out is not None else records.sweep_dir / DEFAULT_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(target, dpi=100)
    plt.close(fig)
    return target
