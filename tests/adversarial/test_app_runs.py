"""Runs under attack: dying workers, shared and colliding run dirs, hostile file systems, bad
settings. Each case lost jobs, mixed files or ended in a traceback before."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import confcompose
from confcompose.app.runs import JobSpec, save_run_files
from tests.adversarial.app_harness import env, jobs, run_app, write_app

# ---- launchers survive a dead worker -----------------------------------------------------------

LAUNCHERS = [
    pytest.param(["hydra/launcher=processes"], id="processes"),
    pytest.param(["hydra/launcher=joblib"], id="joblib-loky"),
]


@pytest.mark.parametrize("launcher", LAUNCHERS)
def test_dead_worker_fails_only_its_job(tmp_path: Path, launcher: list[str]) -> None:
    if "joblib" in launcher[0]:
        pytest.importorskip("joblib")
    res = run_app(
        tmp_path,
        "-m",
        "+x=range(0,8)",
        *launcher,
        "hydra.launcher.n_jobs=2",
        "hydra.sweep.dir=sw",
        "hydra/job_logging=disabled",
        extra_env={"API": "1", "KILL_AT": "1", "EXIT_AT": "3", "SYSEXIT_AT": "5"},
    )
    assert res.returncode == 0, res.stderr
    [line] = [ln for ln in res.stdout.splitlines() if ln.startswith("RESULT ")]
    results = {num: (status, error) for num, status, error in json.loads(line[7:])}
    assert sorted(results) == list(range(8))
    assert results[1] == ("failed", "worker died: killed by signal 9 (SIGKILL)")
    assert results[3] == ("failed", "worker died: exited with status 3")
    assert results[5] == ("failed", "4")  # SystemExit(4): the job failed, its worker lived
    assert all(results[i] == ("completed", "None") for i in (0, 2, 4, 6, 7))
    for i in (0, 2, 4, 6, 7):  # every sibling's run files are complete
        files = sorted(p.name for p in (tmp_path / "sw" / str(i) / ".hydra").iterdir())
        assert files == ["config.yaml", "hydra.yaml", "overrides.yaml"]
    assert "7 completed" not in res.stderr
    assert "5 completed, 3 failed" in res.stderr


def test_dead_worker_from_the_command_line(tmp_path: Path) -> None:
    res = run_app(
        tmp_path,
        "-m",
        "+x=0,1,2",
        "hydra/launcher=processes",
        "hydra.launcher.n_jobs=2",
        "hydra/job_logging=disabled",
        extra_env={"KILL_AT": "0"},
    )
    assert res.returncode == 1
    assert "BrokenProcessPool" not in res.stderr
    assert "job #0 (+x=0) failed: WorkerDied: worker died: killed by signal 9" in res.stderr
    assert sorted(j["x"] for j in jobs(res.stdout)) == ["0", "1", "2"]


# ---- a run's files: the user's text, one set, separate dirs ------------------------------------


def test_overrides_yaml_keeps_the_users_text(tmp_path: Path) -> None:
    res = run_app(tmp_path, "+z=${seed}", "+w=${nope}", "hydra.run.dir=out")
    assert res.returncode == 0, res.stderr
    saved = (tmp_path / "out" / ".hydra" / "overrides.yaml").read_text()
    assert saved == "- +z=${seed}\n- +w=${nope}\n"


def test_same_second_runs_get_separate_dirs(tmp_path: Path) -> None:
    # `${now:%Y}` makes every run of the year collide, as `%H-%M-%S` does within one second.
    for tag in ("a", "b", "c"):
        res = run_app(tmp_path, f"+tag={tag}", "hydra.run.dir=out/${now:%Y}")
        assert res.returncode == 0, res.stderr
    dirs = sorted((tmp_path / "out").iterdir())
    assert len(dirs) == 3
    year = dirs[0].name
    assert [d.name for d in dirs] == [year, f"{year}_1", f"{year}_2"]
    for d, tag in zip(dirs, "abc", strict=True):
        assert (d / ".hydra" / "overrides.yaml").read_text() == f"- +tag={tag}\n"
        assert f"tag: {tag}" in (d / ".hydra" / "config.yaml").read_text()
        saved = confcompose.load(d / ".hydra" / "hydra.yaml")
        assert confcompose.select(saved, "hydra.runtime.output_dir") == str(d)


def test_concurrent_sweeps_get_separate_dirs(tmp_path: Path) -> None:
    script = write_app(tmp_path)
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                str(script),
                "-m",
                f"+tag={t}",
                "+x=1,2",
                "hydra.sweep.dir=ms/${now:%Y}",
            ],
            cwd=tmp_path,
            env=env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for t in "abcd"
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    sweeps = sorted((tmp_path / "ms").iterdir())
    assert len(sweeps) == 4
    tags = set()
    for sweep in sweeps:
        texts = {(sweep / j / ".hydra" / "overrides.yaml").read_text() for j in ("0", "1")}
        [tag] = {t.splitlines()[0] for t in texts}
        tags.add(tag)
        assert texts == {f"{tag}\n- +x=1\n", f"{tag}\n- +x=2\n"}
    assert tags == {f"- +tag={t}" for t in "abcd"}


def _spec(where: Path, tag: str) -> JobSpec:
    cfg = confcompose.create({"tag": tag})
    root = confcompose.create({"hydra": {"output_subdir": ".hydra", "overrides": {"task": []}}})
    hydra = confcompose.select(root, "hydra")
    confcompose.update(hydra, "overrides.task", [f"+tag={tag}"], merge=False)
    return JobSpec(lambda c: None, cfg, hydra, (f"+tag={tag}",), None, str(where), {}, "", None)


def _read_set(hydra_dir: Path) -> tuple[str, str] | None:
    try:
        fd = os.open(hydra_dir, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        return None
    try:
        texts = []
        for name in ("config.yaml", "overrides.yaml"):
            with open(name, encoding="utf-8", opener=lambda p, f: os.open(p, f, dir_fd=fd)) as f:
                texts.append(f.read())
    except FileNotFoundError:  # this set was replaced while we read: try again
        return None
    finally:
        os.close(fd)
    return texts[0], texts[1]


def test_run_files_are_published_as_one_set(tmp_path: Path) -> None:
    # Writers in the same run dir, a reader that opens `.hydra` and reads two of its files:
    # each set it sees must come from one run. File-by-file writes let it see mixed sets.
    stop = threading.Event()
    mixed: list[tuple[str, str]] = []
    seen = [0]

    def reader() -> None:
        while not stop.is_set():
            got = _read_set(tmp_path / ".hydra")
            if got is None or not got[0] or not got[1]:
                continue
            seen[0] += 1
            config_tag = got[0].split("tag: ")[1].strip()
            overrides_tag = got[1].split("+tag=")[1].strip()
            if config_tag != overrides_tag:
                mixed.append(got)

    def writer(tag: str) -> None:
        spec = _spec(tmp_path, tag)
        for _ in range(150):
            save_run_files(spec)

    save_run_files(_spec(tmp_path, "start"))
    threads = [threading.Thread(target=writer, args=(t,)) for t in ("aa", "bbb", "cccc")]
    watcher = threading.Thread(target=reader)
    watcher.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    watcher.join()
    assert seen[0] > 0
    assert mixed == []
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != ".hydra"]
    assert leftovers == []


# ---- bad settings and hostile file systems: one message, exit status 2 ------------------------


def _file(tmp_path: Path) -> str:
    (tmp_path / "afile").write_text("x")
    return "afile"


BAD = [
    pytest.param(
        ["-m", "+x=1,2", "hydra/launcher=processes", "hydra.launcher.n_jobs=abc"],
        "hydra.launcher.n_jobs: n_jobs must be an integer, not 'abc'",
        id="n_jobs-abc",
    ),
    pytest.param(
        ["-m", "+x=1,2", "hydra/launcher=joblib", "hydra.launcher.n_jobs=0"],
        "hydra.launcher.n_jobs: n_jobs=0 runs nothing",
        id="n_jobs-0",
    ),
    pytest.param(
        ["hydra.job_logging.handlers.file.filename=nodir/x.log"],
        "hydra.job_logging: invalid logging configuration: [Errno 2] No such file or directory",
        id="log-file-in-missing-dir",
    ),
    pytest.param(
        ["hydra.job.env_copy=[[1]]"],
        "hydra.job.env_copy[0]: an environment variable name must be a non-empty string",
        id="env_copy-list-item",
    ),
    pytest.param(
        ["hydra.job.env_copy=5"],
        "hydra.job.env_copy: must be a list of environment variable names",
        id="env_copy-not-a-list",
    ),
    pytest.param(
        ["hydra.job.chdir=true", "hydra.run.dir=afile/sub"],
        "hydra.run.dir: cannot create the output directory",
        id="chdir-under-a-file",
    ),
    pytest.param(
        ["hydra.run.dir=afile/x"],
        "a part of the path is a file, not a directory",
        id="run-dir-under-a-file",
    ),
    pytest.param(
        ["hydra.run.dir=afile"],
        "cannot create the output directory",
        id="run-dir-is-a-file",
    ),
    pytest.param(
        ["-m", "+x=1,2", "hydra.sweep.dir=afile/x"],
        "hydra.sweep.dir: cannot create the output directory",
        id="sweep-dir-under-a-file",
    ),
    pytest.param(
        ["hydra.run.dir=/proc/confcompose-test"],
        "hydra.run.dir: cannot create the output directory '/proc/confcompose-test'",
        id="run-dir-cannot-be-made",
    ),
    pytest.param(
        ["--experimental-rerun", "/etc/passwd"],
        "--experimental-rerun: '/etc/passwd' is not the saved config of a run",
        id="rerun-not-a-saved-config",
    ),
]


@pytest.mark.parametrize(("args", "message"), BAD)
def test_bad_setting_is_one_message(tmp_path: Path, args: list[str], message: str) -> None:
    _file(tmp_path)
    res = run_app(tmp_path, *args)
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr
    assert message in res.stderr
    # one message, last; only Hydra's own warnings (e.g. for --experimental-rerun) come before it
    errors = [line for line in res.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and res.stderr.splitlines()[-1] == errors[0], res.stderr
    assert jobs(res.stdout) == []


def test_env_copy_scalars_are_names_as_in_hydra(tmp_path: Path) -> None:
    # Hydra's env_copy is a List[str]: `[1]` copies the variable named "1".
    res = run_app(tmp_path, "hydra.job.env_copy=[1]", "hydra.run.dir=out", extra_env={"1": "v"})
    assert res.returncode == 0, res.stderr
    assert "'1': v" in (tmp_path / "out" / ".hydra" / "hydra.yaml").read_text()


def _in_tmpfs(options: str) -> tuple[str, ...]:
    """A command prefix that runs the app with a fresh tmpfs mounted on ./fs (private mount
    namespace, gone with the process); skips the test where that is not allowed."""
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare(1)")
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", f"mount -t tmpfs -o {options} tmpfs /mnt"],
        capture_output=True,
    )
    if probe.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root or user namespaces)")
    return ("unshare", "-m", "sh", "-c", f'mount -t tmpfs -o {options} tmpfs fs && exec "$@"', "-")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param(
            "ro,size=64k",
            "hydra.run.dir: cannot create the output directory",
            id="read-only",
        ),
        pytest.param(
            "size=4k",
            "hydra.output_subdir: cannot write the run's files in",
            id="full",
        ),
    ],
)
def test_hostile_file_system(tmp_path: Path, options: str, message: str) -> None:
    prefix = _in_tmpfs(options)
    (tmp_path / "fs").mkdir()
    res = run_app(tmp_path, "hydra.run.dir=fs/run", prefix=prefix)
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr
    assert message in res.stderr
    reason = "read-only" if "ro," in options else "no space left on device"
    assert reason in res.stderr


def test_chdir_into_a_missing_dir_is_one_message(tmp_path: Path) -> None:
    from confcompose.app.runs import _chdir

    with pytest.raises(confcompose.ConfigError) as info:
        _chdir(str(tmp_path / "gone"))
    assert str(info.value) == (
        f"hydra.job.chdir: cannot change into the output directory {str(tmp_path / 'gone')!r}: "
        "no such file or directory"
    )
