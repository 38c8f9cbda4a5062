"""The process boundary of a standalone ``@confcompose.main`` app: failures become exit statuses.

Exit statuses: 0 success, 1 a job (the user's function) failed, 2 bad input (command line,
overrides, configs; apps through ``confcompose.hydra`` use 1, as Hydra's do). Bad input prints
one short message; ``CONFCOMPOSE_FULL_ERROR=1`` adds the traceback. The ``confcompose`` command
(:mod:`confcompose.app.cli`) reports its errors the same way; the two modules are the only ones
that call ``sys.exit``. Kept apart from the command's parsers so an app's start loads only this.
"""

from __future__ import annotations

import os
import sys

from confcompose import ConfigError

TYPE_CHECKING = False  # keep the typing module off the start-up path
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, NoReturn

    from confcompose.app.main import App

__all__ = ["FULL_ERROR", "full_error", "report_config_error", "run_standalone"]

#: The environment variable that adds the traceback to a bad-input message.
FULL_ERROR = "CONFCOMPOSE_FULL_ERROR"


def full_error(verbose: bool = False) -> bool:
    """Whether errors show their traceback (``--verbose`` or ``CONFCOMPOSE_FULL_ERROR=1``)."""
    return verbose or os.environ.get(FULL_ERROR, "") not in ("", "0")


def report_config_error(e: ConfigError, verbose: bool, status: int = 2) -> NoReturn:
    """Print a bad-input error (one line, or the traceback) and exit with ``status``."""
    if full_error(verbose):
        import traceback

        traceback.print_exc()
    else:
        sys.stderr.write(f"error: {e}\n")
    sys.exit(status)


def run_standalone(app: App, argv: Sequence[str]) -> Any:
    """Run a decorated app for ``argv`` and turn failures into exit statuses."""
    from confcompose.app.runs import MultirunResult

    try:
        result = app.run(argv)
    except ConfigError as e:
        report_config_error(e, verbose=False, status=app.error_status)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception:
        import traceback

        sys.stderr.write(f"Error executing job with overrides: {list(argv)}\n")
        traceback.print_exc()
        sys.exit(1)
    if isinstance(result, MultirunResult) and result.failed:
        nums = ", ".join(f"#{r.num} ({' '.join(r.overrides)})" for r in result.failed)
        sys.stderr.write(f"error: {len(result.failed)} of {len(result)} jobs failed: {nums}\n")
        sys.exit(1)
    return result
