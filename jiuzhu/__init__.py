"""jiuzhu (救助): run a county's social-assistance joint meeting from a YAML registry."""

__version__ = "0.1.0"
