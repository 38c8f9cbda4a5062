"""Benchmark confcompose against omegaconf, hydra-core and hydra-fast in one process.

Usage: ``python benchmarks/run.py [--quick] [--only NAME[,NAME]] [--runs N] [--json out.json]``.

Every workload times all libraries in the same process and run (subprocesses for the cold ones),
prints the median and best time of each and the ratio ``other / confcompose`` (>1 means confcompose
is faster). A library that is missing or raises is reported as ``n/a (...)`` and never stops the
run. See benchmarks/README.md for what each workload measures.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib
import importlib.util
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from workloads import gen, overrides, schema

CC = "confcompose"
OVERRIDE = "trainer.max_epochs=5"


@dataclass
class Settings:
    """How hard to work: ``--quick`` trades repeats and sizes for a run under a minute."""

    quick: bool
    subprocess_runs: int
    min_repeat: int
    max_repeat: int
    budget_s: float
    core_sizes: tuple[str, ...]
    warm_sizes: tuple[str, ...]
    cold_size: str
    sweep_size: str
    stream_peer_jobs: int = 300
    stream_sizes: tuple[int, ...] = (10_000, 100_000)
    memory_size: str = "large"
    growth_counts: tuple[int, int] = (1_000, 10_000)
    #: hydra-core composes ~100x slower: its growth rows run this fraction of the composes.
    growth_peer_scale: int = 20

    @classmethod
    def make(cls, quick: bool) -> Settings:
        if quick:
            return cls(
                True, 3, 1, 5, 0.5, ("small", "medium"), ("medium",), "small", "small", 30, (2_000,),
                "medium", (200, 1_000),
            )  # fmt: skip
        # The sweep stays on the small tree: hydra-core needs ~0.7 s per medium compose, and
        # 100 of those would take most of the five-minute budget.
        return cls(
            False, 7, 3, 25, 3.0, ("small", "medium", "large"), ("medium", "large"), "medium",
            "small",
        )  # fmt: skip


@dataclass
class Row:
    """One library's measurement in one case; ``seconds`` is None when it could not run."""

    workload: str
    case: str
    library: str
    seconds: float | None = None
    best: float | None = None
    runs: int = 0
    note: str = ""
    extra: dict[str, float] = field(default_factory=dict)
    #: "s" for times; "MB" for the memory workloads (the ratio is then other/confcompose MB).
    unit: str = "s"


class NotAvailable(Exception):
    """Raised by an adapter when its library cannot run this workload."""


# ----------------------------------------------------------------------------- timing


def measure(
    fn: Callable[[], object], settings: Settings, setup: Callable[[], object] | None = None
) -> tuple[float, float, int, object]:
    """Median and best seconds of one call, tomli style, plus the warm-up call's result.

    One untimed warm-up call first (lazy imports, parser builds; its result feeds the output
    check), then as many ``timeit.repeat`` repeats as fit in the budget, between ``min_repeat``
    and ``max_repeat``. With a ``setup`` (run before every repeat) each repeat is one call.
    """
    if setup is not None:
        setup()
    start = time.perf_counter()
    result = fn()
    first = time.perf_counter() - start
    repeat = int(settings.budget_s / max(first, 1e-9))
    repeat = max(settings.min_repeat, min(settings.max_repeat, repeat))
    number = 1 if setup is not None else max(1, int(0.02 / max(first, 1e-9)))
    times = timeit.repeat(fn, setup=setup or (lambda: None), repeat=repeat, number=number)
    per_call = [t / number for t in times]
    return statistics.median(per_call), min(per_call), repeat * number, result


def _error_text(exc: BaseException) -> str:
    kind = "" if isinstance(exc, NotAvailable) else f"{type(exc).__name__}: "
    text = (f"{kind}{exc}".splitlines() or [kind])[0]
    return text if len(text) <= 90 else text[:87] + "..."


def run_row(
    workload: str,
    case: str,
    library: str,
    prepare: Callable[[], tuple[Callable[[], object], Callable[[], object] | None]],
    settings: Settings,
    check: Callable[[object], str] | None = None,
) -> Row:
    """Time one library; anything it raises becomes an ``n/a`` row instead of ending the run."""
    row = Row(workload, case, library)
    try:
        fn, setup = prepare()
        row.seconds, row.best, row.runs, result = measure(fn, settings, setup)
        if check is not None:
            row.note = check(result)
    except Exception as exc:  # a benchmark must report failures, not stop on them
        prefix = "not available yet" if library == CC else "failed"
        row.note = f"n/a ({prefix}: {_error_text(exc)})"
        row.seconds = None
    return row


