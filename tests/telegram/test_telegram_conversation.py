"""A young person on the waiting list chatting with the bot: a whole pack by buttons and by typing,
deep links, /commands, voice notes and pictures, long messages."""

from __future__ import annotations

from storage.models import Feedback, Submission


async def test_a_whole_pack_by_buttons_from_a_deep_link(world) -> None:
    person = world.person()
    await world.send(person.says("/start waiting_list"))
    intro, card, consent = world.fake.chat(person.chat_id)
    assert "check-in while you wait" in intro.text and not intro.buttons
    assert card.photo is not None  # the question's symbol card goes just before it
    assert "Can we ask you 6 short questions?" in consent.text
    assert consent.labels == ["✅ Yes", "❌ No"]

    await world.send(person.taps("Yes"))
    feeling = world.fake.said(person.chat_id)[-1]
    assert feeling.text.startswith("💙 How are you feeling today?")
    assert feeling.labels == ["😀 Good", "😐 OK", "🙁 Not good", "❓ I do not know"]

    await world.send(person.taps("Good"))
    would_help = world.fake.said(person.chat_id)[-1]
    assert "What would help you while you wait?" in would_help.text and not would_help.buttons
    await world.send(person.says("Someone to talk to after school"))
    await world.send(person.taps("No"))  # news about the wait
    await world.send(person.taps("Yes"))  # monthly check-ins
    await world.send(person.taps("Yes"))  # hear what we change
    await world.send(person.says("The games in the waiting room are great"))

    texts = world.fake.texts(person.chat_id)
    assert "Thank you. We are here for you." in "\n".join(texts)
    # One line of where to get help ends it, and it stays the last thing on screen.
    assert texts[-1] == "🤝 If you are under 19, you can call Childline on 0800 1111."
    assert await world.answers() == {
        "feeling": "good",
        "would_help": "Someone to talk to after school",
        "updates": "no",
        "checkins": "yes",
        "hear_back": "yes",
        "anything_else": "The games in the waiting room are great",
    }
    [(status,)] = await world.rows(Submission.status)
    assert status == "completed"
    # Every tap was acknowledged, and no keyboard is left that could answer again.
    assert len(world.fake.calls_to("answerCallbackQuery")) == 5
    assert all(not m.buttons for m in world.fake.chat(person.chat_id))


async def test_a_tap_is_shown_back_in_words_and_its_keyboard_removed(world) -> None:
    person = world.person()
    await world.send(person.says("/start waiting_list"))
    consent = world.fake.said(person.chat_id)[-1]
    await world.send(person.taps("Yes"))
    shown = next(m for m in world.fake.chat(person.chat_id) if m.message_id == consent.message_id)
    assert shown.edited and not shown.buttons
    assert shown.text == consent.text + "\n\n👉 ✅ Yes"
    # The acknowledgement came before the next question was sent.
    methods = [c.method for c in world.fake.calls]
    assert methods.index("answerCallbackQuery") < len(methods) - 1
    assert methods[-1] == "sendMessage"


async def test_a_whole_pack_by_typing(world) -> None:
    person = world.person()
    script = [
        ("WAITING", "Can we ask you 6 short questions?"),
        ("yes", "How are you feeling today?"),
        ("2", "What would help you while you wait?"),
        ("A quiet room", "Can we send you news about your wait?"),
        ("yes", "Can we check in with you like this every month?"),
        ("no", "Can we tell you what we change because of your answers?"),
        ("yes", "Is there anything else you want to tell us?"),
        ("SKIP", "Thank you. We are here for you."),
    ]
    for text, expected in script:
        before = len(world.fake.texts(person.chat_id))
        await world.send(person.says(text))
        said = "\n".join(world.fake.texts(person.chat_id)[before:])
        assert expected in said, f"after {text!r} the bot said {said!r}"
    answers = await world.answers()
    assert answers["feeling"] == "ok" and answers["would_help"] == "A quiet room"
    assert answers["updates"] == "yes" and answers["checkins"] == "no"


