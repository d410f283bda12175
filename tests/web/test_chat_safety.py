"""The web chat under things people and attackers really send: forged posts, junk bytes, double taps."""

from __future__ import annotations

import asyncio
import logging
import re

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from channels.webchat.form import MAX_BODY, MAX_TEXT

from .conftest import Chat, FakeChatService, FakeTranscripts, make_app


def test_a_post_with_a_wrong_csrf_token_gets_a_kind_page_and_nothing_happens(chat: Chat) -> None:
    fields = chat.fields()
    before = chat.transcripts.chats.get(chat.token)
    response = chat.post(fields={**fields, "csrf": "0" * 64}, text="hello")
    assert response.status_code == 400
    assert "Sorry, that did not work" in response.text
    assert "Nothing was saved." in response.text
    assert 'href="/chat?back=1#latest"' in response.text
    assert chat.service.received == []
    assert chat.transcripts.chats.get(chat.token) == before


def test_a_refusal_in_a_welsh_chat_is_in_welsh(chat: Chat) -> None:
    chat.post(start="visit_cy")
    response = chat.post(fields={**chat.fields(), "csrf": "0" * 64}, text="helo")
    assert response.status_code == 400
    assert '<html lang="cy">' in response.text and "Ni chadwyd dim." in response.text
    assert "Yn ôl i'r sgwrs" in response.text.replace("&#39;", "'")


def test_a_post_without_the_cookie_is_refused(chat: Chat) -> None:
    fields = chat.fields()
    chat.client.cookies.clear()
    response = chat.post(fields=fields, text="hello")
    assert response.status_code == 400
    assert chat.service.received == []


def test_a_csrf_token_from_another_session_is_refused(chat: Chat) -> None:
    other = Chat(chat.client.__class__(chat.client.app), chat.service, chat.transcripts)
    foreign = other.fields()["csrf"]
    response = chat.post(fields={**chat.fields(), "csrf": foreign}, text="hello")
    assert response.status_code == 400
    assert chat.service.received == []


def test_a_new_chat_needs_the_csrf_token_too(chat: Chat) -> None:
    chat.open()
    response = chat.client.post("/chat/new", data={"csrf": "nope"}, follow_redirects=False)
    assert response.status_code == 400


def test_person_text_is_escaped_never_run(chat: Chat) -> None:
    chat.post(text='<script>alert("hi")</script><img src=x onerror=alert(1)>')
    page = chat.open()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;hi&#34;)&lt;/script&gt;" in page


def test_empty_text_gets_a_gentle_note_and_is_not_sent(chat: Chat) -> None:
    chat.post(text="   ")
    assert chat.service.received == []
    assert "Type a message or tap a button. Then press Send." in chat.open()


def test_ten_thousand_characters_are_cut_to_two_thousand_and_the_person_is_told(chat: Chat) -> None:
    response = chat.post(text="word " * 2000)
    assert response.status_code == 303
    sent = chat.service.received[-1][2].text
    assert len(sent) <= MAX_TEXT
    assert sent.startswith("word word")
    assert "Your message was very long, so we kept the first 2,000 letters." in chat.open()


def test_control_characters_are_removed_and_lines_kept(chat: Chat) -> None:
    chat.post(text="one\x00two\x1b[31m\r\nthree\x7f\x85")
    assert chat.service.received[-1][2].text == "onetwo[31m\nthree"