class SameAs:
    """Output check: the reference library's row records its result, the others compare to it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.reference: object = None
        self.recorded = False

    def record(self, result: object) -> str:
        self.reference, self.recorded = result, True
        return ""

    def __call__(self, result: object) -> str:
        if not self.recorded:
            return f"(not checked: {self.name} did not run)"
        return "" if result == self.reference else f"OUTPUT DIFFERS from {self.name}"


# ----------------------------------------------------------------------------- library adapters


def cc(name: str) -> Any:
    """A public name of confcompose, or NotAvailable saying why not."""
    try:
        module = importlib.import_module("confcompose")
    except Exception as exc:
        raise NotAvailable(_error_text(exc)) from exc
    if not hasattr(module, name):
        raise NotAvailable(f"confcompose.{name} is missing")
    return getattr(module, name)


def oc_module(library: str) -> Any:
    """The OmegaConf class of omegaconf or of hydra-fast (its reimplementation)."""
    if library == "hydra-fast":
        return importlib.import_module("hydra_fast").OmegaConf
    return importlib.import_module("omegaconf").OmegaConf


def clear_hydra_fast() -> None:
    """Empty hydra-fast's process-wide file/parse caches (so a load workload really loads)."""
    importlib.import_module("hydra_fast").clear_caches()


@contextlib.contextmanager
def composer(library: str, conf: Path) -> Iterator[Callable[[list[str]], object]]:
    """A warm ``compose(overrides) -> plain dict`` for one library, initialised once."""
    if library in ("hydra-core", "hydra-fast"):
        mod = importlib.import_module("hydra" if library == "hydra-core" else "hydra_fast")
        oc = oc_module(library)
        with mod.initialize_config_dir(config_dir=str(conf), version_base="1.3"):

            def run(overrides: list[str]) -> object:
                cfg = mod.compose(config_name="config", overrides=overrides)
                return oc.to_container(cfg, resolve=True)

            yield run
        return
    to_container = cc("to_container")
    try:
        warm = cc("Composer")(conf)

        def compose_one(overrides: list[str]) -> object:
            return warm.compose(overrides, config_name="config")
    except NotAvailable:
        plain = cc("compose")

        def compose_one(overrides: list[str]) -> object:
            return plain(conf, overrides, config_name="config")

    yield lambda overrides: to_container(compose_one(overrides), resolve=True)


# ----------------------------------------------------------------------------- workloads


def _bytecode_ready() -> None:
    """Compile confcompose once, as pip does for installed packages (omegaconf, hydra...).

    With PYTHONDONTWRITEBYTECODE set (as on some CI machines) an editable checkout would
    otherwise be compiled from source in every fresh process, and cold timings would measure
    the compiler.
    """
    import compileall

    spec = importlib.util.find_spec("confcompose")
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            compileall.compile_dir(folder, quiet=1)


def _subprocess_median(code: str, runs: int) -> tuple[float, float, int]:
    _bytecode_ready()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            lines = proc.stderr.strip().splitlines() or ["exit code " + str(proc.returncode)]
            raise RuntimeError(lines[-1])
    return statistics.median(times), min(times), runs


def _subprocess_rows(workload: str, case: str, codes: dict[str, str], s: Settings) -> list[Row]:
    rows = []
    for library, code in codes.items():
        row = Row(workload, case, library)
        try:
            row.seconds, row.best, row.runs = _subprocess_median(code, s.subprocess_runs)
        except Exception as exc:
            prefix = "not available yet" if library == CC else "failed"
            row.note = f"n/a ({prefix}: {_error_text(exc)})"
        rows.append(row)
    return rows


IMPORT_CODE = {
    "python -c pass": "pass",
    "confcompose": "import confcompose",
    "omegaconf": "import omegaconf",
    "hydra-core": "import hydra; from hydra import compose, initialize_config_dir",
    "hydra-fast": "import hydra_fast; from hydra_fast import compose, initialize_config_dir",
}


def wl_import(s: Settings, tmp: Path) -> list[Row]:
    """Cold import in a fresh interpreter; ``python -c pass`` is the floor."""
    return _subprocess_rows("import", "cold import", IMPORT_CODE, s)


