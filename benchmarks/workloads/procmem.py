"""Memory readings of this process, shared by the scripts the runner starts (`memory.py`,
`sweep_stream.py`), which import it as a sibling module."""

from __future__ import annotations

import resource


def peak_rss_mb() -> float:
    """This process's own RSS high-water mark (``VmHWM``), in MiB.

    Not ``ru_maxrss``: Linux carries it over ``exec``, so a child of a large parent (the
    benchmark runner after its big workloads) starts with the parent's peak, and every library
    showed the same ~90 MB.
    """
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: the best there is


def rss_mb() -> float:
    """This process's RSS now, in MiB (the peak where ``/proc`` is missing)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * resource.getpagesize() / 2**20
    except OSError:
        return peak_rss_mb()
