"""Server-rendered SVG chart data: total balance over time per strategy.

Only geometry is computed here; the template draws the SVG (no JavaScript, so
the strict CSP holds) and a table of the same figures for screen readers. The
labels are HTML beside the SVG, not SVG text: the SVG scales down to a phone's
width, and its text would shrink with it (12 px became 7 px at 390 px).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .domain.strategies.base import StrategyResult

WIDTH, HEIGHT = 640, 260
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 4, 4, 6, 6
#: One colour per strategy, distinguishable for the common colour blindnesses.
COLOURS = {
    "pro_rata": "#0072b2",
    "avalanche": "#d55e00",
    "snowball": "#009e73",
    "term_extension": "#cc79a7",
}
#: ...and a dash pattern, so lines that coincide stay visible.
DASHES = {"pro_rata": "", "avalanche": "10 5", "snowball": "3 4", "term_extension": "14 4 3 4"}


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    dash: str
    points: str  # "x,y x,y ..." for <polyline>
    #: the total balance at the start (month 0) and after each month
    values: list[Decimal]

    @property
    def months(self) -> int:
        return len(self.values) - 1

    def at(self, month: int) -> Decimal | None:
        """The balance after ``month`` months; None once this option has ended."""
        return self.values[month] if month <= self.months else None


@dataclass(frozen=True)
class BalanceChart:
    width: int
    height: int
    series: list[Series]
    top: Decimal
    months: int
    baseline: int

    @property
    def rows(self) -> list[int]:
        """Month offsets of the rows in the table alternative: the start, every
        year, and the month each option ends."""
        marks = set(range(0, self.months + 1, 12)) | {s.months for s in self.series}
        return sorted(marks)


def balance_chart(results: list[StrategyResult], opening: Decimal) -> BalanceChart | None:
    """The chart of every feasible strategy that has a monthly schedule."""
    totals: dict[str, list[Decimal]] = {}
    for result in results:
        if result.name not in COLOURS or not result.feasible or not result.schedule:
            continue
        months = result.schedule.months()
        if not months:
            continue
        totals[result.name] = [opening] + [sum(m.balances.values(), Decimal(0)) for m in months]
    if not totals or opening <= 0:
        return None
    longest = max(len(v) for v in totals.values()) - 1
    top = max(max(v) for v in totals.values())
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM

    def xy(k: int, value: Decimal) -> str:
        x = PAD_LEFT + plot_w * k / max(longest, 1)
        y = PAD_TOP + plot_h * (1 - value / top)
        return f"{x:.1f},{y:.1f}"

    series = [Series(name, COLOURS[name], DASHES[name],
                     " ".join(xy(k, v) for k, v in enumerate(values)), values)
              for name, values in totals.items()]
    return BalanceChart(WIDTH, HEIGHT, series, top, longest, HEIGHT - PAD_BOTTOM)


#: The parts of an agreement's bar: paid, overdue (part of what is still to pay)
#: and the rest still to pay, in colours told apart with the common colour
#: blindnesses, each also named in text beside the bar.
PROGRESS_COLOURS = {"paid": "#0072b2", "overdue": "#d55e00", "rest": "#dfe3eb"}


@dataclass(frozen=True)
class ProgressBar:
    """One agreement (or all of them) as a bar 100 units wide."""

    label: str
    total: Decimal
    paid: Decimal
    overdue: Decimal
    #: widths of the three parts (they add up to 100)
    paid_width: float  # float ok (drawing)
    overdue_width: float  # float ok (drawing)
    rest_width: float  # float ok (drawing)

    @property
    def percent(self) -> int:
        """The share of the total paid, in whole per cent (rounded down: 99 until paid)."""
        return int(100 * self.paid / self.total) if self.total > 0 else 100


def progress_bar(label: str, total: Decimal, paid: Decimal, overdue: Decimal) -> ProgressBar:
    """The bar of an agreement of ``total`` with ``paid`` of it paid and ``overdue`` late."""
    paid = min(paid, total)
    if total <= 0:
        return ProgressBar(label, total, paid, overdue, 100.0, 0.0, 0.0)
    # widths of the SVG bar in percent, not money: floats for the drawing only
    paid_w = round(float(100 * paid / total), 2)  # float ok
    overdue_w = round(min(float(100 * overdue / total), 100 - paid_w), 2)  # float ok
    return ProgressBar(label, total, paid, overdue, paid_w, overdue_w,
                       round(100 - paid_w - overdue_w, 2))


def progress_bars(rows, total_label: str) -> list[ProgressBar]:
    """One bar per agreement (``domain.agreements.Progress`` rows) and, with more
    than one, a last bar for all of them together."""
    bars = [progress_bar(r.creditor, r.agreement.total, r.agreement.paid, r.agreement.arrears)
            for r in rows]
    if len(bars) > 1:
        bars.append(progress_bar(total_label, sum((b.total for b in bars), Decimal(0)),
                                 sum((b.paid for b in bars), Decimal(0)),
                                 sum((b.overdue for b in bars), Decimal(0))))
    return bars
