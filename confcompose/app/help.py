"""``--help``, ``--hydra-help`` and ``--info`` texts of an app."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import confcompose
from confcompose.app.args import flags_help
from confcompose.app.tree import format_groups, group_options

if TYPE_CHECKING:
    from confcompose.app.main import Session


def app_help(session: Session, hydra: bool = False) -> str:
    """The app's help: ``hydra.help.template`` (or ``hydra_help``) with its placeholders filled."""
    plain = [o for o in session.overrides if "," not in o]
    job, node, _, _ = session.compose(plain, "RUN", launching=False)
    key = "hydra_help.template" if hydra else "help.template"
    template = str(confcompose.select(node, key))
    groups = group_options(session.composer.search_path)
    if not session.app.doc:
        template = template.replace("$APP_DOC\n", "")
    # Rendered as Hydra renders it (custom help templates come out the same): the group
    # lines and the config keep their final newlines, and the text is printed with one more.
    values = {
        "$FLAGS_HELP": flags_help(session.app.job_name + ".py"),
        "$APP_CONFIG_GROUPS": _lines(format_groups(groups, hydra=False)),
        "$HYDRA_CONFIG_GROUPS": _lines(format_groups(groups, hydra=True)),
        "$CONFIG": confcompose.to_yaml(job),
        "$APP_DOC": session.app.doc + "\n" if session.app.doc else "",
    }
    for placeholder, value in values.items():
        template = template.replace(placeholder, value)
    return template + "\n"


def _lines(text: str) -> str:
    return text + "\n" if text else ""


def _search_path(session: Session) -> str:
    rows = [("Provider", "Search path")]
    for source in session.sources():
        rows.append((source["provider"], f"{source['schema']}://{source['path']}"))
    width = max(len(r[0]) for r in rows)
    return "Config search path\n" + "\n".join(f"  {a:<{width}}  {b}" for a, b in rows)


def info(session: Session, overrides: list[str], what: str) -> str:
    """``--info [all|config|defaults|defaults-tree|searchpath]``."""
    sections: list[str] = []
    if what == "all":
        sections.append(f"confcompose {confcompose.__version__}")
    if what in ("all", "searchpath"):
        sections.append(_search_path(session))
    if what in ("all", "defaults", "defaults-tree"):
        tree: Any = session.composer.defaults_tree(overrides, session.config_name)
        sections.append(tree.format())
    if what in ("all", "config"):
        job = session.compose(overrides, "RUN", launching=False).job
        sections.append("Config\n" + confcompose.to_yaml(job).rstrip())
    return "\n\n".join(sections) + "\n"
