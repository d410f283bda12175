"""Channel budgets (errors for questions, warnings for intro and outro; every language).

`sms-budget`: a question as sent by SMS, emoji and numbered choices included, fits 2 segments. An
emoji (or a curly quote, or Welsh "ŵ") makes the whole text UCS-2, 67 characters a segment instead
of 153; the message names those characters and what the plain GSM-7 variant would cost.

`ivr-budget`: spoken, a question and its choices are about 25 words at most: a listener has to hold
them all in mind before pressing a key. The fixed words ("press 1") are not counted.

`telegram-button`: a button label, emoji included, fits 20 characters before Telegram cuts it.

    How was your visit? ⭐ / 1 😀 Very good / … / 6 ❓ Don't know
    -> as an SMS it costs 3 segments (UCS-2 because of ⭐, 😀, …), the most is 2
"""

from __future__ import annotations

import regex

from bot.content.easyread.findings import ERROR, WARNING, Problem, Severity
from bot.content.easyread.words import word_count
from bot.messages import Ask, Outbound, Reply, Say
from channels.segments import sms_cost
from channels.twilio_sms.render import render_sms

SHOWN_CHARACTERS = 6


def sms(messages: tuple[Outbound, ...], most: int, severity: Severity = ERROR) -> Problem | None:
    """The cost of one reply's messages sent together as one SMS, as the SMS channel renders them."""
    reply = Reply(messages=messages)
    cost = sms_cost(render_sms(reply))
    if cost.segments <= most:
        return None
    text = f"as an SMS it costs {cost.segments} segments, the most is {most}"
    text += f" ({cost.characters} characters in {cost.encoding}"
    if cost.ucs2_characters:
        shown = ", ".join(cost.ucs2_characters[:SHOWN_CHARACTERS])
        more = "…" if len(cost.ucs2_characters) > SHOWN_CHARACTERS else ""
        text += f", forced by {shown}{more}"
    text += ")"
    plain = sms_cost(render_sms(reply, plain=True))
    advice = "use fewer or shorter words"
    if 0 < plain.segments < cost.segments:
        advice += f"; the plain GSM-7 variant without emoji costs {plain.segments}"
    return Problem("sms-budget", severity, text, advice)


def sms_text(text: str, most: int) -> Problem | None:
    """The budget for free text sent as it is, such as a staff broadcast."""
    return sms((Say(text=text),), most)


def ivr(message: Outbound, most: int, severity: Severity = ERROR) -> Problem | None:
    choices = message.choices if isinstance(message, Ask) else ()
    count = word_count(message.text) + sum(word_count(choice.label) for choice in choices)
    if count <= most:
        return None
    return Problem(
        "ivr-budget",
        severity,
        f"spoken, it is {count} words{' with its choices' if choices else ''}, the most is about {most}",
        "use fewer words; on the phone people must remember it all before they press a key",
    )


def telegram_button(label: str, emoji: str, most: int) -> Problem | None:
    shown = f"{emoji} {label}".strip()
    length = len(regex.findall(r"\X", shown))
    if length <= most:
        return None
    return Problem(
        "telegram-button",
        ERROR,
        f'the button "{shown}" has {length} characters, the most is {most}',
        "use a shorter label",
    )


def severity_for(asking: bool) -> Severity:
    """Questions must fit; a long intro or outro costs money but does not stop anyone answering."""
    return ERROR if asking else WARNING