def test_invalid_utf8_does_not_crash(chat: Chat) -> None:
    fields = chat.fields()
    body = f"csrf={fields['csrf']}&turn={fields['turn']}&text=caf%E9%FF%FE+ok".encode() + b"\xff\xc3"
    response = chat.client.post(
        "/chat", content=body, headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert chat.service.received[-1][2].text.startswith("caf\ufffd")


def test_a_body_too_big_is_refused_kindly(chat: Chat) -> None:
    fields = chat.fields()
    body = f"csrf={fields['csrf']}&turn={fields['turn']}&text=".encode() + b"a" * (MAX_BODY + 1)
    response = chat.client.post(
        "/chat", content=body, headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert response.status_code == 413
    assert "too long for us" in response.text
    assert chat.service.received == []


def test_a_body_that_is_not_a_form_is_refused_kindly(chat: Chat) -> None:
    fields = chat.fields()
    response = chat.client.post("/chat", json={**fields, "text": "hi"}, follow_redirects=False)
    assert response.status_code == 400
    assert "We could not read that message." in response.text


def test_a_double_submit_is_processed_once(chat: Chat) -> None:
    chat.post(start="visit")
    fields = chat.fields()
    first = chat.post(fields=fields, choice="good")
    second = chat.post(fields=fields, choice="good")
    assert (first.status_code, second.status_code) == (303, 303)
    assert [m.choice for _, _, m in chat.service.received] == [None, "good"]
    page = chat.open()
    assert page.count('<li class="turn turn-person') == 2
    assert "moved on" not in page


async def test_two_submits_at_once_are_processed_once() -> None:
    service, transcripts = FakeChatService(delay=0.05), FakeTranscripts()
    transport = httpx.ASGITransport(app=make_app(service, transcripts))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        page = (await client.get("/chat")).text
        fields = dict(re.findall(r'<input type="hidden" name="(csrf|turn)" value="([^"]*)">', page))
        posts = [client.post("/chat", data={**fields, "text": "hello"}) for _ in range(2)]
        responses = await asyncio.gather(*posts)
    assert [r.status_code for r in responses] == [303, 303]
    assert len(service.received) == 1


def test_a_stale_page_with_a_different_answer_is_not_sent_and_says_why(chat: Chat) -> None:
    chat.post(start="visit")
    stale = chat.fields()
    chat.post(fields=stale, choice="good")
    chat.post(fields=stale, choice="poor")  # an old tab, answering the question again
    assert [m.choice for _, _, m in chat.service.received] == [None, "good"]
    assert "This chat had moved on, so we did not send that." in chat.open()


def test_each_message_gets_its_own_provider_id_so_the_service_can_spot_repeats(chat: Chat) -> None:
    chat.post(start="visit")
    chat.post(text="1")
    ids = [m.provider_id for _, _, m in chat.service.received]
    assert len(set(ids)) == 2
    assert all(i and i.startswith("web-") and chat.token not in i for i in ids)


def test_an_expired_chat_starts_again_kindly(chat: Chat) -> None:
    chat.post(start="visit")
    old = chat.token
    chat.transcripts.expire(old)
    response = chat.client.get("/chat")
    assert "Your last chat had ended, so this is a new one." in response.text
    assert chat.token != old
    assert "Hello! This chat asks you" in response.text


def test_a_post_to_an_expired_chat_processes_nothing_and_starts_again(chat: Chat) -> None:
    chat.post(start="visit")
    fields = chat.fields()
    old = chat.token
    chat.transcripts.expire(old)
    response = chat.post(fields=fields, choice="good", json=True)
    assert response.status_code == 200
    body = response.json()
    assert body["replace"] is True
    assert "Your last chat had ended, so this is a new one." in body["html"]
    assert chat.token != old
    assert body["csrf"] != fields["csrf"]
    assert len(chat.service.received) == 1  # only the pack start before it expired


def test_start_a_new_chat_gives_a_new_session(chat: Chat) -> None:
    chat.post(start="visit")
    old = chat.token
    response = chat.client.post("/chat/new", data={"csrf": chat.fields()["csrf"]}, follow_redirects=False)
    assert response.status_code == 303
    assert chat.token != old
    page = chat.open()
    assert "How was your visit?" not in page
    assert "Your last chat had ended" not in page


def test_a_service_failure_gets_a_kind_note_and_logs_no_address(chat: Chat, caplog) -> None:
    chat.open()
    chat.service.fail_with = RuntimeError(f"database down for {chat.token}")
    with caplog.at_level(logging.DEBUG):
        response = chat.post(text="hello")
    assert response.status_code == 303
    assert "Sorry, something went wrong on our side. Please send that again." in chat.open()
    assert chat.token not in caplog.text
    assert "RuntimeError" in caplog.text


def test_the_json_path_returns_just_the_new_turns(chat: Chat) -> None:
    fields = chat.fields()
    response = chat.post(json=True, fields=fields, start="visit")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"html", "turn", "csrf", "label", "label_lang", "replace", "lang", "words"}
    assert body["replace"] is False
    assert body["turn"] == int(fields["turn"]) + 2  # the person's tap, and the bot's answer
    assert body["csrf"] == fields["csrf"]
    assert body["html"].lstrip().startswith("<li")
    assert "<html" not in body["html"]
    assert "How was your visit?" in body["html"]
    assert 'id="latest"' in body["html"]
    assert body["label"] == "Or type your answer"
    assert f'name="turn" value="{body["turn"]}"' in body["html"]
    # The chat keeps its token; only the mark that it has begun (and is now stored) is set.
    assert "said_chat=" not in response.headers.get("set-cookie", "")


def test_the_json_path_escapes_person_text(chat: Chat) -> None:
    body = chat.post(json=True, text="<b>bold</b>").json()
    assert "<b>bold</b>" not in body["html"]
    assert "&lt;b&gt;bold&lt;/b&gt;" in body["html"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=3000))
