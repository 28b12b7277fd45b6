"""The report's rates: pass, placement and satisfaction rates, averages, changes."""

from __future__ import annotations


def rate(numerator: float, denominator: float) -> float | None:
    """A fraction between 0 and 1, or None when there is nothing to divide by."""
    if not denominator:
        return None
    return numerator / denominator


def pass_rate(passed: int, takers: int) -> float | None:
    """Passed ÷ exam takers."""
    return rate(passed, takers)


def placement_rate(placed: int, certified: int) -> float | None:
    """Placed ÷ certified in the year."""
    return rate(placed, certified)


def is_satisfied(rating: int) -> bool:
    """A rating of 4 or 5 counts as satisfied."""
    return rating >= 4


def satisfaction_rate(ratings: list[int]) -> float | None:
    """Share of feedback rated 4 or 5."""
    return rate(sum(1 for r in ratings if is_satisfied(r)), len(ratings))


def average(values: list[float]) -> float | None:
    """Arithmetic mean, or None for no values."""
    return rate(sum(values), len(values))


def change(current: float | None, previous: float | None) -> float | None:
    """Year-over-year difference (current − previous), None when either is unknown."""
    if current is None or previous is None:
        return None
    return current - previous
