"""Parley's pure domain: budget rules, case files and the plan engine.

Nothing in this package imports Flask or SQLAlchemy (``tests/unit/test_purity.py``
proves it). Money is ``Decimal`` throughout, dates are ``datetime.date`` and
"today" is always a parameter.
"""
