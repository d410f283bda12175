"""Canned replies staff can choose in the inbox and change before sending (`prompts/inbox/replies.yaml`).

    replies = CannedReplies.load(prompts_dir)
    replies.get("call_when").text("cy")      # the Welsh, or the English when there is no Welsh
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content.packs.yamlfile import SHIPPED_PROMPTS, read_yaml

FILE = Path("inbox") / "replies.yaml"
FALLBACK = "en"
LONGEST_LABEL = 80


@dataclass(frozen=True, slots=True)
class CannedReply:
    id: str
    label: str
    texts: dict[str, str]

    def text(self, language: str | None) -> str:
        return self.texts.get(language or FALLBACK) or self.texts[FALLBACK]


@dataclass(frozen=True)
class CannedReplies:
    replies: tuple[CannedReply, ...]

    @classmethod
    def load(cls, directory: Path | None = None) -> CannedReplies:
        """A deployment's own file when it has one, otherwise the shipped replies."""
        path = Path(directory) / FILE if directory is not None else None
        if path is None or not path.exists():
            path = SHIPPED_PROMPTS / FILE
        return cls.from_data(read_yaml(path), str(path))

    @classmethod
    def from_data(cls, data: Any, source: str = "replies.yaml") -> CannedReplies:
        """Raises ValueError naming the file and reply for anything a staff page could not show."""
        if not isinstance(data, dict) or not isinstance(data.get("replies"), list):
            raise ValueError(f"{source}: should have a 'replies' list")
        found: list[CannedReply] = []
        for n, item in enumerate(data["replies"], start=1):
            if not isinstance(item, dict):
                raise ValueError(f"{source}: reply {n} should be a mapping with id, label and en")
            reply_id, label = item.get("id"), item.get("label")
            if not isinstance(reply_id, str) or not reply_id.replace("_", "").isalnum():
                raise ValueError(f"{source}: reply {n} needs an id of letters, digits and _")
            if not isinstance(label, str) or not label.strip() or len(label) > LONGEST_LABEL:
                raise ValueError(f"{source}: reply {reply_id} needs a label of 1 to {LONGEST_LABEL} characters")
            texts = {
                str(k): " ".join(str(v).split()) for k, v in item.items()
                if k not in ("id", "label") and isinstance(v, str) and v.strip()
            }
            if FALLBACK not in texts:
                raise ValueError(f"{source}: reply {reply_id} needs English ({FALLBACK})")
            if any(r.id == reply_id for r in found):
                raise ValueError(f"{source}: reply {reply_id} is there twice")
            found.append(CannedReply(reply_id, label.strip(), texts))
        return cls(tuple(found))

    def get(self, reply_id: str | None) -> CannedReply | None:
        return next((r for r in self.replies if r.id == reply_id), None)