def wl_core(s: Settings, tmp: Path) -> list[Row]:
    """Load every file of the document tree, merge them all, then to_container(resolve=True)."""
    rows: list[Row] = []
    for size in s.core_sizes:
        files = gen.all_yaml_files(gen.generate_documents(size, tmp))
        check = SameAs("omegaconf")
        case_rows = []
        for lib in ("omegaconf", CC, "hydra-fast"):
            setup = clear_hydra_fast if lib == "hydra-fast" else None
            prep = lambda f=files, lib=lib, st=setup: (_core_run(f, lib), st)  # noqa: E731
            row_check = check.record if lib == "omegaconf" else check
            case_rows.append(run_row("core-load-merge-resolve", size, lib, prep, s, row_check))
        keys = gen.count_keys(check.reference) if check.recorded else "?"
        label = f"{size}: {len(files)} files, {keys} keys, ~{gen.SIZES[size][1]} interps"
        rows.extend(_relabel(case_rows, label))
    return rows


def _relabel(rows: list[Row], case: str) -> list[Row]:
    for row in rows:
        row.case = case
    return rows


def _core_run(files: list[Path], library: str) -> Callable[[], Any]:
    if library == CC:
        load, merge, to_container = cc("load"), cc("merge"), cc("to_container")
    else:
        oc = oc_module(library)
        load, merge, to_container = oc.load, oc.merge, oc.to_container

    def run() -> Any:
        return to_container(merge(*[load(path) for path in files]), resolve=True)

    return run


def wl_compose_warm(s: Settings, tmp: Path) -> list[Row]:
    """Repeated compose with one override in a warm process, output resolved to plain dicts."""
    rows: list[Row] = []
    for size in s.warm_sizes:
        conf = gen.generate(size, tmp)
        check = SameAs("hydra-core")
        case_rows = [_warm_row("hydra-core", "hydra-core", conf, s, check.record)]
        for lib in (CC, "hydra-fast", "hydra-fast (caches cleared)"):
            case_rows.append(_warm_row(lib.split()[0], lib, conf, s, check))
        keys = gen.count_keys(check.reference) if check.recorded else "?"
        rows.extend(_relabel(case_rows, f"{size}: {keys} keys, override {OVERRIDE}"))
    return rows


def _warm_row(lib: str, label: str, conf: Path, s: Settings, check: Callable[[object], str]) -> Row:
    stack = contextlib.ExitStack()
    try:

        def prepare() -> tuple[Callable[[], object], Callable[[], object] | None]:
            run = stack.enter_context(composer(lib, conf))
            setup = clear_hydra_fast if "cleared" in label else None
            return (lambda: run([OVERRIDE])), setup

        return run_row("compose-warm", "", label, prepare, s, check)
    finally:
        stack.close()


def wl_compose_schema(s: Settings, tmp: Path) -> list[Row]:
    """Compose the medium tree and check it against a dataclass schema mirroring it."""
    conf = gen.generate(s.warm_sizes[0], tmp)
    rows: list[Row] = []
    check = SameAs("hydra-core")
    with composer("hydra-core", conf) as plain:
        reference = plain([OVERRIDE])
    assert isinstance(reference, dict)
    dataclass = schema.schema_for(reference)

    def hydra_prepare() -> tuple[Callable[[], object], Callable[[], object] | None]:
        import hydra
        from omegaconf import OmegaConf

        stack = contextlib.ExitStack()
        stack.enter_context(hydra.initialize_config_dir(config_dir=str(conf), version_base=None))
        structured = OmegaConf.structured(dataclass)

        def run() -> object:
            cfg = hydra.compose(config_name="config", overrides=[OVERRIDE])
            return OmegaConf.to_container(OmegaConf.merge(structured, cfg), resolve=True)

        cleanup.append(stack.close)
        return run, None

    def cc_prepare() -> tuple[Callable[[], object], Callable[[], object] | None]:
        composer_cls, to_container = cc("Composer"), cc("to_container")
        comp = composer_cls(str(conf))
        return (
            lambda: to_container(comp.compose([OVERRIDE], schema=dataclass), resolve=True)
        ), None

    cleanup: list[Callable[[], object]] = []
    try:
        rows.append(run_row("compose-schema", "", "hydra-core", hydra_prepare, s, check.record))
    finally:
        for fn in cleanup:
            fn()
    rows.append(run_row("compose-schema", "", CC, cc_prepare, s, check))
    return _relabel(rows, f"{s.warm_sizes[0]} tree with a dataclass schema")


