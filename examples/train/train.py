import confcompose
from confcompose import DictConfig


@confcompose.main(version_base=None, config_path="config", config_name="config")
def main(cfg: DictConfig):
    print("Configuration:", cfg)
    # Access values
    dataset = cfg.dataset.name
    batch_size = cfg.dataset.batch_size
    model_name = cfg.model.name
    learning_rate = cfg.model.learning_rate

    print(f"Training {model_name} on {dataset} with batch size {batch_size} and LR {learning_rate}")

    # Use these values in your PyTorch training pipeline
    # Example:
    # train_model(model_name, dataset, batch_size, learning_rate)


if __name__ == "__main__":
    main()
