"""Hydra apps under hydra-core, under `confcompose run` and ported: same exit, stdout and files.

Each case runs three ways (tests/compat/harness.py): ``python app.py ARGS`` on hydra-core 1.3.8
(the reference), ``confcompose run app.py ARGS``, and ``python app.py ARGS`` after the app's
import lines were pointed at ``confcompose.hydra``/``confcompose.omegaconf``. The apps under
tests/compat/apps follow the topics of Hydra's tutorials. All selected cases run up front, in
parallel subprocesses, and each test compares one case in one mode with the reference.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.compat.harness import Case, Outcome, run_case

if importlib.util.find_spec("hydra") is None or importlib.util.find_spec("yaml") is None:
    pytest.skip(
        "the reference (hydra-core, the test extra) is not installed", allow_module_level=True
    )

RERUN = ("--experimental-rerun", "outputs/first/.hydra/config.pickle")

CASES = [
    # basic app: one config file
    Case("basic"),
    Case("basic", ("db.user=root", "db.port=3307")),
    Case("basic", ("+db.timeout=5", "~db.password")),
    Case("basic", ("db.nope=1",)),  # not in struct: an error, exit 1
    Case("basic", ("db.port=",)),  # an empty value
    Case("basic", ("--cfg", "job")),
    Case("basic", ("--cfg", "job", "--resolve", "--package", "db")),
    Case("basic", ("hydra.run.dir=custom_dir",)),
    # config groups
    Case("groups"),
    Case("groups", ("+db=postgresql",)),
    Case("groups", ("+db=mysql", "db.user=me")),
    Case("groups", ("+db=oracle",)),  # no such option
    # defaults list
    Case("defaults"),
    Case("defaults", ("db=postgresql", "debug=true")),
    Case("defaults", ("~db",)),
    Case("defaults", ("db=sqlite",)),  # ${hydra:runtime.cwd} in a config
    # composition of several groups
    Case("composition"),
    Case("composition", ("schema=support", "ui=view", "db=postgresql")),
    # the working directory and version_base
    Case("workdir"),
    Case("workdir", ("hydra.job.chdir=true",)),
    Case("workdir", script="app_v11.py"),
    Case("workdir", ("hydra.job.chdir=false",), script="app_v11.py"),
    Case("workdir", script="app_legacy.py"),
    # logging
    Case("logging"),
    Case("logging", ("hydra.verbose=true",)),
    Case("logging", ("hydra.verbose=my.lib",)),
    Case("logging", ("hydra/job_logging=custom",)),
    Case("logging", ("hydra/job_logging=disabled",)),
    Case("logging", ("hydra/job_logging=none", "hydra/hydra_logging=none")),
    # sweeps
    Case("sweeps", ("-m", "db=mysql,postgresql")),
    Case("sweeps", ("--multirun", "lr=range(1,3)", "db=postgresql")),
    Case("sweeps", ("-m", "--config-name", "swept")),
    Case("sweeps", ("-m", "--config-name", "mandatory", "db=mysql,postgresql")),
    Case("sweeps", ("-m", "db=glob(*)", "hydra.sweep.dir=sweep_dir")),
    # structured configs (ConfigStore) and schemas
    Case("structured"),
    Case("structured", ("db=postgresql", "db.timeout=2.5", "debug=true")),
    Case("structured", ("db.port=abc",)),  # a type error
    Case("schema"),
    Case("schema", ("db.port=1234",)),
    Case("schema", ("db.port=nan_port",)),
    # instantiate
    Case("instantiate"),
    Case("instantiate", ("optimizer=sgd", "trainer.epochs=5")),
    # the config search path
    Case("searchpath"),
    Case("searchpath", ("db=postgresql",)),
    Case("searchpath", ("-cd", "extra", "--config-name", "extra_primary")),
    Case("searchpath", ("--config-name", "extra_primary")),  # not on the search path
    Case("searchpath", ("-cn", "other")),
    # packages
    Case("packages"),
    Case("packages", ("server=nginx", "db@backup=mysql")),
    # nested defaults
    Case("nested"),
    Case("nested", ("server=nginx",)),
    Case("nested", ("server/db=sqlite", "server/site=google")),
    Case("nested", ("-cn", "overriding")),
    # interpolation in the defaults list
    Case("defaults_interp"),
    Case("defaults_interp", ("dataset=cifar10", "model=resnet")),
    Case("defaults_interp", ("dataset=cifar10",)),  # the optional config does not exist
    # a custom --help
    Case("help", ("--help",)),
    Case("help", ("--hydra-help",)),
    # job names
    Case("jobname"),
    Case("jobname", ("hydra.job.name=from_cli",)),
    Case("jobname", ("--config-name", "named")),
    # override_dirname
    Case("dirname", ("lr=0.5", "seed=3", "batch_size=8")),
    Case("dirname", ("-m", "lr=0.5,1.0", "seed=7")),
    # rerun a pickled run (and the warning for overrides given with it)
    Case("rerun", RERUN, before=(("count=2",),)),
    Case("rerun", (*RERUN, "count=3"), before=(("count=2",),)),
    # the compose API
    Case("compose_api"),
    Case("compose_api", ("db=postgresql", "+x=1")),
]

MODES = ("run", "ported")


def _selected(session: pytest.Session) -> list[Case]:
    cases = {}
    for item in session.items:
        callspec = getattr(item, "callspec", None)
        case = callspec.params.get("case") if callspec else None
        if isinstance(case, Case):
            cases[case.id] = case
    return list(cases.values())


@pytest.fixture(scope="module")
def outcomes(request: pytest.FixtureRequest) -> Iterator[dict[tuple[str, str], Outcome]]:
    """Every selected case in every mode, run up front on all cores."""
    cases = _selected(request.session)
    jobs = [(case, mode) for case in cases for mode in ("hydra", *MODES)]
    with tempfile.TemporaryDirectory(prefix="confcompose-apps-") as tmp:
        where = {job: Path(tmp) / f"{i}" for i, job in enumerate(jobs)}
        with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
            futures = {job: pool.submit(run_case, job[0], job[1], where[job]) for job in jobs}
            yield {(case.id, mode): fut.result() for (case, mode), fut in futures.items()}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_same_as_hydra(case: Case, mode: str, outcomes: dict[tuple[str, str], Outcome]) -> None:
    ref, got = outcomes[case.id, "hydra"], outcomes[case.id, mode]
    where = f"\n--- stderr ({mode}) ---\n{got.stderr[-3000:]}\n--- stderr (hydra) ---\n{ref.stderr[-1500:]}"
    assert got.returncode == ref.returncode, where
    assert got.stdout == ref.stdout, where
    assert sorted(got.files) == sorted(ref.files), where
    for name, content in ref.files.items():
        assert got.files[name] == content, f"{name} differs{where}"