def _run_process(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, str]:
    """Wall and CPU (user + system of the child) seconds of one whole process, and its stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        argv, cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines() or ["exit code " + str(proc.returncode)]
        raise RuntimeError(lines[-1])
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, proc.stdout


#: A command to time as a whole process: given a fresh empty directory (its working directory,
#: also free for a cache), the argv and the extra environment variables of one run.
Command = Callable[[Path], tuple[list[str], dict[str, str]]]


def _process_rows(
    workload: str, case: str, commands: dict[str, Command], s: Settings, tmp: Path
) -> list[Row]:
    """Time whole processes, interleaved (a load spike hits every library alike).

    Each library gets one untimed warm-up run (page cache, ``.pyc`` files), then
    ``subprocess_runs`` timed runs, each in a fresh directory. A row holds the wall median and
    best; the CPU median is an extra. With a ``hydra-core`` command its warm-up stdout is the
    reference: another library printing something else gets ``OUTPUT DIFFERS``.
    """
    _bytecode_ready()
    rows = {lib: Row(workload, case, lib) for lib in commands}
    walls: dict[str, list[float]] = {lib: [] for lib in commands}
    cpus: dict[str, list[float]] = {lib: [] for lib in commands}
    outputs: dict[str, str] = {}
    runs = iter(range(1_000_000))

    def once(lib: str) -> None:
        folder = tmp / f"{workload}-{lib.split()[0]}-{next(runs)}"
        folder.mkdir(parents=True)
        argv, env = commands[lib](folder)
        wall, cpu, out = _run_process(argv, folder, env)
        outputs.setdefault(lib, out)
        walls[lib].append(wall)
        cpus[lib].append(cpu)

    failed: set[str] = set()
    for round_ in range(s.subprocess_runs + 1):
        for lib in commands:
            if lib in failed:
                continue
            try:
                once(lib)
            except Exception as exc:
                prefix = "not available yet" if lib == CC else "failed"
                rows[lib].note = f"n/a ({prefix}: {_error_text(exc)})"
                failed.add(lib)
            if round_ == 0 and lib not in failed:  # the warm-up run is not timed
                walls[lib].clear()
                cpus[lib].clear()
    reference = outputs.get("hydra-core")
    ours = statistics.median(cpus[CC]) if cpus.get(CC) else None
    for lib, row in rows.items():
        if lib in failed or not walls[lib]:
            continue
        row.seconds, row.best = statistics.median(walls[lib]), min(walls[lib])
        row.runs = len(walls[lib])
        row.extra["cpu"] = statistics.median(cpus[lib])
        if ours and lib not in (CC, "python -c pass"):
            # CPU medians hold up better than wall times on a loaded machine.
            row.extra["cpu_ratio"] = row.extra["cpu"] / ours
        compared = reference is not None and lib not in ("hydra-core", "python -c pass")
        if compared and outputs[lib] != reference:
            row.note = "OUTPUT DIFFERS from hydra-core"
    return list(rows.values())


def _python(code: str, env: dict[str, str] | None = None) -> Command:
    return lambda folder: ([sys.executable, "-c", code], dict(env or {}))


def _empty_cache(code: str) -> Command:
    """``code`` with confcompose's parse cache in the run's own fresh (empty) directory."""
    return lambda folder: (
        [sys.executable, "-c", code],
        {"CONFCOMPOSE_CACHE_DIR": str(folder / "parse-cache")},
    )


def wl_compose_cold(s: Settings, tmp: Path) -> list[Row]:
    """The first compose in a fresh interpreter, imports included (whole process wall time)."""
    conf = gen.generate(s.cold_size, tmp)
    hydra_like = (
        "from {m} import compose, initialize_config_dir\nfrom {om} import OmegaConf\n"
        "with initialize_config_dir(config_dir={d!r}, version_base='1.3'):\n"
        "    OmegaConf.to_container(compose(config_name='config', overrides=[{o!r}]),"
        " resolve=True)\n"
    )
    ours = (
        "import confcompose as c\n"
        f"c.to_container(c.compose({str(conf)!r}, [{OVERRIDE!r}], config_name='config'),"
        " resolve=True)\n"
    )
    warm_cache = tmp / "compose-cold-parse-cache"
    commands = {
        "python -c pass": _python("pass"),
        # A first run: the parse cache is a fresh, empty directory in every run, so every file
        # is parsed (and its cache entry written) in the timed process.
        CC: _empty_cache(ours),
        # Later runs of the same configs: the cache filled by the warm-up run.
        f"{CC} (warm parse cache)": _python(ours, {"CONFCOMPOSE_CACHE_DIR": str(warm_cache)}),
        f"{CC} (no parse cache)": _python(ours, {"CONFCOMPOSE_CACHE": "0"}),
        "hydra-core": _python(
            hydra_like.format(m="hydra", om="omegaconf", d=str(conf), o=OVERRIDE)
        ),
        "hydra-fast": _python(
            hydra_like.format(m="hydra_fast", om="hydra_fast", d=str(conf), o=OVERRIDE)
        ),
    }
    return _process_rows("compose-cold", f"{s.cold_size} tree", commands, s, tmp)


TRAIN_CONFIG = Path(__file__).resolve().parents[1] / "examples" / "train" / "config"
APP_OVERRIDE = "model.learning_rate=0.01"
APP_SOURCE = """
import {module}