def test_any_typed_text_reaches_the_service_tidy_or_not_at_all(chat: Chat, text: str) -> None:
    before = len(chat.service.received)
    response = chat.post(text=text)
    assert response.status_code == 303
    page = chat.open()
    if len(chat.service.received) > before:
        sent = chat.service.received[-1][2].text
        assert 0 < len(sent) <= MAX_TEXT
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", sent)
    else:
        assert "Type a message or tap a button." in page


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=st.binary(max_size=2000))
def test_any_bytes_after_a_valid_token_never_crash(chat: Chat, junk: bytes) -> None:
    fields = chat.fields()
    body = f"csrf={fields['csrf']}&turn={fields['turn']}&".encode() + junk
    response = chat.client.post(
        "/chat", content=body, headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert response.status_code in (303, 400)
    assert chat.client.get("/chat").status_code == 200


def test_a_long_chat_keeps_working_when_the_store_keeps_only_the_last_turns(chat: Chat) -> None:
    chat.transcripts.keep = 6
    for _ in range(10):
        chat.post(text="help")
    assert len(chat.turns()) == 6
    before = len(chat.service.received)
    chat.post(json=True, fields=chat.fields(), text="again")
    body = chat.post(json=True, fields=chat.fields(), text="and again").json()
    assert len(chat.service.received) == before + 2
    assert "moved on" not in chat.open()
    assert body["turn"] == 2 * 12 + 1


def test_a_message_sent_later_counts_as_a_turn(chat: Chat) -> None:
    chat.post(start="visit")  # a message can only be sent later to a chat that has begun
    before = int(chat.fields()["turn"])
    chat.turns().append({"who": "bot", "messages": [{"type": "say", "text": "We did it.", "emoji": ""}]})
    fields = chat.fields()
    assert fields["turn"] == str(before + 1)
    chat.post(fields=fields, text="thanks")
    assert chat.service.received[-1][2].text == "thanks"


def test_an_empty_send_leaves_the_question_and_its_buttons_in_place(chat: Chat) -> None:
    chat.post(start="visit")
    body = chat.post(json=True, fields=chat.fields(), text="").json()
    assert "Type a message or tap a button." in body["html"]
    assert "form" not in body["html"]
    assert 'name="choice" value="good"' in chat.open()


def test_a_client_that_does_not_say_which_turn_it_answers_is_still_heard(chat: Chat) -> None:
    csrf = chat.fields()["csrf"]
    chat.post(fields={"csrf": csrf}, start="visit")
    chat.post(fields={"csrf": csrf}, text="1")
    assert [m.start_pack or m.text for _, _, m in chat.service.received] == ["visit", "1"]


def test_a_broken_store_gets_a_kind_page_and_logs_no_address(chat: Chat, caplog) -> None:
    chat.open()
    token = chat.token

    async def broken(*args, **kwargs):
        raise ConnectionError(f"database gone while loading {token}")

    chat.transcripts.load = broken
    with caplog.at_level(logging.DEBUG):
        page = chat.client.get("/chat")
        posted = chat.post(fields={"csrf": "x" * 64}, text="hi")
    assert page.status_code == 503
    assert "The chat is not working just now. Please try again in a few minutes." in page.text
    assert posted.status_code == 400  # a forged post is refused before the store is asked
    assert token not in caplog.text
    assert "ConnectionError" in caplog.text
