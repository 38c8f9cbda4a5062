"""Command-line flags of a ``@confcompose.main`` app (hydra-core's set, plus ``--launcher``)."""

from __future__ import annotations

from types import SimpleNamespace

from confcompose import ConfigError
from confcompose.parsing.overrides import override_key

TYPE_CHECKING = False  # keep the typing module off the start-up path
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from typing import Any, NoReturn

INFO_CHOICES = ("all", "config", "defaults", "defaults-tree", "searchpath")

# Every flag's value when it is absent: what app_parser's parse of a flag-free command line
# gives (tests/app/test_args.py checks that they agree).
FLAG_DEFAULTS: dict[str, Any] = {
    "help": False,
    "hydra_help": False,
    "version": False,
    "cfg": None,
    "resolve": False,
    "package": None,
    "run": False,
    "multirun": False,
    "shell_completion": False,
    "config_path": None,
    "config_name": None,
    "config_dir": None,
    "experimental_rerun": None,
    "info": None,
    "launcher": None,
    "resume": None,
    "fail_fast": False,
}


class UsageError(ConfigError):
    """A malformed command line (unknown flag, missing flag value)."""


def _parser(prog: str) -> argparse.ArgumentParser:
    # Imported here: argparse (with gettext) is not needed by an overrides-only command line.
    import argparse

    class Parser(argparse.ArgumentParser):
        # argparse would print and sys.exit itself; the CLI layer decides how to exit instead.
        def error(self, message: str) -> NoReturn:
            raise UsageError(f"{self.prog}: {message}")

    return Parser(prog=prog, add_help=False, allow_abbrev=False)


def app_parser(prog: str) -> argparse.ArgumentParser:
    """The parser for an app's command line; ``overrides`` collects the rest."""
    p = _parser(prog)
    p.add_argument("overrides", nargs="*", help="Any key=value arguments to override config values")
    p.add_argument("--help", "-h", action="store_true", help="Application's help")
    p.add_argument("--hydra-help", action="store_true", help="Help about the framework's options")
    p.add_argument("--version", action="store_true", help="Show the version and exit")
    p.add_argument(
        "--cfg", "-c", choices=["job", "hydra", "all"], help="Show config instead of running"
    )
    p.add_argument("--resolve", action="store_true", help="Resolve interpolations with --cfg")
    p.add_argument("--package", "-p", help="Config package to show (with --cfg)")
    p.add_argument("--run", "-r", action="store_true", help="Run a job (the default)")
    p.add_argument("--multirun", "-m", action="store_true", help="Run one job per sweep point")
    p.add_argument(
        "--shell-completion",
        "-sc",
        action="store_true",
        help="Install or uninstall shell completion: -sc install=bash|zsh|fish",
    )
    p.add_argument("--config-path", "-cp", help="Overrides the config_path of @main")
    p.add_argument("--config-name", "-cn", help="Overrides the config_name of @main")
    p.add_argument("--config-dir", "-cd", help="Adds a config directory to the search path")
    p.add_argument("--experimental-rerun", help="Rerun a job from a saved .hydra/config.yaml")
    p.add_argument(
        "--info",
        "-i",
        const="all",
        nargs="?",
        choices=INFO_CHOICES,
        help="Print information about the composition",
    )
    p.add_argument("--launcher", help="Launcher for -m: basic, processes, submitit, ray, ...")
    p.add_argument(
        "--resume",
        metavar="SWEEP_DIR",
        help="Rerun the jobs of a multirun that failed or never ran (implies -m)",
    )
    p.add_argument(
        "--fail-fast", action="store_true", help="With -m: launch no new job after a failure"
    )
    return p


def parse_app_args(prog: str, argv: Sequence[str]) -> argparse.Namespace | SimpleNamespace:
    """Parse ``argv``; raise :class:`UsageError` for a bad command line.

    >>> parse_app_args("app.py", ["db=mysql"]).overrides
    ['db=mysql']
    """
    argv = list(argv)
    if not any(arg.startswith("-") for arg in argv):
        # Only overrides (the common `python app.py a=1 b=2`): building the argparse parser
        # imports gettext, locale and shutil and costs ~8 ms of every run; the answer is known.
        return SimpleNamespace(overrides=argv, **FLAG_DEFAULTS)
    # Overrides may come before and after flags (`-m a=1,2 --launcher processes b=3`).
    return app_parser(prog).parse_intermixed_args(argv)


def flags_help(prog: str) -> str:
    """The flags section of ``--help`` (argparse's rendering, without the usage line)."""
    text = app_parser(prog).format_help()
    return text.split("\n\n", 1)[1].rstrip() if "\n\n" in text else text


def is_hydra_key(text: str) -> bool:
    """Whether an override addresses the ``hydra`` section (``hydra.x=1``, ``hydra/launcher=y``).

    >>> is_hydra_key("hydra/launcher=processes"), is_hydra_key("+hydra.job.chdir=true")
    (True, True)
    >>> is_hydra_key("hydrant=1")
    False
    """
    key = override_key(text)
    return key == "hydra" or key.startswith(("hydra.", "hydra/"))