@{module}.main(version_base=None, config_path="config", config_name="config")
def main(cfg):
    print("Configuration:", cfg)
    print(f"Training {{cfg.model.name}} on {{cfg.dataset.name}} with batch size "
          f"{{cfg.dataset.batch_size}} and LR {{cfg.model.learning_rate}}")


if __name__ == "__main__":
    main()
"""


def wl_app_process(s: Settings, tmp: Path) -> list[Row]:
    """A whole ``@main`` app process: 3 groups, one override, the run directory written."""
    import shutil

    app_dir = tmp / "app-process"
    shutil.copytree(TRAIN_CONFIG, app_dir / "config")
    files = {}
    for lib, module in ((CC, "confcompose"), ("hydra-core", "hydra"), ("hydra-fast", "hydra_fast")):
        files[lib] = app_dir / f"app_{module}.py"
        files[lib].write_text(APP_SOURCE.format(module=module), encoding="utf-8")
    warm_cache = tmp / "app-process-parse-cache"

    def app(lib: str, env: dict[str, str] | None = None) -> Command:
        return lambda folder: (
            [sys.executable, str(files[lib]), APP_OVERRIDE],
            {"CONFCOMPOSE_CACHE_DIR": str(folder / "parse-cache"), **(env or {})},
        )

    commands = {
        "python -c pass": _python("pass"),
        CC: app(CC, {"CONFCOMPOSE_CACHE_DIR": str(warm_cache)}),
        f"{CC} (empty parse cache)": app(CC),
        "hydra-core": app("hydra-core"),
        "hydra-fast": app("hydra-fast"),
    }
    rows = _process_rows("app-process", "3 groups, one override", commands, s, tmp)
    for row in rows:
        if row.library == "hydra-fast" and row.seconds is not None:
            row.note = (row.note + "  " if row.note else "") + "(its @main writes no run dir)"
    return _relabel(rows, f"3 groups, override {APP_OVERRIDE}, run dir written")


MEMORY_SCRIPT = Path(__file__).resolve().parent / "workloads" / "memory.py"


def _memory_run(library: str, args: list[str], env: dict[str, str]) -> dict[str, Any]:
    _bytecode_ready()
    proc = subprocess.run(
        [sys.executable, str(MEMORY_SCRIPT), library, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines() or ["exit code " + str(proc.returncode)]
        raise RuntimeError(lines[-1])
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def wl_compose_memory(s: Settings, tmp: Path) -> list[Row]:
    """Peak memory of one compose + resolve of the large tree, each library in a fresh process."""
    conf = str(gen.generate(s.memory_size, tmp))
    runs = iter(range(1_000_000))
    warm = {"CONFCOMPOSE_CACHE_DIR": str(tmp / "compose-memory-parse-cache")}

    def empty() -> dict[str, str]:  # a fresh, empty parse cache for every run
        return {"CONFCOMPOSE_CACHE_DIR": str(tmp / f"compose-memory-empty-{next(runs)}")}

    variants: dict[str, tuple[str, Callable[[], dict[str, str]]]] = {
        CC: (CC, lambda: warm),
        f"{CC} (empty parse cache)": (CC, empty),
        "hydra-core": ("hydra-core", dict),
        "hydra-fast": ("hydra-fast", dict),
    }
    rows = []
    keys = "?"
    for label, (lib, env) in variants.items():
        row = Row("compose-memory", "", label, runs=1, unit="MB")
        try:
            if env() is warm:
                _memory_run(lib, ["peak", conf], warm)  # fills the parse cache
            out = _memory_run(lib, ["peak", conf], env())
            traced = _memory_run(lib, ["peak", conf, "--tracemalloc"], env())
            row.seconds = row.best = out["peak_rss_growth_mb"]
            row.extra["peak_heap_MB"] = traced["peak_heap_mb"]
            row.extra["compose_time"] = out["seconds"]
            keys = out["keys"]
        except Exception as exc:
            prefix = "not available yet" if lib == CC else "failed"
            row.note = f"n/a ({prefix}: {_error_text(exc)})"
        rows.append(row)
    case = f"{s.memory_size} tree ({keys} keys): peak RSS growth of one compose + resolve"
    return _relabel(rows, case)


def wl_compose_growth(s: Settings, tmp: Path) -> list[Row]:
    """Memory after N1 and N2 composes in one process (the override cycles through N1 values)."""
    conf = gen.generate("small", tmp)
    n1, n2 = s.growth_counts
    rows = []
    for lib in (CC, "hydra-core", "hydra-fast"):
        scale = s.growth_peer_scale if lib == "hydra-core" else 1
        a, b = max(1, n1 // scale), max(2, n2 // scale)
        row = Row("compose-growth", "", f"{lib} ({a:,} -> {b:,} composes)", runs=1, unit="MB")
        try:
            env = {"CONFCOMPOSE_CACHE_DIR": str(tmp / "growth-parse-cache")}
            out = _memory_run(lib, ["growth", str(conf), str(a), str(b)], env)
            row.seconds = row.best = out[f"rss_mb@{b}"] - out[f"rss_mb@{a}"]
            row.extra[f"rss_MB@{a}"] = out[f"rss_mb@{a}"]
            row.extra[f"rss_MB@{b}"] = out[f"rss_mb@{b}"]
            row.extra["blocks_growth"] = out[f"blocks@{b}"] - out[f"blocks@{a}"]
            row.extra["per_compose"] = out["seconds"] / b
        except Exception as exc:
            prefix = "not available yet" if lib == CC else "failed"
            row.note = f"n/a ({prefix}: {_error_text(exc)})"
        rows.append(row)
    return _relabel(rows, "small tree: RSS growth between the two counts (no ratio)")


def wl_sweep(s: Settings, tmp: Path) -> list[Row]:
    """A 100-point ``optimizer.lr`` sweep, one compose per point; cumulative time at 10/50/100."""
    conf = gen.generate(s.sweep_size, tmp)
    # A folder written less than 50 ms before confcompose lists it may still change unseen within
    # one timestamp tick, so it is listed again at every compose until then; a user's configs are
    # older than that. Without this pause the first ~45 points paid a re-listing each.
    time.sleep(0.1)
    points = [f"optimizer.lr={0.0001 * (i + 1):.4f}" for i in range(100)]
    rows = []
    for lib in ("confcompose", "hydra-core", "hydra-fast"):
        row = Row("sweep-100", f"{s.sweep_size} tree, single run", lib, runs=1)
        try:
            with composer(lib, conf) as run:
                run([OVERRIDE])  # warm-up outside the timed sweep
                start = time.perf_counter()
                for index, point in enumerate(points, 1):
                    run([point])
                    if index in (10, 50, 100):
                        row.extra[f"total@{index}"] = time.perf_counter() - start
            row.seconds = row.best = row.extra["total@100"]
            row.extra["per-point"] = row.seconds / 100
        except Exception as exc:
            prefix = "not available yet" if lib == CC else "failed"
            row.note = f"n/a ({prefix}: {_error_text(exc)})"
        rows.append(row)
    return rows


STREAM_SCRIPT = Path(__file__).resolve().parent / "workloads" / "sweep_stream.py"


def _stream_run(library: str, n: int, tmp: Path) -> dict[str, Any]:
    _bytecode_ready()
    work = tmp / f"stream-{library}-{n}"
    proc = subprocess.run(
        [sys.executable, str(STREAM_SCRIPT), library, str(n), str(work), "--no-run-files"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines() or ["exit code " + str(proc.returncode)]
        raise RuntimeError(lines[-1])
    import shutil

    shutil.rmtree(work, ignore_errors=True)
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def wl_sweep_stream(s: Settings, tmp: Path) -> list[Row]:
    """``x=range(0,N)`` multirun of a trivial task through each library's ``@main`` (one fresh
    process each, no per-job .hydra files): CPU seconds to the first job, CPU per job, and the
    peak RSS growth over the sweep; confcompose alone at the large sizes."""
    rows = []
    first_growth: dict[str, float] = {}
    cases = [(s.stream_peer_jobs, (CC, "hydra-core", "hydra-fast"))]
    cases += [(n, (CC,)) for n in s.stream_sizes]
    for n, libraries in cases:
        for lib in libraries:
            row = Row("sweep-100k", f"{n:,} jobs, trivial task", lib, runs=1)
            try:
                if lib == "hydra-fast":  # its @main has no --multirun
                    raise NotAvailable("its @main runs no multirun")
                out = _stream_run(lib, n, tmp)
                row.seconds = row.best = out["first_cpu"]
                row.extra["total_cpu"] = out["total_cpu"]
                row.extra["cpu/job"] = (out["total_cpu"] - out["first_cpu"]) / n
                row.extra["peak_rss_growth_MB"] = growth = out["peak_rss_growth_mb"]
                # The memory each more job costs, against the smallest sweep (which carries
                # the one-time growth: the first compose, the launcher).
                if lib in first_growth and n > s.stream_peer_jobs:
                    extra = (growth - first_growth[lib]) * 1024 / (n - s.stream_peer_jobs)
                    row.extra["rss/extra_job_KB"] = extra
                first_growth.setdefault(lib, growth)
            except NotAvailable as exc:
                row.note = f"n/a ({exc})"
            except Exception as exc:
                prefix = "not available yet" if lib == CC else "failed"
                row.note = f"n/a ({prefix}: {_error_text(exc)})"
            rows.append(row)
    return rows


def wl_override_parse(s: Settings, tmp: Path) -> list[Row]:
    """Parse 1,000 plain and 1,000 complex overrides; fresh strings on every repeat."""
    rows: list[Row] = []
    for kind, make in (
        ("plain", overrides.plain_overrides),
        ("complex", overrides.complex_overrides),
    ):
        case = f"1,000 {kind} overrides"
        for lib in ("confcompose", "hydra-core", "hydra-fast"):
            rows.append(
                run_row("override-parse", case, lib, functools.partial(_parse_prep, lib, make), s)
            )
    return rows


def _parse_prep(
    library: str, make: Callable[[int, int], list[str]]
) -> tuple[Callable[[], object], Callable[[], object]]:
    batch: list[list[str]] = [make(1_000, 0)]
    variant = iter(range(1, 1_000_000))

    def setup() -> None:
        batch[0] = make(1_000, next(variant))  # new keys: no parse cache can help

    if library == CC:
        parse = cc("parse_override")

        def run() -> object:
            return [parse(text) for text in batch[0]]

        return run, setup
    module = "hydra" if library == "hydra-core" else "hydra_fast"
    parser_mod = importlib.import_module(f"{module}.core.override_parser.overrides_parser")
    parser = parser_mod.OverridesParser.create()
    return (lambda: parser.parse_overrides(overrides=batch[0])), setup


def wl_interp_heavy(s: Settings, tmp: Path) -> list[Row]:
    """to_container(resolve=True) of a config holding ~5,000 interpolations (made in setup)."""
    case = f"{gen.count_interpolations(gen.interp_heavy(5_000))} interpolations, chains <= 3"
    check = SameAs("omegaconf")
    return [
        run_row("interp-heavy", case, lib, functools.partial(_interp_prep, lib), s, row_check)
        for lib, row_check in (("omegaconf", check.record), (CC, check), ("hydra-fast", check))
    ]


def _interp_prep(library: str) -> tuple[Callable[[], object], Callable[[], object]]:
    if library == CC:
        create, to_container = cc("create"), cc("to_container")
    else:
        oc = oc_module(library)
        create, to_container = oc.create, oc.to_container
    cfg: list[Any] = [create(gen.interp_heavy(5_000, 0))]
    variant = iter(range(1, 1_000_000))
    first = [True]

    def setup() -> None:
        # The first setup feeds the output check, which compares against variant 0.
        cfg[0] = create(gen.interp_heavy(5_000, 0 if first[0] else next(variant)))
        first[0] = False

    return (lambda: to_container(cfg[0], resolve=True)), setup


WORKLOADS: dict[str, Callable[[Settings, Path], list[Row]]] = {
    "import": wl_import,
    "core-load-merge-resolve": wl_core,
    "compose-warm": wl_compose_warm,
    "compose-cold": wl_compose_cold,
    "app-process": wl_app_process,
    "compose-memory": wl_compose_memory,
    "compose-growth": wl_compose_growth,
    "compose-schema": wl_compose_schema,
    "sweep-100": wl_sweep,
    "override-parse": wl_override_parse,
    "interp-heavy": wl_interp_heavy,
    "sweep-100k": wl_sweep_stream,
}


# ----------------------------------------------------------------------------- reporting

#: Workloads whose rows are not comparable as a ratio (growth near zero).
NO_RATIO = {"compose-growth"}


def environment() -> dict[str, str]:
    """Python, machine and library versions, printed before the tables and saved in the JSON."""
    info = {
        "python": sys.version.split()[0] + f" ({platform.python_implementation()})",
        "platform": platform.platform(),
        "machine": platform.machine() or "?",
        "processor": platform.processor() or "?",
        "cpu_count": str(os.cpu_count()),
    }
    for dist in ("confcompose", "omegaconf", "hydra-core", "hydra-fast", "lark", "ruamel.yaml"):
        try:
            info[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            info[dist] = "not installed"
    return info


def _fmt(seconds: float | None, unit: str = "s") -> str:
    if seconds is None:
        return "-"
    if unit == "MB":
        return f"{seconds:.1f} MB"
    if seconds >= 1:
        return f"{seconds:.3f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} us"


def _fmt_extra(key: str, value: float) -> str:
    # Sizes are named by their unit (peak_rss_growth_MB); everything else is seconds.
    if key.endswith("_ratio"):
        return f"{value:.2f}x"
    if key.endswith(("_MB", "_KB")) or "_MB@" in key:
        return f"{value:.1f}"
    return f"{value:,.0f}" if key == "blocks_growth" else _fmt(value)


def print_rows(workload: str, rows: list[Row]) -> None:
    """One table per case: median, best, runs and ratio ``other / confcompose``."""
    what = "smaller" if any(row.unit == "MB" for row in rows) else "faster"
    print(f"\n== {workload} ==   (ratio = other/confcompose; >1 means confcompose {what})")
    for case in dict.fromkeys(row.case for row in rows):
        # The floor first, then confcompose, then the others in the order they ran.
        case_rows = sorted(
            (row for row in rows if row.case == case),
            key=lambda r: (not r.library.startswith("python -c"), r.library != CC),
        )
        base = next((r.seconds for r in case_rows if r.library == CC), None)
        print(f"-- {case}")
        print(f"   {'library':30} {'median':>11} {'best':>11} {'runs':>5} {'ratio':>8}")
        for row in case_rows:
            ratio = "" if row.library == CC else "n/a"
            if workload in NO_RATIO:
                ratio = ""
            elif base and row.seconds is not None and row.library != CC:
                ratio = f"{row.seconds / base:.2f}x"
            if row.library.startswith("python -c"):
                ratio = "(floor)"
            line = (
                f"   {row.library:30} {_fmt(row.seconds, row.unit):>11}"
                f" {_fmt(row.best, row.unit):>11}"
                f" {row.runs:>5} {ratio:>8}"
            )
            extras = "  ".join(f"{k}={_fmt_extra(k, v)}" for k, v in row.extra.items())
            print("  ".join(part for part in (line, extras, row.note) if part))


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the chosen workloads, print tables and optionally save JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and sizes (< 60 s)")
    parser.add_argument("--only", default="", help=f"comma-separated of: {', '.join(WORKLOADS)}")
    parser.add_argument("--json", type=Path, default=None, help="also save results here")
    parser.add_argument("--runs", type=int, default=0, help="timed runs of each process workload")
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()] or list(WORKLOADS)
    unknown = [name for name in chosen if name not in WORKLOADS]
    if unknown:
        parser.error(f"unknown workload(s) {unknown}; choose from {list(WORKLOADS)}")
    settings = Settings.make(args.quick)
    if args.runs > 0:
        settings.subprocess_runs = args.runs
    info = environment()
    for key, value in info.items():
        print(f"{key:>12}: {value}")
    print(f"{'mode':>12}: {'quick' if args.quick else 'full'}")
    rows: list[Row] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="confcompose-bench-") as tmp:
        for name in chosen:
            workload_rows = WORKLOADS[name](settings, Path(tmp))
            print_rows(name, workload_rows)
            rows.extend(workload_rows)
    print(f"\ntotal benchmark time: {time.perf_counter() - started:.1f} s")
    if args.json is not None:
        payload = {"environment": info, "quick": args.quick, "rows": [asdict(r) for r in rows]}
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
