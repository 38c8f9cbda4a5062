"""Shell completion for apps: ``-sc install=bash|zsh|fish`` prints a script to ``eval``/source.

The script calls the app back with ``-sc query=SHELL`` and the command line in ``COMP_LINE``;
the app answers with candidates computed from the real config tree: flags, config keys
(``db.user=``), group names (``db=``) and group options (``db=postgresql``).
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from typing import TYPE_CHECKING, Any

import confcompose
from confcompose.app.args import UsageError, app_parser
from confcompose.app.tree import group_options
from confcompose.parsing.overrides import override_key, split_override
from confcompose.tree import content

if TYPE_CHECKING:
    from confcompose.app.main import Session

SHELLS = ("bash", "zsh", "fish")


def _program() -> tuple[str, str]:
    """The interpreter and the script path the app was started with."""
    script = os.path.abspath(sys.argv[0]) if sys.argv and sys.argv[0] else "app.py"
    return sys.executable, script


def _function_name(script: str) -> str:
    return "_confcompose_" + re.sub(r"\W", "_", os.path.basename(script))


def install_script(shell: str, python: str, script: str) -> str:
    """The completion script for ``shell`` (``eval "$(python app.py -sc install=bash)"``)."""
    fn = _function_name(script)
    name = os.path.basename(script)
    query = f"{shlex.quote(python)} {shlex.quote(script)} -sc query="
    if shell == "fish":
        return (
            f"function {fn}\n"
            f"    set -lx COMP_LINE (commandline -pc)\n"
            f"    {query}fish\n"
            f"end\n"
            f"complete -c {name} -f -a '({fn})'\n"
            f"complete -c python -f -n 'string match -q -- \"*{name}*\" (commandline -p)' "
            f"-a '({fn})'\n"
        )
    bash = (
        f"{fn}() {{\n"
        f"    local IFS=$'\\n'\n"
        f'    COMPREPLY=($(COMP_LINE="${{COMP_LINE:0:$COMP_POINT}}" {query}bash 2>/dev/null))\n'
        f"}}\n"
        f"complete -o nospace -F {fn} {name}\n"
        f"complete -o nospace -o default -F {fn} python\n"
    )
    if shell == "zsh":
        return "autoload -Uz bashcompinit && bashcompinit\n" + bash
    return bash


def uninstall_script(shell: str, script: str) -> str:
    """Undo :func:`install_script`."""
    name = os.path.basename(script)
    if shell == "fish":
        return f"complete -e -c {name}\n"
    return f"complete -r {name} python\n"


def _flags() -> list[str]:
    flags: list[str] = []
    for action in app_parser("app")._actions:
        flags.extend(o for o in action.option_strings if o.startswith("--"))
    return sorted(flags)


def _words(line: str) -> tuple[list[str], str]:
    """The words typed after the program, and the (possibly empty) word being completed."""
    try:
        words = shlex.split(line)
    except ValueError:  # an unclosed quote: complete on the raw text
        words = line.split()
    if line.endswith(" ") or not words:
        words.append("")
    # Drop "python" and the script, keep what follows.
    while words and (words[0].endswith(".py") or os.path.basename(words[0]).startswith("python")):
        words.pop(0)
    return words[:-1], words[-1] if words else ""


def _key_candidates(cfg: Any, word: str) -> list[str]:
    parent, _, partial = word.rpartition(".")
    node = confcompose.select(cfg, parent, default=None) if parent else cfg
    if not isinstance(node, confcompose.DictNode):
        return []
    prefix = parent + "." if parent else ""
    out = []
    for key in node:
        if not isinstance(key, str) or not key.startswith(partial):
            continue
        child = content(node)[key]  # raw: completing must not resolve ${...}
        out.append(prefix + key + ("." if isinstance(child, confcompose.DictNode) else "="))
    return out


def candidates(session: Session, line: str) -> list[str]:
    """Completions for the last word of ``line``."""
    before, word = _words(line)
    if word.startswith("-"):
        return [f for f in _flags() if f.startswith(word)]
    groups = group_options(session.composer.search_path)
    sign = word[: len(word) - len(word.lstrip("+~"))]
    body = word[len(sign) :]
    key, partial = split_override(body)
    if len(key) < len(body):  # past the '=' (a quoted key may hold one): complete the option
        options = groups.get(override_key(body), [])
        return [f"{sign}{key}={o}" for o in options if o.startswith(partial)]
    overrides = [w for w in before if "=" in w and not w.startswith("-") and "," not in w]
    try:
        job, hydra, _, _ = session.compose(overrides, "RUN", launching=False)
    except confcompose.ConfigError:
        job, hydra, _, _ = session.compose([], "RUN")
    cfg = confcompose.create({"hydra": hydra}) if body.startswith("hydra.") else job
    out = [sign + c for c in _key_candidates(cfg, body)]
    for group in groups:
        hydra_group = group.startswith("hydra/")
        if group != "hydra" and group.startswith(body) and hydra_group == body.startswith("hydra"):
            out.append(f"{sign}{group}=")
    return sorted(set(out))


def completion(session: Session, requests: list[str]) -> str:
    """Answer ``-sc install=SHELL``, ``-sc uninstall=SHELL`` or ``-sc query=SHELL``."""
    if len(requests) != 1 or "=" not in requests[0]:
        raise UsageError(
            "--shell-completion takes one of install=SHELL, uninstall=SHELL, query=SHELL",
            expected="SHELL one of " + ", ".join(SHELLS),
        )
    action, _, shell = requests[0].partition("=")
    if shell not in SHELLS or action not in ("install", "uninstall", "query"):
        raise UsageError(
            f"unsupported shell completion request {requests[0]!r}",
            expected="install=, uninstall= or query= with bash, zsh or fish",
        )
    python, script = _program()
    if action == "install":
        return install_script(shell, python, script)
    if action == "uninstall":
        return uninstall_script(shell, script)
    found = candidates(session, os.environ.get("COMP_LINE", ""))
    return "".join(c + "\n" for c in found)
