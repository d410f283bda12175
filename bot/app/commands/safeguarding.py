"""`said safeguarding train`: teach the second opinion the messages in a prompts folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.content.packs.yamlfile import SHIPPED_PROMPTS


def register(sub: Any) -> None:
    safeguarding = sub.add_parser("safeguarding", help="risk detection")
    commands = safeguarding.add_subparsers(dest="safeguarding_command", required=True)
    train = commands.add_parser(
        "train", help="train the second opinion on <prompts>/safeguarding/messages and the lists' examples"
    )
    train.add_argument("--prompts", type=Path, default=SHIPPED_PROMPTS, help="prompts folder (default: shipped)")
    train.set_defaults(handler=_train)


def _train(args: argparse.Namespace) -> int:
    from bot.safeguarding.training import write_model

    try:
        path, messages, features = write_model(Path(args.prompts))
    except (ValueError, RuntimeError) as error:
        print(f"said: {error}", file=sys.stderr)
        return 2
    print(f"Trained on {messages} messages ({features} features); wrote {path}.")
    return 0
