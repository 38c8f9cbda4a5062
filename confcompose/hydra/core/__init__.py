"""``hydra.core``: the config store, ``HydraConfig``, ``GlobalHydra`` and job results."""
