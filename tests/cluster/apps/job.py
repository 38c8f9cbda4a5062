"""Cluster test app: each job returns where it ran; one can fail or sleep on purpose.

Run as ``python job.py -m x=1,2,3 ...``: prints one ``RESULT {json}`` line per job (its status and
return value as the launcher brought them back) and exits 1 when a job failed.
"""

import json
import logging
import os
import socket
import sys
import time

import confcompose

log = logging.getLogger(__name__)


@confcompose.main(config_path="conf", config_name="config", standalone=False)
def job(cfg):
    """Report the job's scheduler ids, process and timing."""
    start = time.time()
    log.info("job x=%s", cfg.x)
    if cfg.fail_on is not None and cfg.x == cfg.fail_on:
        raise ValueError(f"failing on purpose for x={cfg.x}")
    if cfg.exit_on is not None and cfg.x == cfg.exit_on:
        os._exit(3)  # the process dies without a word, as on a segfault or the OOM killer
    if cfg.sleep and (cfg.sleep_on is None or cfg.x == cfg.sleep_on):
        time.sleep(cfg.sleep)
    ray_node = None
    if "ray" in sys.modules:
        import ray

        if ray.is_initialized():
            ray_node = ray.get_runtime_context().get_node_id()
    return {
        "x": cfg.x,
        "slurm_job_id": os.environ.get("SLURM_JOB_ID"),
        "slurm_array": os.environ.get("SLURM_ARRAY_JOB_ID"),
        "slurm_task": os.environ.get("SLURM_ARRAY_TASK_ID"),
        "ray_node": ray_node,
        "setup_env": os.environ.get("CC_SETUP"),
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "output_dir": confcompose.runtime().output_dir,
        "cwd": os.getcwd(),
        "start": start,
        "end": time.time(),
    }


if __name__ == "__main__":
    try:
        results = job(argv=sys.argv[1:])
    except confcompose.ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
    for r in results:
        print(
            "RESULT "
            + json.dumps(
                {
                    "num": r.num,
                    "status": r.status,
                    "value": r.return_value,
                    "error": None if r.error is None else f"{type(r.error).__name__}: {r.error}",
                    "traceback": r.traceback,
                }
            ),
            flush=True,
        )
    sys.exit(1 if results.failed else 0)
