"""The wheel ships the grammars and works when installed (not only from a checkout)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("build")
    src = tmp_path_factory.mktemp("src")
    # A clean copy: a stale build/ folder in the checkout must not leak into the wheel.
    for name in ("pyproject.toml", "README.md", "LICENSE", "confcompose", "grammar"):
        item = ROOT / name
        if item.is_dir():
            shutil.copytree(item, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif item.exists():
            shutil.copy(item, src / name)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(src),
        ],
        check=True,
        capture_output=True,
    )
    (whl,) = out.glob("*.whl")
    return whl


def test_wheel_members(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for member in (
        "confcompose/grammar/override.lark",
        "confcompose/grammar/interpolation.lark",
        "confcompose/grammar/__init__.py",
        "confcompose/py.typed",
        "confcompose/parsing/_lark.py",
    ):
        assert member in names
    assert not any(n.startswith("grammar/") for n in names)


def test_wheel_license_and_metadata(wheel: Path) -> None:
    import confcompose

    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        # setuptools >= 77 puts it in dist-info/licenses/, older ones in dist-info/
        (license_name,) = [
            n for n in names if n.endswith(".dist-info/LICENSE") or "/licenses/LICENSE" in n
        ]
        assert "MIT License" in zf.read(license_name).decode()
        (meta_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        meta = zf.read(meta_name).decode()
    assert f"Version: {confcompose.__version__}\n" in meta
    classifiers = {
        line.split(": ", 1)[1] for line in meta.splitlines() if line.startswith("Classifier: ")
    }
    for expected in (
        "License :: OSI Approved :: MIT License",
        "Operating System :: OS Independent",
        "Typing :: Typed",
        *(f"Programming Language :: Python :: 3.{minor}" for minor in (10, 11, 12, 13)),
    ):
        assert expected in classifiers


def test_every_package_is_shipped(wheel: Path) -> None:
    # setuptools' package list is explicit: a new subpackage left out of it would be missing
    # from the wheel although every test passes in the checkout.
    names = set(zipfile.ZipFile(wheel).namelist())
    for init in sorted((ROOT / "confcompose").rglob("__init__.py")):
        member = init.relative_to(ROOT).as_posix()
        assert member in names, f"{member} is not in the wheel: add it to pyproject.toml"


def test_installed_wheel_parses(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    py = env_dir / "bin" / "python"
    site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    # The runtime dependencies come from this interpreter's environment; a plain path entry
    # (not its .pth files) so the checkout's editable install stays out of sight.
    import lark
    import ruamel.yaml

    dep_dirs = {
        str(Path(m.__file__).resolve().parents[n]) for m, n in ((lark, 1), (ruamel.yaml, 2))
    }
    Path(site, "deps.pth").write_text("\n".join(sorted(dep_dirs)) + "\n")
    code = (
        "import confcompose, sys\n"
        "assert 'site-packages' in confcompose.__file__, confcompose.__file__\n"
        "from confcompose.parsing.overrides import parse_override\n"
        "assert parse_override('a.b=[1,{c: 2}]').value == [1, {'c': 2}]\n"
        "c = confcompose.create({'a': 1, 'b': 'x_${oc.select:a,0}'})\n"
        "assert c.b == 'x_1'\n"
        "print('ok')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [str(py), "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
