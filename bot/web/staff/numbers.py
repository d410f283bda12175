"""Numbers as staff read them: "1,234", "fewer than 5", "38%"."""

from __future__ import annotations

from bot.web.staff.suppression import Figure


def count_words(figure: Figure, threshold: int) -> str:
    return f"{figure.value:,}" if figure.shown else f"fewer than {threshold}"


def percent_words(percent: float | None) -> str:
    """A whole-number percentage; "under 1%" rather than a misleading 0%; "not shown" when hidden."""
    if percent is None:
        return "not shown"
    if 0 < percent < 1:
        return "under 1%"
    return f"{round(percent)}%"
