"""`confcompose run SCRIPT`: the script runs as `python SCRIPT` would, with its imports aliased.

These tests alias `hydra`/`omegaconf` to small fake packages written into tmp_path, so they check
the mechanism (argv, sys.path, __main__, exit codes, tracebacks, workers) whatever the facades
can do; tests/compat/test_run_facades.py runs the real facades.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FAKES = {"hydra": "fake_hydra", "omegaconf": "fake_omegaconf"}

# Runs `confcompose run` (the command's own main) with the fakes as alias targets.
RUNNER = (
    "import sys; sys.path.insert(1, sys.argv.pop(1)); "
    "from confcompose.app import compat; "
    f"compat.install({FAKES!r}); "
    "from confcompose.app.cli import main; main(['run', *sys.argv[1:]])"
)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONFCOMPOSE_", "COMP_"))}
    env["PYTHONPATH"] = str(ROOT)
    return env


@pytest.fixture
def fakes(tmp_path: Path) -> Path:
    """Fake alias targets: fake_hydra (with a utils submodule) and fake_omegaconf."""
    lib = tmp_path / "lib"
    (lib / "fake_hydra").mkdir(parents=True)
    (lib / "fake_omegaconf").mkdir()
    (lib / "fake_hydra" / "__init__.py").write_text("KIND = 'fake'\n")
    (lib / "fake_hydra" / "utils.py").write_text("def instantiate(x):\n    return ('made', x)\n")
    (lib / "fake_omegaconf" / "__init__.py").write_text("class DictConfig(dict):\n    pass\n")
    return lib


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=_env(), capture_output=True, text=True, timeout=120)


def run_hooked(app: Path, *args: str, lib: Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-c", RUNNER, str(lib), os.path.relpath(app, app.parent.parent), *args]
    return _run(cmd, app.parent.parent)


def run_python(app: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, os.path.relpath(app, app.parent.parent), *args], app.parent.parent)


# A script that shows what it sees and ends as its arguments ask; nothing in it is aliased.
PLAIN = '''\
"""The docstring."""
import sys

print(__name__, __doc__, repr(__package__), __spec__, type(__loader__).__name__)
print(sys.argv, sys.path[0], __file__, __cached__)
print(sorted(k for k in globals() if k.startswith("__")))


def inner(kind):
    if kind == "raise":
        raise ValueError("boom")
    if kind == "chained":
        try:
            {}["missing"]
        except KeyError as e:
            raise RuntimeError("while handling") from e
    if kind == "exit3":
        sys.exit(3)
    if kind == "exitmsg":
        sys.exit("a message")
    if kind == "exitnone":
        raise SystemExit
    if kind == "interrupt":
        import atexit
        atexit.register(print, "atexit ran")
        raise KeyboardInterrupt


if __name__ == "__main__":
    print("as main")
    inner(sys.argv[-1])
'''


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("a", "b=1", "--flag"), id="args"),
        pytest.param(("raise",), id="exception"),
        pytest.param(("chained",), id="chained-exception"),
        pytest.param(("exit3",), id="sys-exit-3"),
        pytest.param(("exitmsg",), id="sys-exit-message"),
        pytest.param(("exitnone",), id="system-exit-none"),
        pytest.param(("interrupt",), id="keyboard-interrupt"),
    ],
)
def test_script_runs_exactly_as_python_does(
    args: tuple[str, ...], tmp_path: Path, fakes: Path
) -> None:
    app = tmp_path / "proj" / "app.py"
    app.parent.mkdir()
    app.write_text(PLAIN)
    ours = run_hooked(app, *args, lib=fakes)
    theirs = run_python(app, *args)
    assert (ours.returncode, ours.stdout, ours.stderr) == (
        theirs.returncode,
        theirs.stdout,
        theirs.stderr,
    )
    assert "as main" in ours.stdout


def test_syntax_error_and_missing_script_as_python(tmp_path: Path, fakes: Path) -> None:
    app = tmp_path / "proj" / "bad.py"
    app.parent.mkdir()
    app.write_text("x = (\n")
    ours, theirs = run_hooked(app, lib=fakes), run_python(app)
    assert (ours.returncode, ours.stderr) == (theirs.returncode, theirs.stderr)
    missing = tmp_path / "proj" / "nope.py"
    ours, theirs = run_hooked(missing, lib=fakes), run_python(missing)
    assert ours.returncode == theirs.returncode == 2
    assert ours.stderr.split(": ", 1)[1] == theirs.stderr.split(": ", 1)[1]


def test_future_imports_of_confcompose_do_not_leak(tmp_path: Path, fakes: Path) -> None:
    app = tmp_path / "proj" / "app.py"
    app.parent.mkdir()
    app.write_text("def f(x: int) -> None: ...\nprint(f.__annotations__)\n")
    assert run_hooked(app, lib=fakes).stdout == run_python(app).stdout


ALIASED = """\
import importlib.util
import sys

