"""The safeguarding data a conversation needs, read once from `prompts/`.

    safeguarding = load_safeguarding(settings.prompts_dir)

Phrase lists: every shipped `prompts/safeguarding/*.yaml`, with a deployment's file of the same name
replacing the shipped one and new names adding a language. Signposting: the deployment's
`signposting.yaml` when there is one, else the shipped file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.content.packs.yamlfile import SHIPPED_PROMPTS
from bot.safeguarding.detect import Detector
from bot.safeguarding.signposting import Signposting


@dataclass(frozen=True)
class Safeguarding:
    detector: Detector
    signposting: Signposting


def load_safeguarding(directory: Path | None = None) -> Safeguarding:
    """Read (once per folder) the lists and signposting for a prompts folder, or the shipped ones."""
    folder = Path(directory).resolve() if directory is not None else SHIPPED_PROMPTS
    return _load(str(folder))


def shipped_safeguarding() -> Safeguarding:
    return _load(str(SHIPPED_PROMPTS))


@lru_cache(maxsize=8)
def _load(folder: str) -> Safeguarding:
    folders = [SHIPPED_PROMPTS] if Path(folder) == SHIPPED_PROMPTS else [SHIPPED_PROMPTS, Path(folder)]
    local = Path(folder) / "signposting.yaml"
    signposting = Signposting.load(local if local.exists() else SHIPPED_PROMPTS / "signposting.yaml")
    return Safeguarding(Detector.load(folders), signposting)
