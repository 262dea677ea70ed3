"""Importing this package registers every indicator (reporting.indicators.REGISTRY), section by section."""

from reporting.definitions import gardens, money, network, pathways, people  # noqa: F401
