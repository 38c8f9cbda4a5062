import confcompose
from confcompose import DictConfig


@confcompose.main(version_base=None, config_path="conf", config_name="config")
def my_app(cfg: DictConfig) -> None:
    print(confcompose.to_yaml(cfg))


if __name__ == "__main__":
    my_app()
