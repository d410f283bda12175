"""Numbers as staff read them: "1,234", "fewer than 5", "hidden", "38%"."""

from __future__ import annotations

from bot.web.staff.suppression import Figure


def count_words(figure: Figure, threshold: int) -> str:
    """A total: hidden totals are the ones from fewer than `threshold` people, so it says so; a group's
    total hidden only to protect another group says "hidden"."""
    if figure.shown:
        return f"{figure.value:,}"
    return f"fewer than {threshold}" if figure.value < threshold else "hidden"


def row_words(figure: Figure) -> str:
    """One answer's count. Every hidden one reads the same, "hidden", whether it was small itself or hidden
    to protect a small one: saying which would tell the small ones apart."""
    return f"{figure.value:,}" if figure.shown else "hidden"


def percent_words(percent: float | None) -> str:
    """A whole-number percentage; "under 1%" rather than a misleading 0%; "not shown" when hidden."""
    if percent is None:
        return "not shown"
    if 0 < percent < 1:
        return "under 1%"
    return f"{round(percent)}%"
