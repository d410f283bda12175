"""An answer's new turns are laid out on their own, not with the whole chat before them: the HTML the browser
gets is the same either way, whatever the chat held before (outbox turns without numbers, notes, questions
still waiting, a person's words)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from channels.webchat.render import Renderer
from channels.webchat.turns import next_number

_ASK = {"type": "ask", "question_id": "q", "text": "How was it?", "kind": "choice", "language": "en",
        "choices": [{"value": "good", "label": "Good", "emoji": "😀", "symbol": "good"}]}
_MESSAGES = st.sampled_from([
    {"type": "say", "text": "Thank you", "language": "en"},
    {"type": "note", "text": "Bore da", "language": "cy"},
    _ASK,
    {**_ASK, "menu": True},
])
_BOT = st.builds(lambda messages: {"who": "bot", "messages": messages}, st.lists(_MESSAGES, min_size=1, max_size=3))
_SAID = [{"type": "text", "text": "Good", "emoji": "😀"}]
_PERSON = st.just({"who": "person", "messages": _SAID})


@st.composite
def _chats(draw: st.DrawFn) -> tuple[list[dict], list[dict]]:
    """A chat as stored (some turns numbered, an outbox turn now and then without), then an answer's turns."""
    before: list[dict] = []
    for turn in draw(st.lists(st.one_of(_BOT, _PERSON), max_size=12)):
        numbered = draw(st.booleans()) or turn["who"] == "person"
        before.append({**turn, "n": next_number(before)} if numbered else turn)
    n = next_number(before)
    new = draw(st.sampled_from([
        [{"who": "person", "n": n, "messages": _SAID}, {**draw(_BOT), "n": n + 1}],
        [{**draw(_BOT), "n": n}],
    ]))
    return before, new


@given(_chats())
def test_the_new_turns_look_the_same_laid_out_on_their_own(chat) -> None:
    before, new = chat
    renderer = Renderer()
    options = {"new_from": next_number(before), "csrf": "c", "turn_no": next_number(before + new)}
    assert renderer.fragment(new, **options) == renderer.fragment(before + new, **options)
