"""Whole phone calls, walked the way Twilio walks them: keypad only, speech only, mixed, silence,
hanging up and ringing back, repeat and skip, stop, out of hours."""

from __future__ import annotations

from datetime import UTC, datetime

from .conftest import make_world, phone_pack, stored_answers, submission_statuses


async def test_a_whole_call_by_keypad_stores_every_answer_and_ends_with_what_happens_next(world) -> None:
    pack = phone_pack(world)
    caller = world.caller()
    page = await caller.ring()
    assert "talking to a computer" in page.text and "do not record this call" in page.text
    assert pack.intro["en"] in page.text
    assert pack.consent["en"] in page.question

    page = await caller.press("1")  # yes to the consent question
    keys = ["1", "2", "3", "1"][: len(pack.questions)]
    for number, (question, key) in enumerate(zip(pack.questions, keys, strict=True), start=1):
        assert question.text["en"] in page.question
        assert f"Question {number} of {len(pack.questions)}" in page.question
        for index, choice in enumerate(question.choices, start=1):
            assert f"For {choice.label['en']}, press {index}." in page.question
        page = await caller.press(key)

    assert page.hung_up and page.gather is None
    assert "What happens next?" in page.text and "You said, we did" in page.text
    assert "said.example.org" in page.text
    assert page.text.rstrip().endswith(pack.outro["en"])  # the goodbye is the last thing heard
    answers = await stored_answers(world)
    assert {q: a.value for q, a in answers.items()} == {
        q.id: q.choices[int(k) - 1].value for q, k in zip(pack.questions, keys, strict=True)
    }
    assert await submission_statuses(world) == ["completed"]


async def test_a_whole_call_by_voice_goes_through_the_tolerant_answer_parsing(world) -> None:
    pack = phone_pack(world)
    caller = world.caller()
    await caller.ring()
    page = await caller.say("Yes please.")
    spoken = []
    for question in pack.questions:
        assert question.text["en"] in page.question
        label = question.choices[-1].label["en"]
        spoken.append(question.choices[-1].value)
        page = await caller.say(f"{label.lower()}!", confidence=0.87)  # how a recogniser writes it
    assert page.hung_up
    answers = await stored_answers(world)
    assert [answers[q.id].value for q in pack.questions] == spoken


async def test_keys_and_speech_mix_within_one_call(world) -> None:
    pack = phone_pack(world)
    first, second = pack.questions[0], pack.questions[1]
    caller = world.caller()
    await caller.ring()
    await caller.press("1")
    page = await caller.say(first.choices[1].label["en"])
    assert second.text["en"] in page.question
    page = await caller.press("3")
    answers = await stored_answers(world)
    assert answers[first.id].value == first.choices[1].value
    assert answers[second.id].value == second.choices[2].value
    assert pack.questions[2].text["en"] in page.question


async def test_an_answer_said_in_words_the_bot_cannot_place_is_asked_again_kindly(world) -> None:
    pack = phone_pack(world)
    caller = world.caller()
    await caller.ring()
    await caller.press("1")
    page = await caller.say("the car park was full", confidence=0.95)
    assert "did not understand" in page.text
    assert pack.questions[0].text["en"] in page.question
    assert await stored_answers(world) == {}


async def test_nine_repeats_the_question_and_zero_skips_it(world) -> None:
    pack = phone_pack(world)
    caller = world.caller()
    await caller.ring()
    first = await caller.press("1")
    again = await caller.press("9")
    assert again.question == first.question
    page = await caller.press("0")
    assert pack.questions[1].text["en"] in page.question
    answers = await stored_answers(world)
    assert answers[pack.questions[0].id].skipped and answers[pack.questions[0].id].value is None


async def test_silence_asks_again_then_moves_on_then_says_goodbye(world) -> None:
    pack = phone_pack(world)
    caller = world.caller()
    await caller.ring()
    asked = await caller.press("1")
    once = await caller.wait()
    assert "We did not hear anything." in once.text and once.question == asked.question
    twice = await caller.wait()
    assert "move on" in twice.text and pack.questions[1].text["en"] in twice.question
    assert (await stored_answers(world))[pack.questions[0].id].skipped
    # Nobody there for a second question either: the call ends, and nothing more is skipped.
    await caller.wait()
    goodbye = await caller.wait()
    assert goodbye.hung_up and "end the call" in goodbye.text
    assert pack.questions[1].id not in await stored_answers(world)
    assert await submission_statuses(world) == ["open"]  # kept open for a call back


async def test_an_answer_between_silences_starts_the_count_again(world) -> None:
    pack = phone_pack(world)
    caller = world.caller()
    await caller.ring()
    await caller.press("1")
    await caller.wait()
    await caller.wait()  # moved on from question 1
    await caller.press("2")  # answers question 2
    await caller.wait()
    page = await caller.wait()  # moved on from question 3, not the end of the call
    assert not page.hung_up and pack.questions[3].text["en"] in page.question


