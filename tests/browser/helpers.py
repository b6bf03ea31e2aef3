"""Shared values for the browser tests."""

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
