"""JSON API v1: stateless planning."""

from . import bp  # noqa: F401
