"""Probe app for the tests: prints what a job sees, fails when lr == fail_on."""

import json
import logging
import os

import confcompose

log = logging.getLogger(__name__)


@confcompose.main(config_path="conf", config_name="config")
def probe(cfg):
    """Probe: report the runtime of the job."""
    rt = confcompose.runtime()
    log.info("probe lr=%s", cfg.lr)
    if cfg.fail_on is not None and cfg.lr == cfg.fail_on:
        raise ValueError(f"failing on purpose for lr={cfg.lr}")
    info = {
        "name": cfg.name,
        "lr": cfg.lr,
        "driver": cfg.db.driver,
        "output_dir": rt.output_dir,
        "num": rt.num,
        "overrides": list(rt.overrides),
        "cwd": os.getcwd(),
        "abs": confcompose.to_absolute_path("data.csv"),
        "choice": rt.choices["db"],
    }
    print("PROBE " + json.dumps(info))
    return cfg.lr


if __name__ == "__main__":
    probe()
