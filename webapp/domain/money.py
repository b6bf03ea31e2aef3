"""Money arithmetic: the one rounding rule and the exact split.

Every amount Parley shows or stores is a ``Decimal`` rounded *half-up* to the
cent by :func:`cents`. Babel formats half-even, so the edge must call
:func:`cents` before formatting (``webapp.filters`` does).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def cents(value: Decimal | int | str) -> Decimal:
    """Round to the cent, half-up: the only rounding rule in Parley."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def split_largest_remainder(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split ``total`` (in cents) in proportion to ``weights`` so the parts sum exactly.

    Each part is first rounded down to the cent; the cents left over go one at a
    time to the parts with the largest remainders (ties: earlier position first).
    Zero weights get zero. If every weight is zero the total is split equally.
    """
    total = cents(total)
    if not weights:
        return []
    if any(w < 0 for w in weights):
        raise ValueError("weights must be >= 0")
    weight_sum = sum(weights, Decimal(0))
    if weight_sum == 0:
        weights = [Decimal(1)] * len(weights)
        weight_sum = Decimal(len(weights))
    exact = [total * w / weight_sum for w in weights]
    floors = [e.quantize(CENT, rounding=ROUND_DOWN) for e in exact]
    left = int((total - sum(floors, Decimal(0))) / CENT)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += CENT
    return floors
