"""One step of a phone call: what the caller pressed or said in, the TwiML to play next out.

    ring           → welcome ("a computer, not a person; no call is recorded"), office hours if closed,
                     then the phone pack's intro and consent question (or: carry on / start again)
    key 1..3       → the choice with that key, by value, for the question the key was offered for
    key 9 / 0      → REPEAT / SKIP;  key 8 → the next three choices;  *, # and others → "that key
                     does nothing here" and the question again
    speech         → sent as text, parsed like any typed answer; below the confidence threshold it is
                     read back first ("I heard, good. If that is right, press 1")
    "stop", "no more calls" → STOP, a short goodbye and the call ends
    silence        → the question again; twice → moving on (SKIP); two questions in a row → goodbye
    a reply with no question → goodbye and hang up; a finished pack adds what happens next

The conversation itself is the service's, like every channel's: `handle` is
`ConversationService.handle`, and each step's provider id is `<CallSid>:<step>`, so a replayed request
gets the same answer and is processed once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.messages import Ask, Channel, Inbound, Reply, Say
from channels.twilio_sms.signature import WebhookSigner
from channels.twilio_voice.callstate import CallState, Mode
from channels.twilio_voice.inbound import CallInput
from channels.twilio_voice.render import KEY_MORE, KEY_REPEAT, KEY_SKIP, SIDE_QUESTIONS, Prompt, prompt_for
from channels.twilio_voice.sealing import TranscriptSeal
from channels.twilio_voice.twiml import CallAnswer, VoiceStyle
from channels.twilio_voice.words import VoiceWords

log = logging.getLogger("said.voice")

VOICE_PATH = "/webhooks/twilio/voice"
ANSWER_PATH = f"{VOICE_PATH}/answer"
SILENCE_PATH = f"{VOICE_PATH}/silence"
SILENCES_BEFORE_MOVING_ON = 2
QUIET_MOVES_BEFORE_GOODBYE = 2

HandleInbound = Callable[[Channel, str, Inbound], Awaitable[Reply]]


@dataclass(frozen=True)
class CallerStatus:
    """What the line needs to know about a caller before the first word: from the database, by address."""

    stopped: bool = False  # they once said STOP
    unfinished: bool = False  # part way through the phone pack, recently enough to carry on
    language: str | None = None


async def _stranger(address: str) -> CallerStatus:
    return CallerStatus()


def _always_open(now: datetime, language: str) -> str | None:
    return None


def _never_stop(text: str) -> bool:
    return False


@dataclass(frozen=True)
class VoiceConfig:
    signer: WebhookSigner
    seal: TranscriptSeal
    style: VoiceStyle = field(default_factory=VoiceStyle)
    words: VoiceWords = field(default_factory=VoiceWords.shipped)
    pack_id: str = "phone"
    confidence_threshold: float = 0.5  # below this, a transcript is read back before it is used
    site: str = ""  # the website, as spoken at the end ("said.example.org")
    # The person's state, from the database (the wiring reads it through storage).
    caller_status: Callable[[str], Awaitable[CallerStatus]] = _stranger
    # None when a person is at work now, otherwise the office hours in words.
    closed_hours: Callable[[datetime, str], str | None] = _always_open
    # Whether a whole utterance is a STOP command in any language (the system texts' stop words).
    is_stop: Callable[[str], bool] = _never_stop
    default_language: str = "en"
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))


@dataclass
class _Turn:
    """What this step says before the conversation's reply, and how to carry on after it."""

    state: CallState
    before: list[str] = field(default_factory=list)
    page: int = 0
    silences: int = 0
    quiet_moves: int = 0
    mention_speech: bool = False
    stopping: bool = False