async def test_silence_at_the_first_question_ends_the_call_without_starting_anything(world) -> None:
    caller = world.caller()
    await caller.ring()
    await caller.wait()
    page = await caller.wait()
    assert page.hung_up and "You can call again at any time." in page.text
    assert await submission_statuses(world) == []


async def test_hanging_up_part_way_keeps_the_answers_and_ringing_back_offers_to_carry_on(world) -> None:
    pack = phone_pack(world)
    first = world.caller()
    await first.ring()
    await first.press("1")
    await first.press("2")  # question 1 answered, then the caller hangs up on question 2

    world.clock.advance(hours=2)
    second = world.caller()
    page = await second.ring()
    assert "You did not finish our questions last time." in page.question
    assert "To carry on, press 1. To start again, press 2." in page.question
    page = await second.press("1")
    assert pack.questions[1].text["en"] in page.question
    for _ in pack.questions[1:]:
        page = await second.press("1")
    assert page.hung_up
    answers = await stored_answers(world)
    assert answers[pack.questions[0].id].value == pack.questions[0].choices[1].value
    assert await submission_statuses(world) == ["completed"]


async def test_ringing_back_and_starting_again_begins_a_new_set_of_answers(world) -> None:
    pack = phone_pack(world)
    first = world.caller()
    await first.ring()
    await first.press("1")
    await first.press("2")

    second = world.caller()
    await second.ring()
    page = await second.press("2")
    assert "start again" in page.text and pack.consent["en"] in page.question
    await second.press("1")
    for _ in pack.questions:
        page = await second.press("3")
    assert page.hung_up
    assert sorted(await submission_statuses(world)) == ["abandoned", "completed"]


async def test_saying_stop_ends_the_call_and_the_next_call_asks_before_starting(world) -> None:
    pack = phone_pack(world)
    caller = world.caller()
    await caller.ring()
    await caller.press("1")
    page = await caller.say("Please, no more calls.", confidence=0.9)
    assert page.hung_up and "We will not contact you again." in page.text
    async with world.parts.store.unit() as uow:
        person = await uow.participant("voice", caller.from_, create=False)
    assert person is not None and person.stopped

    again = world.caller()
    page = await again.ring()
    assert "You asked us to stop before." in page.question
    page = await again.press("2")
    assert page.hung_up
    caller3 = world.caller()
    await caller3.ring()
    page = await caller3.press("1")  # answer anyway: messages back on, the pack carries on
    assert pack.questions[0].text["en"] in page.question
    async with world.parts.store.unit() as uow:
        person = await uow.participant("voice", caller.from_, create=False)
    assert person is not None and not person.stopped


async def test_the_engine_s_stop_word_on_its_own_is_honoured_too(world) -> None:
    caller = world.caller()
    await caller.ring()
    page = await caller.say("Stop.", confidence=0.8)
    assert page.hung_up and "We will not contact you again." in page.text


async def test_outside_office_hours_the_caller_is_told_and_can_still_answer(database, tmp_path) -> None:
    # A Saturday evening in London.
    world = await make_world(database, tmp_path, now=datetime(2026, 11, 28, 19, 0, tzinfo=UTC))
    async with world.http:
        caller = world.caller()
        page = await caller.ring()
        assert "Our team is not at work right now." in page.text
        assert "Monday to Friday" in page.text
        page = await caller.press("1")
        assert phone_pack(world).questions[0].text["en"] in page.question
        await caller.press("1")
        assert phone_pack(world).questions[0].id in await stored_answers(world)


async def test_in_office_hours_nothing_is_said_about_them(world) -> None:
    page = await world.caller().ring()
    assert "not at work" not in page.text


async def test_saying_no_to_the_questions_ends_the_call_politely(world) -> None:
    caller = world.caller()
    await caller.ring()
    page = await caller.press("2")
    assert page.hung_up and "Thank you for your time." in page.text
    assert "What happens next?" not in page.text
    assert await submission_statuses(world) == []


async def test_a_welsh_speaker_hears_welsh_with_a_welsh_voice(world) -> None:
    pack = phone_pack(world)
    caller = world.caller()
    await caller.ring()
    page = await caller.say("Cymraeg", confidence=0.9)
    assert pack.consent["cy"] in page.question
    gather = page.gather
    assert gather is not None and gather.attrib["language"] == "cy-GB"
    say = gather.find("Say")
    assert say is not None and say.attrib == {"voice": "Polly.Gwyneth", "language": "cy-GB"}
    assert "pwyswch 1" in page.question

    # Ringing back, the welcome is already in Welsh.
    page = await world.caller().ring()
    assert "Rydych chi'n siarad â chyfrifiadur" in page.text