import hydra.utils
import omegaconf
from omegaconf import DictConfig

import fake_hydra.utils

print(hydra.utils is fake_hydra.utils, sys.modules["hydra.utils"] is fake_hydra.utils)
print(sys.modules["omegaconf"].__name__, DictConfig.__module__, hydra.KIND)
print(hydra.utils.instantiate(1), hydra.__spec__.name, importlib.util.find_spec("hydra").name)
try:
    import hydra.nope
except ModuleNotFoundError as e:
    print("error:", e)
"""


def test_imports_are_served_by_the_alias_targets(tmp_path: Path, fakes: Path) -> None:
    app = tmp_path / "proj" / "app.py"
    app.parent.mkdir()
    app.write_text(ALIASED)
    done = run_hooked(app, lib=fakes)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "True True",
        "fake_omegaconf fake_omegaconf fake",
        "('made', 1) fake_hydra fake_hydra",
        "error: No module named 'hydra.nope'",
    ]


WORKERS = """\
import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor

import hydra


def probe(_):
    import hydra
    import omegaconf
    return f"{hydra.__name__} {omegaconf.__name__} {sys.modules['__main__'].__name__}"


if __name__ == "__main__":
    kind = sys.argv[1]
    if kind == "loky":
        from joblib import Parallel, delayed
        print(Parallel(n_jobs=2, backend="loky")(delayed(probe)(i) for i in range(2))[0])
    else:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context(kind)) as pool:
            print(next(pool.map(probe, [0])))
