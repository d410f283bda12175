"""Channel budgets (errors for questions, warnings for intro and outro; every language).

`sms-budget`: a question as sent by SMS, numbered choices and hint included, fits one segment; the
opening (intro, privacy sentence and consent question) fits two. SMS goes out as plain GSM-7 by
default, so that is what is priced; the message also says what it would cost with symbols turned on
(SAID_SMS_SYMBOLS), since one emoji makes the whole text UCS-2, 67 characters a segment instead of 153.

`ivr-budget`: spoken, a question and its choices are about 25 words at most: a listener has to hold
them all in mind before pressing a key. The fixed words ("press 1") are not counted.

`telegram-button`: a button label, emoji included, fits 20 characters before Telegram cuts it.

    How was your visit? / 1 Very good / … / 6 Don't know / Reply 1, 2, 3, 4, 5 or 6.
    -> as an SMS it costs 2 segments, the most is 1 (170 characters in GSM-7)
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
    symbols = sms_cost(render_sms(reply, plain=False))
    advice = "use fewer or shorter words"
    if symbols.segments > cost.segments:
        advice += f"; with symbols on (SAID_SMS_SYMBOLS) it would cost {symbols.segments}"
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
