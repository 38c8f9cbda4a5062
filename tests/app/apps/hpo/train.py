"""A stand-in for a training script: the "accuracy" peaks at lr=0.01 and small batches."""

import math

import confcompose


@confcompose.main(version_base="1.3", config_path="conf", config_name="train")
def train(cfg):
    lr = cfg.model.optimizer.lr
    return 1 - abs(math.log10(lr) + 2) / 10 - cfg.model.batch_size / 1000


if __name__ == "__main__":
    train()
