"""A small valid pack to bend one rule at a time, written where `said prompts check` looks for packs."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

CHOICES_GOOD_OK_POOR = [
    {"value": "good", "label": {"en": "Good"}, "symbol": "happy"},
    {"value": "ok", "label": {"en": "OK"}, "symbol": "unsure"},
    {"value": "poor", "label": {"en": "Poor"}, "symbol": "unhappy"},
]
CHOICES_YES_SOMETIMES_NO = [
    {"value": "yes", "label": {"en": "Yes"}, "symbol": "yes"},
    {"value": "sometimes", "label": {"en": "Sometimes"}, "symbol": "unsure"},
    {"value": "no", "label": {"en": "No"}, "symbol": "no"},
]
BASE: dict[str, Any] = {
    "id": "sample",
    "version": 1,
    "audience": "parent_carer",
    "languages": ["en"],
    "title": {"en": "Tell us how we did"},
    "keywords": ["SAMPLE"],
    "symbol": "message",
    "intro": {
        "en": "Tell us what you think. We will not know who you are. If someone is in danger, we may need to act."
    },
    "consent": {"en": "Can we ask you 3 questions?"},
    "outro": {"en": "Thank you."},
    "questions": [
        {
            "id": "overall",
            "kind": "choice",
            "text": {"en": "How was your visit?"},
            "symbol": "star",
            "choices": CHOICES_GOOD_OK_POOR,
        },
        {
            "id": "listened",
            "kind": "choice",
            "text": {"en": "Did we listen to you?"},
            "symbol": "ear",
            "choices": CHOICES_YES_SOMETIMES_NO,
        },
        {
            "id": "hear_back",
            "kind": "yesno",
            "text": {"en": "Can we tell you what we did?"},
            "symbol": "message",
            "purpose": "hear_back",
        },
    ],
}

PackWriter = Callable[..., Path]


@pytest.fixture
def base_pack() -> dict[str, Any]:
    return copy.deepcopy(BASE)


@pytest.fixture
def write_pack(tmp_path: Path) -> PackWriter:
    """write_pack(data, name="sample") -> tmp/prompts/packs/<name>.yaml, one key per line."""

    def write(data: dict[str, Any], name: str = "sample") -> Path:
        folder = tmp_path / "prompts" / "packs"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.yaml"
        yaml = YAML()
        yaml.default_flow_style = False
        with path.open("w", encoding="utf-8") as handle:
            yaml.dump(data, handle)
        return path

    return write
