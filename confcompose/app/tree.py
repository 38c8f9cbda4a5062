"""What the search path holds: config groups and their options (for help and completion)."""

from __future__ import annotations

from typing import Any


def group_options(search_path: Any) -> dict[str, list[str]]:
    """``{"db": ["mysql", "postgresql"], "hydra/launcher": [...], ...}`` over every repository."""
    groups: dict[str, set[str]] = {}
    for repo in search_path.repositories:
        subgroups = getattr(repo, "subgroups", None)
        if subgroups is None:  # a store: only groups reachable by name
            continue
        todo = list(subgroups(""))
        while todo:
            group = todo.pop()
            groups.setdefault(group, set()).update(repo.options(group))
            todo.extend(f"{group}/{sub}" for sub in subgroups(group))
    return {g: sorted(opts) for g, opts in sorted(groups.items()) if opts}


def format_groups(groups: dict[str, list[str]], hydra: bool) -> str:
    """``db: mysql, postgresql`` lines for the app's groups (or for ``hydra/...`` groups)."""
    lines = [
        f"{group}: {', '.join(options)}"
        for group, options in groups.items()
        if group.startswith("hydra/") == hydra and group != "hydra"
    ]
    return "\n".join(lines)
