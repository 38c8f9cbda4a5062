"""``hydra.experimental``: the ``Callback`` base class."""
