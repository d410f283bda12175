"""Button data: short, signed, refused when we did not make it; and taps on old or forged buttons."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from channels.telegram.buttons import MAX_BYTES, ButtonCodec
from storage.models import Answer, InboundMessage, OutboxMessage

KEY = b"a test key for button data, 32b"
identifiers = st.text(alphabet=string.ascii_lowercase + string.digits + "_", min_size=1, max_size=40)


@given(question=identifiers, value=identifiers)
def test_button_data_fits_telegrams_64_bytes_and_reads_back(question, value) -> None:
    codec = ButtonCodec(KEY)
    data = codec.encode(question, value)
    assert len(data.encode()) <= MAX_BYTES
    tapped = codec.decode(data)
    assert tapped is not None and (tapped.question_id, tapped.value) == (question, value)


@given(question=identifiers, value=identifiers)
def test_long_button_data_is_read_back_by_another_process_from_the_catalogue(question, value) -> None:
    data = ButtonCodec(KEY).encode(question, value)
    elsewhere = ButtonCodec(KEY, catalogue=lambda: [("other", "pair"), (question, value)])
    tapped = elsewhere.decode(data)
    assert tapped is not None and (tapped.question_id, tapped.value) == (question, value)


def test_a_pair_too_long_for_plain_data_becomes_a_hash() -> None:
    data = ButtonCodec(KEY).encode("q" * 40, "v" * 40)
    assert data.startswith("h:") and len(data) <= MAX_BYTES
    assert ButtonCodec(KEY).decode(data) is None  # nobody told this one about the pair


@given(data=st.text(max_size=80))
def test_data_we_did_not_make_is_refused(data) -> None:
    codec = ButtonCodec(KEY, catalogue=lambda: [("feeling", "good")])
    tapped = codec.decode(data)
    # Only data carrying our own tag can read as a choice: a random string never does.
    assert tapped is None or codec.encode(tapped.question_id, tapped.value) == data


def test_a_changed_value_or_another_deployments_key_is_refused() -> None:
    data = ButtonCodec(KEY).encode("feeling", "good")
    forged = data.replace(":good:", ":not_good:")
    assert ButtonCodec(KEY).decode(forged) is None
    assert ButtonCodec(b"another deployment's key 32 byte").decode(data) is None


async def test_a_tap_with_data_we_did_not_make_is_answered_and_ignored(world) -> None:
    person = world.person()
    await world.send(person.says("/start waiting_list"))
    consent = world.fake.chat(person.chat_id)[-1]
    stored = (await world.count(InboundMessage), await world.count(OutboxMessage))
    await world.send(person.taps_data(consent, "c:consent:yes:AAAAAAAA"))
    assert len(world.fake.calls_to("answerCallbackQuery")) == 1
    assert (await world.count(InboundMessage), await world.count(OutboxMessage)) == stored
    assert world.fake.chat(person.chat_id)[-1] == consent  # keyboard untouched, nothing new said


async def test_a_tap_on_a_message_too_old_to_show_still_counts(world) -> None:
    person = world.person()
    await world.send(person.says("/start waiting_list"))
    update = person.taps("Yes")
    old = update["callback_query"]["message"]
    update["callback_query"]["message"] = {"chat": old["chat"], "message_id": old["message_id"], "date": 0}
    await world.send(update)
    assert "How are you feeling today?" in world.fake.texts(person.chat_id)[-1]


async def test_a_tap_on_an_outdated_button_is_acknowledged_and_answers_nothing(world) -> None:
    person = world.person()
    await world.send(person.says("/start waiting_list"))
    consent = world.fake.chat(person.chat_id)[-1]
    await world.send(person.says("yes"))  # typed, so the consent keyboard stays on screen
    await world.send(person.taps("Good"))
    await world.send(person.says("More time with my nurse"))
    updates_question = world.fake.chat(person.chat_id)[-1]
    assert "news about your wait" in updates_question.text

    # Back up the chat to the consent question's old "Yes": it must not answer "news about your wait?".
    await world.send(person.taps("Yes", message_id=consent.message_id))
    assert len(world.fake.calls_to("answerCallbackQuery")) == 2
    assert not next(m for m in world.fake.chat(person.chat_id) if m.message_id == consent.message_id).buttons
    assert "updates" not in await world.answers()
    assert await world.count(Answer) == 2
    # The person is shown where they are now.
    assert "news about your wait" in world.fake.texts(person.chat_id)[-1]
