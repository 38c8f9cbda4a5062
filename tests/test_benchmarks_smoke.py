"""Smoke tests for benchmarks/: the generated trees are valid Hydra 1.3 and hit their targets."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"


def _load(name: str) -> ModuleType:
    # Loaded by path so that the benchmarks' "workloads" package never shadows anything on sys.path.
    spec = importlib.util.spec_from_file_location(
        f"_bench_{name}", BENCH / "workloads" / f"{name}.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = _load("gen")
overrides_mod = _load("overrides")


def _hydra_compose(conf: Path, overrides: list[str]) -> tuple[Any, Any]:
    hydra = pytest.importorskip("hydra")
    from omegaconf import OmegaConf

    with hydra.initialize_config_dir(config_dir=str(conf), version_base="1.3"):
        cfg = hydra.compose(config_name="config", overrides=overrides)
        return OmegaConf.to_container(cfg), OmegaConf.to_container(cfg, resolve=True)


def _near(actual: int, target: int, tolerance: float) -> bool:
    return abs(actual - target) <= tolerance * target


def _near_interps(actual: int, size: str) -> bool:
    # A few dozen keys give a handful of interpolations, so "small" only has to have some.
    target = gen.SIZES[size][1]
    return 1 <= actual <= 2 * target if size == "small" else _near(actual, target, 0.2)


@pytest.mark.parametrize(
    ("size", "overrides"),
    [
        pytest.param("small", [], id="small:defaults"),
        pytest.param("small", ["trainer=ddp", "model=vit", "env=cluster"], id="small:alternatives"),
        pytest.param("medium", ["trainer.max_epochs=5"], id="medium:override"),
    ],
)
def test_compose_tree_is_valid_hydra_and_near_targets(
    tmp_path: Path, size: str, overrides: list[str]
) -> None:
    raw, resolved = _hydra_compose(gen.generate(size, tmp_path), overrides)
    target_keys = gen.SIZES[size][0]
    assert _near(gen.count_keys(raw), target_keys, 0.15 if overrides else 0.05)
    assert _near_interps(gen.count_interpolations(raw), size)
    assert gen.count_interpolations(resolved) == 0
    assert resolved["model"]["encoder"]["out_dim"] == resolved["model"]["hidden_dim"]
    assert resolved["name"] == "run_42"
    if "trainer.max_epochs=5" in overrides:
        assert resolved["optimizer"]["scheduler"]["total_epochs"] == 5


def test_large_compose_tree_counts(tmp_path: Path) -> None:
    yaml = pytest.importorskip("yaml")
    conf = gen.generate("large", tmp_path)
    keys = interps = 0
    for rel in gen.SELECTED_FILES:
        data = yaml.load((conf / rel).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        data.pop("defaults", None)
        keys += gen.count_keys(data)
        interps += gen.count_interpolations(data)
    assert _near(keys, gen.SIZES["large"][0], 0.05)
    assert _near(interps, gen.SIZES["large"][1], 0.2)


@pytest.mark.parametrize("size", ["small", "medium"])
def test_document_tree_merges_and_resolves(tmp_path: Path, size: str) -> None:
    from omegaconf import OmegaConf

    files = gen.all_yaml_files(gen.generate_documents(size, tmp_path))
    merged = OmegaConf.merge(*[OmegaConf.load(path) for path in files])
    raw = OmegaConf.to_container(merged)
    target_keys = gen.SIZES[size][0]
    assert _near(gen.count_keys(raw), target_keys, 0.05)
    assert _near_interps(gen.count_interpolations(raw), size)
    assert gen.count_interpolations(OmegaConf.to_container(merged, resolve=True)) == 0
    assert raw["data"]["d000"]["title"] == "overridden"


@pytest.mark.parametrize("maker", ["generate", "generate_documents"])
def test_generation_is_deterministic(tmp_path: Path, maker: str) -> None:
    def snapshot(root: Path, seed: int) -> dict[str, bytes]:
        tree = getattr(gen, maker)("medium", root, seed=seed)
        return {p.relative_to(tree).as_posix(): p.read_bytes() for p in gen.all_yaml_files(tree)}

    first = snapshot(tmp_path / "a", 0)
    assert first == snapshot(tmp_path / "b", 0)
    assert first != snapshot(tmp_path / "c", 1)


def test_interp_heavy_counts_and_resolves() -> None:
    from omegaconf import OmegaConf

    assert gen.count_interpolations(gen.interp_heavy(5_000)) == 5_000
    small = gen.interp_heavy(500, variant=3)
    assert (
        gen.count_interpolations(OmegaConf.to_container(OmegaConf.create(small), resolve=True)) == 0
    )
    assert small != gen.interp_heavy(500, variant=4)


@pytest.mark.parametrize("maker", ["plain_overrides", "complex_overrides"])
def test_generated_overrides_are_valid_hydra(maker: str) -> None:
    parser_mod = pytest.importorskip("hydra.core.override_parser.overrides_parser")
    texts = getattr(overrides_mod, maker)(100, variant=2)
    parsed = parser_mod.OverridesParser.create().parse_overrides(overrides=texts)
    assert len(parsed) == len(set(texts)) == 100


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param({"a": 1, "b": {"c": [1, 2]}}, "a: 1\nb:\n  c: [1, 2]\n", id="nested"),
        pytest.param(
            {"s": "yes", "t": "${x}", "u": "plain"}, 's: "yes"\nt: "${x}"\nu: plain\n', id="quoting"
        ),
        pytest.param(
            {"f": 0.0001, "g": 2.0, "n": None}, "f: 0.0001\ng: 2.0\nn: null\n", id="floats-null"
        ),
        pytest.param({"l": [{"a": 1, "b": 2}]}, "l:\n  - a: 1\n    b: 2\n", id="list-of-dicts"),
    ],
)
def test_dump_yaml(value: dict[str, Any], expected: str) -> None:
    assert gen.dump_yaml(value) == expected


def test_runner_quick_smoke() -> None:
    """The runner survives a tiny workload whatever state confcompose is in; no timing checks."""
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--quick", "--only", "override-parse"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "== override-parse ==" in proc.stdout
    assert "1,000 complex overrides" in proc.stdout
    assert "confcompose" in proc.stdout


def test_sweep_stream_script_runs_a_sweep(tmp_path: Path) -> None:
    """The sweep-100k workload's script really runs N jobs and reports; no timing checks."""
    proc = subprocess.run(
        [sys.executable, str(BENCH / "workloads" / "sweep_stream.py"), "confcompose", "25",
         str(tmp_path), "--no-run-files"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["n"] == 25 and out["first_cpu"] is not None and out["peak_rss_growth_mb"] >= 0
    summary = json.loads((tmp_path / "multirun" / "summary.json").read_text())
    assert [j["return_value"] for j in summary["jobs"]] == list(range(25))


def test_runner_rejects_unknown_workload() -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--only", "nope"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert "unknown workload" in proc.stderr


def test_runner_process_workloads_smoke() -> None:
    """app-process and compose-cold run every library's process; confcompose prints what
    hydra-core prints. No timing checks."""
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--quick", "--runs", "1",
         "--only", "app-process,compose-cold"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "== app-process ==" in proc.stdout and "== compose-cold ==" in proc.stdout
    ours = [line for line in proc.stdout.splitlines() if line.startswith("   confcompose")]
    assert len(ours) == 5  # app-process: warm and empty cache; compose-cold: three variants
    assert not any("n/a" in line or "DIFFERS" in line for line in ours), ours


@pytest.mark.parametrize("library", ["confcompose", "hydra-core"])
def test_memory_script_peak_and_growth(tmp_path: Path, library: str) -> None:
    """The compose-memory and compose-growth workloads' script reports; no memory checks."""
    if library == "hydra-core":
        pytest.importorskip("hydra")
    conf = str(gen.generate("small", tmp_path))
    script = str(BENCH / "workloads" / "memory.py")
    env = {**os.environ, "CONFCOMPOSE_CACHE_DIR": str(tmp_path / "cache")}

    def run(*args: str) -> dict[str, Any]:
        proc = subprocess.run(
            [sys.executable, script, library, *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
        return out

    peak = run("peak", conf)
    assert peak["keys"] > 40 and peak["peak_rss_growth_mb"] >= 0
    assert run("peak", conf, "--tracemalloc")["peak_heap_mb"] > 0
    growth = run("growth", conf, "2", "4")
    assert {"rss_mb@2", "rss_mb@4", "blocks@2", "blocks@4"} <= set(growth)