class VoiceCall:
    """The IVR's logic, free of HTTP: each method takes one parsed request and returns TwiML."""

    def __init__(self, config: VoiceConfig, handle: HandleInbound) -> None:
        self.config = config
        self.handle = handle
        self.words = config.words

    # Entry points

    async def start(self, call: CallInput) -> str:
        status = await self.config.caller_status(call.address) if not call.withheld else CallerStatus()
        language = status.language or self.config.default_language
        state = CallState(call=call.call_sid, language=language)
        before = [self.words.get("welcome", language)]
        hours = self.config.closed_hours(self.config.clock(), language)
        if hours:
            before.append(self.words.get("closed", language, hours=hours))
        log.info("voice call %s started%s%s", call.call_sid, " (caller id withheld)" if call.withheld else "",
                 ", stopped" if status.stopped else ", unfinished" if status.unfinished else "")
        if status.stopped:
            return self._menu(state, Mode.STOPPED, [*before, self.words.get("stopped_menu", language)])
        if status.unfinished:
            return self._menu(state, Mode.RESUME, [*before, self.words.get("resume", language)])
        message = self._inbound(state, "", start_pack=self.config.pack_id)
        return await self._converse(call, message, _Turn(state, before, mention_speech=True))

    async def answer(self, call: CallInput, state: CallState | None) -> str:
        if state is None or state.call != call.call_sid:
            return await self._unknown(call, state)
        if call.silent:
            return await self.silence(call, state)
        match state.mode:
            case Mode.CONFIRM:
                return await self._confirm(call, state)
            case Mode.RESUME:
                return await self._resume(call, state)
            case Mode.STOPPED:
                return await self._stopped(call, state)
        if call.digits:
            return await self._keys(call, state)
        return await self._speech(call, state, call.speech, call.confidence)

    async def silence(self, call: CallInput, state: CallState | None) -> str:
        if state is None or state.call != call.call_sid:
            return await self._unknown(call, state)
        heard_nothing = state.silences + 1
        lang = state.language
        again = heard_nothing < SILENCES_BEFORE_MOVING_ON
        log.info("voice call %s step %d: silence %d", call.call_sid, state.step, heard_nothing)
        match state.mode:
            case Mode.CONFIRM:
                if again:
                    return self._read_back(state, state.held, [self.words.get("silence", lang)], heard_nothing)
                return await self._repeat(call, state, [self.words.get("try_again", lang)])
            case Mode.RESUME:
                if again:
                    return self._menu(state, Mode.RESUME, [self.words.get("silence", lang),
                                                           self.words.get("resume", lang)], heard_nothing)
                return await self._carry_on(call, state)
            case Mode.STOPPED:
                if again:
                    return self._menu(state, Mode.STOPPED, [self.words.get("silence", lang),
                                                            self.words.get("stopped_menu", lang)], heard_nothing)
                return self._goodbye(state, ["silent_goodbye"])
        if again:
            turn = _Turn(state, [self.words.get("silence", lang)], page=state.page, silences=heard_nothing,
                         quiet_moves=state.quiet_moves)
            return await self._converse(call, self._inbound(state, "REPEAT"), turn)
        nothing_to_skip = not state.question or state.question in SIDE_QUESTIONS
        if nothing_to_skip or state.quiet_moves + 1 >= QUIET_MOVES_BEFORE_GOODBYE:
            # Nothing to move on to, or nobody is listening: the answers so far are kept for a call back.
            return self._goodbye(state, ["silent_goodbye"])
        turn = _Turn(state, [self.words.get("moving_on", lang)], quiet_moves=state.quiet_moves + 1)
        return await self._converse(call, self._inbound(state, "SKIP"), turn)

    # Answers

    async def _keys(self, call: CallInput, state: CallState) -> str:
        digits = call.digits
        if state.kind == "number":
            number = "".join(ch for ch in digits if ch.isdigit())
            if number:
                return await self._converse(call, self._inbound(state, number, answer=True), _Turn(state))
            return await self._nothing(call, state)
        if state.kind == "text" or len(digits) != 1:
            return await self._nothing(call, state)
        if digits == KEY_REPEAT:
            return await self._converse(call, self._inbound(state, "REPEAT"), _Turn(state, page=state.page))
        if digits == KEY_SKIP and state.question and state.question not in SIDE_QUESTIONS:
            return await self._converse(call, self._inbound(state, "SKIP"), _Turn(state))
        if digits == KEY_MORE and state.pages > 1:
            turn = _Turn(state, page=(state.page + 1) % state.pages)
            return await self._converse(call, self._inbound(state, "REPEAT"), turn)
        if digits.isdigit() and 1 <= int(digits) <= len(state.values):
            value = state.values[int(digits) - 1]
            log.info("voice call %s step %d: key %s", call.call_sid, state.step, digits)
            return await self._converse(call, self._inbound(state, "", choice=value, answer=True), _Turn(state))
        return await self._nothing(call, state)

    async def _speech(self, call: CallInput, state: CallState, said: str, confidence: float | None) -> str:
        sure = confidence is not None and confidence >= self.config.confidence_threshold
        log.info("voice call %s step %d: speech, confidence %s", call.call_sid, state.step,
                 "unknown" if confidence is None else f"{confidence:.2f}")
        if not sure:
            return self._read_back(state, self.config.seal.close(said), [], 0, said=said, confidence=confidence)
        return await self._heard(call, state, said, confidence)

    async def _heard(self, call: CallInput, state: CallState, said: str, confidence: float | None) -> str:
        """A transcript we trust: a stop, or an answer for the conversation."""
        if self.config.is_stop(said) or self.words.mentions_stop(said):
            log.info("voice call %s step %d: the caller asked us to stop", call.call_sid, state.step)
            return await self._converse(call, self._inbound(state, "STOP"), _Turn(state, stopping=True))
        message = self._inbound(state, said, answer=True, confidence=confidence)
        return await self._converse(call, message, _Turn(state))

    async def _confirm(self, call: CallInput, state: CallState) -> str:
        said = self.config.seal.open(state.held)
        lang = state.language
        if said is None:
            log.warning("voice call %s step %d: a held transcript could not be opened", call.call_sid, state.step)
            return await self._repeat(call, state, [self.words.get("try_again", lang)])
        if call.digits == "1" or (call.speech and self.words.means("confirm_yes", call.speech)):
            return await self._heard(call, state, said, state.confidence)
        if call.digits == "2" or (call.speech and self.words.means("confirm_no", call.speech)):
            return await self._repeat(call, state, [self.words.get("try_again", lang)])
        if call.speech:
            return await self._speech(call, state, call.speech, call.confidence)  # said the answer again
        return self._read_back(state, state.held, [self.words.get("key_nothing", lang)], 0)

    async def _resume(self, call: CallInput, state: CallState) -> str:
        lang = state.language
        if call.digits == "1" or (call.speech and self.words.means("carry_on", call.speech)):
            return await self._carry_on(call, state)
        if call.digits == "2" or (call.speech and self.words.means("start_again", call.speech)):
            return await self._converse(call, self._inbound(state, "RESTART"), _Turn(state, mention_speech=True))
        before = [] if call.digits == KEY_REPEAT else [self.words.get("key_nothing", lang)]
        return self._menu(state, Mode.RESUME, [*before, self.words.get("resume", lang)])

    async def _carry_on(self, call: CallInput, state: CallState) -> str:
        message = self._inbound(state, "", start_pack=self.config.pack_id)
        return await self._converse(call, message, _Turn(state, mention_speech=True))

    async def _stopped(self, call: CallInput, state: CallState) -> str:
        lang = state.language
        if call.digits == "1" or (call.speech and self.words.means("confirm_yes", call.speech)):
            # START says "your messages are on again"; its question (the menu, when idle) gives way to the pack.
            started = await self.handle(Channel.VOICE, call.address, self._inbound(state, "START", part="a"))
            said = [m.text for m in started.messages if isinstance(m, Say)]
            message = self._inbound(state, "", start_pack=self.config.pack_id, part="b")
            return await self._converse(call, message, _Turn(state, said, mention_speech=True))
        if call.digits == "2" or (call.speech and self.words.means("end_call", call.speech)):
            return self._goodbye(state, ["goodbye"])
        before = [] if call.digits == KEY_REPEAT else [self.words.get("key_nothing", lang)]
        return self._menu(state, Mode.STOPPED, [*before, self.words.get("stopped_menu", lang)])

    async def _nothing(self, call: CallInput, state: CallState) -> str:
        log.info("voice call %s step %d: a key that does nothing here", call.call_sid, state.step)
        return await self._repeat(call, state, [self.words.get("key_nothing", state.language)])

    async def _repeat(self, call: CallInput, state: CallState, before: list[str]) -> str:
        return await self._converse(call, self._inbound(state, "REPEAT"), _Turn(state, before, page=state.page))

    async def _unknown(self, call: CallInput, state: CallState | None) -> str:
        # A step for a call these URLs were not made for (or URLs from an older version): begin afresh.
        log.warning("voice call %s: a step for a call we have no record of; starting it", call.call_sid)
        return await self.start(call)

    # Talking to the conversation and rendering what it says

    def _inbound(
        self, state: CallState, text: str, *, choice: str | None = None, start_pack: str | None = None,
        answer: bool = False, confidence: float | None = None, part: str = "",
    ) -> Inbound:
        return Inbound(
            text=text,
            channel=Channel.VOICE,
            received_at=self.config.clock(),
            choice=choice,
            provider_id=f"{state.call}:{state.step}{part}",
            start_pack=start_pack,
            speech_confidence=confidence,
            question_id=(state.question or None) if answer else None,
        )

    async def _converse(self, call: CallInput, message: Inbound, turn: _Turn) -> str:
        reply = await self.handle(Channel.VOICE, call.address, message)
        return self._render(reply, turn)

    def _render(self, reply: Reply, turn: _Turn) -> str:
        state = turn.state
        words = self.words
        asks = [m for m in reply.messages if isinstance(m, Ask)]
        language = asks[-1].language if asks else state.language
        answer = CallAnswer(self.config.style)
        answer.say(state.language, turn.before)
        if turn.stopping:
            answer.say(language, [words.get("stopped", language)])
            answer.hang_up()
            return str(answer)
        last = asks[-1] if asks else None
        spoken: list[str] = []
        for message in reply.messages:
            if message is last:
                continue
            spoken.append(message.text)
        if last is None:
            if reply.ended and state.question and state.question not in SIDE_QUESTIONS:
                # A finished pack: what happens next goes before the outro, whose last word is goodbye.
                next_steps = [words.get("hear_back", language)]
                if self.config.site:
                    next_steps.append(words.get("website", language, site=self.config.site))
                spoken[-1:-1] = next_steps
            if not reply.ended:
                spoken.append(words.get("goodbye", language))
            answer.say(language, spoken)
            answer.hang_up()
            return str(answer)
        answer.say(language, spoken)
        same_question = last.question_id == state.question
        prompt = prompt_for(last, words, turn.page if same_question else 0, mention_speech=turn.mention_speech)
        following = state.next(
            mode=Mode.ASK, question=last.question_id, kind=last.kind, values=prompt.values, page=prompt.page,
            pages=prompt.pages, language=last.language, silences=turn.silences if same_question else 0,
            quiet_moves=turn.quiet_moves, held="", confidence=None,
        )
        answer.ask(last.language, prompt, self._url(ANSWER_PATH, following), self._url(SILENCE_PATH, following))
        return str(answer)

    def _read_back(
        self, state: CallState, held: str, before: list[str], silences: int, *, said: str | None = None,
        confidence: float | None = None,
    ) -> str:
        """ "I heard, …. If that is right, press 1. If not, press 2." The transcript rides sealed."""
        lang = state.language
        words = said if said is not None else self.config.seal.open(held)
        if words is None:
            return self._goodbye(state, ["sorry"])
        following = state.next(
            mode=Mode.CONFIRM, held=held, silences=silences,
            confidence=confidence if said is not None else state.confidence,
        )
        return self._gather_menu(following, [*before, self.words.get("heard", lang, heard=words)])

    def _menu(self, state: CallState, mode: Mode, lines: Sequence[str], silences: int = 0) -> str:
        """One of the line's own two-key questions (carry on or start again; answer anyway or end)."""
        following = state.next(mode=mode, silences=silences, question="", values=(), page=0, pages=1, held="",
                               confidence=None)
        return self._gather_menu(following, lines)

    def _gather_menu(self, following: CallState, lines: Sequence[str]) -> str:
        lang = following.language
        hints = ", ".join(sorted(self.words.phrases.get("confirm_yes", frozenset())
                                 | self.words.phrases.get("confirm_no", frozenset())))
        prompt = Prompt(lines=tuple(lines), values=(), page=0, pages=1, speech_only=False, number=False,
                        skippable=False, hints=hints)
        answer = CallAnswer(self.config.style)
        answer.ask(lang, prompt, self._url(ANSWER_PATH, following), self._url(SILENCE_PATH, following))
        return str(answer)

    def _goodbye(self, state: CallState, keys: Sequence[str]) -> str:
        answer = CallAnswer(self.config.style)
        answer.say(state.language, [self.words.get(key, state.language) for key in keys])
        answer.hang_up()
        return str(answer)

    def _url(self, path: str, state: CallState) -> str:
        return self.config.signer.url_for(path, state.to_query())


__all__ = [
    "ANSWER_PATH",
    "SILENCE_PATH",
    "VOICE_PATH",
    "CallerStatus",
    "VoiceCall",
    "VoiceConfig",
]
