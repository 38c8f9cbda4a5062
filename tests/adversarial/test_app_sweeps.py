"""Sweeps under attack: unbounded ranges, huge products, values that need their quotes.

Each case ran away (hang, MemoryError, a bare decimal.InvalidOperation) or differed from Hydra
before sweeps were made finite, capped and lazy. Subprocess timeouts only guard against a hang.
"""

from __future__ import annotations

import signal
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import confcompose
from confcompose.parsing.sweeps import MAX_SWEEP_SIZE, expand_sweep, iter_sweep
from tests.adversarial.app_harness import jobs, run_app


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging the suite) when the block runs away."""

    def expired(*_: object) -> None:
        raise TimeoutError("ran away")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# ---- range() bounds: finite and capped -------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "message"),
    [
        pytest.param("a=range(0,inf)", "finite", id="inf-stop"),
        pytest.param("a=range(-inf,0)", "finite", id="minus-inf-start"),
        pytest.param("a=range(0,1,inf)", "finite", id="inf-step"),
        pytest.param("a=sort(range(0,inf))", "finite", id="sort-inf"),
        pytest.param("a=sort(range(0,inf),reverse=true)", "finite", id="sort-reverse-inf"),
        pytest.param("a=zip(range(0,inf))", "finite", id="zip-inf"),
        pytest.param("a=shuffle(range(0,inf))", "finite", id="shuffle-inf"),
        pytest.param("a=range(0,nan)", "finite", id="nan"),
        pytest.param("a=range(0," + "1" + "0" * 25 + ")", "maximum sweep size", id="int-1e25"),
        pytest.param("a=range(0.0,1e25)", "maximum sweep size", id="float-1e25"),
        pytest.param("a=sort(range(0.0,1e25),reverse=true)", "maximum sweep size", id="sort-1e25"),
        pytest.param("a=zip(range(0,100000000))", "maximum sweep size", id="zip-1e8"),
        pytest.param("a=int(range(0.0,1e30,1e-30))", "maximum sweep size", id="cast-1e60"),
    ],
)
def test_unbounded_range_is_a_config_error(override: str, message: str) -> None:
    with deadline(20), pytest.raises(confcompose.ConfigError, match=message) as info:
        expand_sweep([override])
    assert "CONFCOMPOSE_MAX_SWEEP_SIZE" in str(info.value) or message == "finite"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["+a=range(0,inf)"], "finite", id="inf"),
        pytest.param(["+a=range(0,nan)"], "finite", id="nan"),
        pytest.param(["+a=range(0,10000000000000000000000000)"], "maximum sweep size", id="huge"),
        pytest.param(
            ["+a=range(0,1000)", "+b=range(0,1000)", "+c=range(0,1000)"],
            "the sweep has 1000000000 jobs, more than the maximum sweep size 10000000",
            id="three-1000-axes",
        ),
    ],
)
def test_app_refuses_unbounded_sweeps(tmp_path: Path, args: list[str], message: str) -> None:
    res = run_app(tmp_path, "-m", *args, timeout=60)
    assert res.returncode == 2, res.stderr
    assert message in res.stderr
    assert "Traceback" not in res.stderr
    assert jobs(res.stdout) == []


def test_sweep_size_limit_is_raisable(tmp_path: Path) -> None:
    args = ("-m", "+x=1,2,3", "+y=a,b", "hydra/job_logging=disabled")
    low = run_app(tmp_path, *args, extra_env={"CONFCOMPOSE_MAX_SWEEP_SIZE": "5"})
    assert low.returncode == 2
    assert "the sweep has 6 jobs, more than the maximum sweep size 5" in low.stderr
    ok = run_app(tmp_path, *args, extra_env={"CONFCOMPOSE_MAX_SWEEP_SIZE": "6"})
    assert ok.returncode == 0, ok.stderr
    assert len(jobs(ok.stdout)) == 6
    bad = run_app(tmp_path, *args, extra_env={"CONFCOMPOSE_MAX_SWEEP_SIZE": "lots"})
    assert bad.returncode == 2
    assert "CONFCOMPOSE_MAX_SWEEP_SIZE='lots' is not a positive integer" in bad.stderr


# ---- lazy expansion: a long sweep starts at once, in constant memory -------------------------


def test_long_sweep_starts_at_once(tmp_path: Path) -> None:
    # 10,000,000 jobs (the default limit): the first runs, then the app stops itself. Before,
    # every job was listed and composed first (MemoryError, zero jobs run); under a 1 GiB
    # address-space limit that still fails, now it cannot.
    prefix = ("prlimit", f"--as={1 << 30}") if _has_prlimit() else ()
    res = run_app(
        tmp_path,
        "-m",
        "+x=range(0,10000000)",
        "hydra/job_logging=disabled",
        extra_env={"STOP_AT": "2"},
        prefix=prefix,
        timeout=60,
    )
    assert res.returncode == 0, res.stderr
    assert [j["x"] for j in jobs(res.stdout)] == ["0", "1", "2"]
    assert "[1/10000000 done" in res.stderr


def _has_prlimit() -> bool:
    import shutil

    return shutil.which("prlimit") is not None


def test_three_1000_value_axes_iterate_lazily() -> None:
    tracemalloc.start()
    try:
        with deadline(20):
            sweep = iter_sweep(
                ["a=range(1000)", "b=range(0.0,1000.0)", "c=range(1000)"], max_size=10**9
            )
            assert len(sweep) == 10**9
            it = iter(sweep)
            first = [next(it) for _ in range(2001)]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert first[0] == ["a=0", "b=0.0", "c=0"]
    assert first[1000] == ["a=0", "b=1.0", "c=0"]
    assert first[2000] == ["a=0", "b=2.0", "c=0"]
    assert peak < 5_000_000  # listing one axis of a billion jobs' product would not fit


def test_default_limit_is_documented() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "CONFCOMPOSE_MAX_SWEEP_SIZE" in readme
    assert f"{MAX_SWEEP_SIZE:,}" in readme


# ---- quoted sweep values: written back as Hydra writes them ----------------------------------

QUOTING = [
    ["msg='a b',c"],
    ['msg="a b",c'],
    ["msg='it\\'s',x"],
    ["msg='a,b',c"],
    ["msg=[1,'a b'],c"],
    ["msg={k:'a b'},c"],
    ["msg='${x}',c"],
    ["msg='',c"],
    ["msg='x\"y',c"],
    ["msg='a\\\\',c"],
    ["a= 'x y' , 'z'"],
    ["a={k: 'v w', j: 2}, c"],
    ["a=1,2", "b='x y'"],
    ["a=1,2", "b=[1, 'x y']"],
    ["a=1,2", 'b="x"'],
    ["a=1,2", "b=''"],
    ["msg=choice('a b','c')"],
    ["msg=sort('b b','a')"],
    ["a=x\\,y,'p q'", "b=true,null,1e-3"],
]


@pytest.mark.parametrize("overrides", QUOTING, ids=[" ".join(c) for c in QUOTING])
def test_quoted_sweep_values_match_hydra(overrides: list[str]) -> None:
    pytest.importorskip("hydra")
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parsed = OverridesParser.create().parse_overrides(overrides)
    assert expand_sweep(overrides) == BasicSweeper.split_arguments(parsed, None)[0]


def test_quoted_sweep_value_in_the_job(tmp_path: Path) -> None:
    res = run_app(tmp_path, "-m", "+msg2='a b',c", "hydra.sweep.dir=sw")
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "sw" / "0" / ".hydra" / "overrides.yaml").read_text() == "- +msg2='a b'\n"
    assert (tmp_path / "sw" / "1" / ".hydra" / "overrides.yaml").read_text() == "- +msg2=c\n"
