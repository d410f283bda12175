"""The easy-read checker behind `said prompts check` and the staff console's message check."""

from __future__ import annotations

from bot.content.easyread.check import check_pack, check_paths, check_text
from bot.content.easyread.findings import Finding

__all__ = ["Finding", "check_pack", "check_paths", "check_text"]