"""


@pytest.mark.parametrize(
    ("start", "main_name"),
    [
        ("fork", "__main__"),
        ("spawn", "__mp_main__"),
        ("forkserver", "__mp_main__"),
        ("loky", "__main__"),
    ],
)
def test_worker_processes_get_the_hook(
    start: str, main_name: str, tmp_path: Path, fakes: Path
) -> None:
    if start == "loky":
        pytest.importorskip("joblib")
    app = tmp_path / "proj" / "app.py"
    app.parent.mkdir()
    app.write_text(WORKERS)
    done = run_hooked(app, start, lib=fakes)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["fake_hydra", "fake_omegaconf", main_name]


def test_travel_installs_the_hook_before_the_job_loads(fakes: Path) -> None:
    from confcompose.app import compat

    # What a launcher ships from a hooked process: unpickling it installs the hook, then loads
    # the job, so code that the job runs (or imports) gets the aliased modules.
    shipped = pickle.dumps(compat._Travelling(FAKES, pickle.dumps({"job": 1})))
    loader = (
        f"import pickle, sys; sys.path.insert(0, {str(fakes)!r}); "
        "job = pickle.loads(sys.stdin.buffer.read()); "
        "import hydra; print(job, hydra.__name__, type(sys.meta_path[0]).__name__)"
    )
    done = subprocess.run(
        [sys.executable, "-c", loader], input=shipped, capture_output=True, env=_env(), timeout=60
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().split() == ["{'job':", "1}", "fake_hydra", "AliasFinder"]


def test_travel_without_the_hook_sends_the_job_itself() -> None:
    from confcompose.app import compat

    assert not compat.installed()
    job = {"a": 1}
    assert compat.travel(job, pickle.dumps) is job


def test_run_module_as_python_dash_m(tmp_path: Path, fakes: Path) -> None:
    pkg = tmp_path / "proj" / "pkg"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "train.py").write_text(
        textwrap.dedent(
            """\
            import sys
            print(__name__, sys.argv[1:], __spec__.name, type(__builtins__).__name__)
            if sys.argv[-1] == "raise":
                raise ValueError("boom")
            """
        )
    )
    for args in (["x=1"], ["raise"]):
        ours = _run(
            [sys.executable, "-c", RUNNER, str(fakes), "-m", "pkg.train", *args], pkg.parent
        )
        theirs = _run([sys.executable, "-m", "pkg.train", *args], pkg.parent)
        assert (ours.returncode, ours.stdout, ours.stderr) == (
            theirs.returncode,
            theirs.stdout,
            theirs.stderr,
        )


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(["-m", "confcompose"], id="python-m-confcompose"),
        pytest.param(["-m", "confcompose.app.cli"], id="cli-module"),
    ],
)
def test_help_lists_run_and_python_m_works(command: list[str], tmp_path: Path) -> None:
    done = _run([sys.executable, *command, "--help"], tmp_path)
    assert done.returncode == 0
    assert "confcompose run SCRIPT [ARGS...]" in done.stdout
    run_help = _run([sys.executable, *command, "run", "--help"], tmp_path)
    assert run_help.returncode == 0
    assert run_help.stdout.startswith("usage: confcompose run SCRIPT")
    bare = _run([sys.executable, *command, "run"], tmp_path)
    assert (bare.returncode, bare.stdout) == (2, "")


def test_python_m_confcompose_composes_like_the_command(tmp_path: Path) -> None:
    conf = ROOT / "examples" / "train" / "config"
    ours = _run([sys.executable, "-m", "confcompose", str(conf), "model=transformer"], tmp_path)
    cli = _run(
        [sys.executable, "-m", "confcompose.app.cli", str(conf), "model=transformer"], tmp_path
    )
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout == cli.stdout
    assert "transformer" in ours.stdout


def test_import_confcompose_loads_neither_hook_nor_facades() -> None:
    code = (
        "import sys, confcompose\n"
        "print(sorted(m for m in sys.modules if m.startswith(('confcompose.app', "
        "'confcompose.hydra', 'confcompose.omegaconf', 'hydra', 'omegaconf'))))\n"
        "print(any(type(f).__name__ == 'AliasFinder' for f in sys.meta_path))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=_env(), check=True
    )
    assert done.stdout.split("\n")[:2] == ["[]", "False"]


def test_overhead_benchmark_ports_its_app_as_the_app_tests_do() -> None:
    import importlib.util

    from tests.compat.harness import port_source

    path = ROOT / "benchmarks" / "run_overhead.py"
    spec = importlib.util.spec_from_file_location("run_overhead_bench", path)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert port_source(bench.APP) == bench.PORTED
    assert "confcompose" not in bench.APP


@pytest.mark.parametrize("kind", ["folder", "zip"])
def test_folder_or_zip_with_a_main_runs_as_python_does(
    kind: str, tmp_path: Path, fakes: Path
) -> None:
    import zipfile

    main = (
        "import sys\n"
        "print(sys.argv, sys.path[0], __name__, __file__, type(__builtins__).__name__)\n"
        "if sys.argv[-1] == 'raise':\n    raise ValueError('boom')\n"
    )
    target = tmp_path / "proj" / "bundle"
    target.mkdir(parents=True)
    (target / "__main__.py").write_text(main)
    if kind == "zip":
        target = tmp_path / "proj" / "bundle.pyz"
        with zipfile.ZipFile(target, "w") as z:
            z.writestr("__main__.py", main)
    for args in (["x=1"], ["raise"]):
        ours, theirs = run_hooked(target, *args, lib=fakes), run_python(target, *args)
        assert (ours.returncode, ours.stdout, ours.stderr) == (
            theirs.returncode,
            theirs.stdout,
            theirs.stderr,
        )
    assert ours.stdout.split()[-1] == "module"
