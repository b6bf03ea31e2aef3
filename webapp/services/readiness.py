"""What ``/readyz`` checks: the database, each Redis the configuration names, and
the upload store when it is a network one (``UPLOAD_STORE=s3://...``)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import current_app
from sqlalchemy import text

from ..extensions import db

log = logging.getLogger(__name__)


def _database() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception as exc:  # any driver error means "not ready"
        db.session.rollback()
        log.warning("readiness: database check failed (%s)", type(exc).__name__)
        return False


def _redis(url: str) -> bool:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception as exc:  # connection refused, timeout, bad auth...
        log.warning("readiness: redis check failed (%s)", type(exc).__name__)
        return False


def redis_urls(config: Mapping[str, Any]) -> dict[str, str]:
    """The Redis servers this configuration uses, by what they are for."""
    urls = {}
    if config.get("REDIS_URL"):
        urls["queue"] = config["REDIS_URL"]
    storage = str(config.get("RATELIMIT_STORAGE_URI", ""))
    if config.get("RATELIMIT_ENABLED", True) and storage.startswith(("redis://", "rediss://")):
        urls["rate_limits"] = storage
    return urls


def checks(config: Mapping[str, Any]) -> dict[str, bool]:
    """``{"database": True, "queue": False, "uploads": True, ...}``."""
    results = {"database": _database()}
    for name, url in redis_urls(config).items():
        results[name] = _redis(url)
    store = current_app.extensions.get("parley_storage")
    if hasattr(store, "reachable"):  # S3; a local folder has nothing to reach
        results["uploads"] = store.reachable()
    return results
