"""Four dimensions: x and y from the config's params, z and w suggested in Python."""

import confcompose


@confcompose.main(config_path="conf", config_name="custom")
def four_d_sphere(cfg):
    return cfg.w**2 + cfg.x**2 + cfg.y**2 + cfg.z**2


def configure(cfg, trial):
    """Keep z within max_z_difference_from_x of x; w is a new key (hence the +)."""
    x = trial.params["x"]
    spread = cfg.max_z_difference_from_x
    trial.suggest_float("z", x - spread, x + spread)
    trial.suggest_float("+w", 0.0, 1.0)


if __name__ == "__main__":
    four_d_sphere()
