"""A 2-D quadratic, minimized at (0, 0); fails for the x values listed in $HPO_FAIL_X."""

import os

import confcompose


@confcompose.main(config_path="conf", config_name="sphere")
def sphere(cfg):
    failing = [float(v) for v in os.environ.get("HPO_FAIL_X", "").split(",") if v]
    if float(cfg.x) in failing:
        raise RuntimeError(f"x={cfg.x} is on the failing list")
    return float(cfg.x) ** 2 + float(cfg.y) ** 2


if __name__ == "__main__":
    sphere()
