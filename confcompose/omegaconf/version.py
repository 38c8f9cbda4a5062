"""The omegaconf version this facade mirrors (libraries compare ``omegaconf.__version__``)."""

__version__ = "2.3.0"