async def test_start_shows_the_packs_and_a_tap_on_one_starts_it(world) -> None:
    person = world.person()
    await world.send(person.says("/start"))
    menu = world.fake.said(person.chat_id)[-1]
    titles = [pack.title["en"] for pack in world.parts.service.library.all("telegram")]
    assert len(menu.buttons) == len(titles) >= 2
    assert all(any(title in label for label in menu.labels) for title in titles)
    assert not any("For callers" in label for label in menu.labels), "the phone pack is for the phone line"
    await world.send(person.taps("For young people: while you wait"))
    assert "Can we ask you 6 short questions?" in world.fake.texts(person.chat_id)[-1]


async def test_a_deep_link_to_a_pack_we_do_not_have_gets_the_welcome_and_the_packs(world) -> None:
    person = world.person()
    await world.send(person.says("/start no_such_pack"))
    said = world.fake.said(person.chat_id)
    assert "Hello." in said[0].text
    assert len(said[-1].buttons) == len(world.parts.service.library.all("telegram"))
    assert await world.count(Submission) == 0


async def test_slash_commands_mirror_the_text_commands(world) -> None:
    slashes, words = world.person(1001), world.person(2002)
    for slash, word in [("/start", "START"), ("/help", "HELP"), ("/language@said_test_bot", "LANGUAGE"),
                        ("/menu", "MENU"), ("/stop", "STOP"), ("/start", "START"), ("/forget", "FORGET ME")]:
        before = len(world.fake.texts(slashes.chat_id)), len(world.fake.texts(words.chat_id))
        await world.send(slashes.says(slash))
        await world.send(words.says(word))
        said_to_slashes = world.fake.texts(slashes.chat_id)[before[0]:]
        assert said_to_slashes and said_to_slashes == world.fake.texts(words.chat_id)[before[1]:], slash
    assert await world.participant(slashes.chat_id) is not None
    ask = world.fake.said(slashes.chat_id)[-1]
    assert len(ask.buttons) == 2
    await world.send(slashes.taps(ask.labels[0]))  # yes, delete my details
    assert await world.participant(slashes.chat_id) is None


async def test_stop_and_language_by_slash_command_take_effect(world) -> None:
    person = world.person()
    await world.send(person.says("/stop"))
    assert (await world.participant(person.chat_id)).stopped
    await world.send(person.says("/start"))
    assert not (await world.participant(person.chat_id)).stopped
    await world.send(person.says("/language"))
    languages = world.fake.said(person.chat_id)[-1]
    assert any("Cymraeg" in label for label in languages.labels)
    await world.send(person.taps("Cymraeg"))
    assert (await world.participant(person.chat_id)).language == "cy"


async def test_voice_notes_and_pictures_are_named_not_downloaded_and_the_person_is_told(world) -> None:
    person = world.person()
    await world.send(person.sends_voice())
    assert "We can only read words here" in world.fake.texts(person.chat_id)[-1]
    await world.send(person.sends_photo())
    await world.send(person.sends_photo(caption="Our drawing of the waiting room"))
    kept = await world.rows(Feedback.text, Feedback.media)
    assert ("", "voice note") in kept or (None, "voice note") in kept
    assert ("Our drawing of the waiting room", "picture") in kept
    assert not world.fake.calls_to("getFile")  # nothing was downloaded


async def test_a_message_of_4096_characters_is_kept_and_answered(world) -> None:
    person = world.person()
    long_text = ("We waited a long time and nobody told us why. " * 100)[:4096]
    await world.send(person.says(long_text))
    [(kept,)] = await world.rows(Feedback.text)
    assert kept and long_text.startswith(kept) and len(kept) >= 4000
    replies = world.fake.texts(person.chat_id)
    assert any("A person will read it" in text for text in replies)
    assert all(len(text) <= 4096 for text in replies)
