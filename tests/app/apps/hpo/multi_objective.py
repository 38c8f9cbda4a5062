"""The Binh and Korn function: two competing objectives of (x, y)."""

import confcompose


@confcompose.main(config_path="conf", config_name="mo")
def binh_and_korn(cfg):
    x, y = cfg.x, cfg.y
    return 4 * x**2 + 4 * y**2, (x - 5) ** 2 + (y - 5) ** 2


if __name__ == "__main__":
    binh_and_korn()
