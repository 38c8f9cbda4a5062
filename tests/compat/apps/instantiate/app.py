"""hydra.utils.instantiate / call / get_class / get_method: objects, partials, recursion."""

import hydra
from hydra.utils import call, get_class, get_method, instantiate
from omegaconf import DictConfig


@hydra.main(version_base=None, config_path="conf", config_name="config")
def my_app(cfg: DictConfig) -> None:
    trainer = instantiate(cfg.trainer)
    print("trainer:", trainer)
    opt_factory = instantiate(cfg.optimizer)
    print("partial:", opt_factory(params=[1, 2]))
    shallow = instantiate(cfg.trainer, _recursive_=False)
    print("not recursive:", isinstance(shallow.optimizer, DictConfig))
    print("call:", call(cfg.area, width=3))
    print("args:", instantiate(cfg.point))
    as_dict = instantiate(cfg.plain, _convert_="all")
    print("converted:", type(as_dict.values).__name__, as_dict.values)
    print("class:", get_class("objects.Optimizer").__name__)
    print("method:", get_method("objects.area")(2, 5))


if __name__ == "__main__":
    my_app()
