"""Choosing the interface language: the user's switch, their profile, then the browser."""

from __future__ import annotations

from flask import current_app, request, session
from flask_login import current_user

LANGUAGE_NAMES = {"en": "English", "zh_CN": "简体中文"}


def normalise(tag: str | None) -> str | None:
    """Map a browser or user tag to a supported locale: ``zh-Hans-CN`` → ``zh_CN``."""
    if not tag:
        return None
    tag = tag.replace("-", "_")
    if tag in current_app.config["LANGUAGES"]:
        return tag
    if tag.lower().startswith("zh"):
        return "zh_CN"
    if tag.lower().startswith("en"):
        return "en"
    return None


def select_locale() -> str:
    chosen = normalise(session.get("lang"))
    if chosen:
        return chosen
    if current_user and current_user.is_authenticated:
        chosen = normalise(current_user.locale)
        if chosen:
            return chosen
    for tag, _quality in request.accept_languages:
        chosen = normalise(tag)
        if chosen:
            return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]
