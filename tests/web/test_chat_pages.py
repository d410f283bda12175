"""The web chat as a person without JavaScript meets it: pages, buttons, post-redirect-get."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from channels.webchat.session import COOKIE_NAME

from .conftest import Chat, FakeChatService, FakeTranscripts, make_app


def test_first_visit_welcomes_and_offers_the_packs_as_buttons(chat: Chat) -> None:
    response = chat.client.get("/chat")
    assert response.status_code == 200
    page = response.text
    assert "Hello! This chat asks you a few short questions." in page
    assert "What would you like to tell us about?" in page
    assert re.search(r'<button type="submit" class="choice" name="start" value="visit">.*Your visit', page)
    assert '<html lang="en">' in page
    assert "Type HELP for help. Type FORGET ME to forget this chat. Type STOP to stop." in page
    assert "delete your answers" not in page, "FORGET ME keeps the anonymous answers; the footer says so"
    # A Welsh speaker sees the way in, in Welsh and marked as Welsh, before anything else is asked.
    assert re.search(r'<li class="turn turn-bot turn-note" lang="cy"[^>]*>.*teipiwch CYMRAEG', page, re.S)
    assert 'href="/you-said-we-did"' in page
    assert 'maxlength="2000"' in page
    assert "Or type your answer" in page


def test_the_session_cookie_is_opaque_httponly_and_lax(chat: Chat) -> None:
    response = chat.client.get("/chat")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
    assert "Path=/chat" in cookie
    assert "Secure" not in cookie
    token = chat.token
    assert len(token) == 43
    # The token is the person's address: it never appears in the page itself.
    assert token not in response.text


def test_secure_cookies_when_served_over_https() -> None:
    client = TestClient(make_app(FakeChatService(), FakeTranscripts(), secure_cookies=True))
    assert "Secure" in client.get("/chat").headers["set-cookie"]


def test_a_second_visit_keeps_the_same_chat(chat: Chat) -> None:
    chat.open()
    first = chat.token
    response = chat.client.get("/chat")
    assert "set-cookie" not in response.headers
    assert chat.token == first
    assert response.text.count("Hello! This chat asks you") == 1


def test_pages_are_private_and_load_nothing_from_elsewhere(chat: Chat) -> None:
    response = chat.client.get("/chat")
    assert response.headers["cache-control"] == "no-store"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert not re.search(r'(src|href)="(https?:)?//', response.text)


def test_tapping_a_pack_button_starts_it_then_redirects_back_to_the_latest_message(chat: Chat) -> None:
    response = chat.post(start="visit")
    assert response.status_code == 303
    assert response.headers["location"] == "/chat#latest"
    (channel, address, inbound) = chat.service.received[-1]
    assert channel == "web"
    assert address == chat.token
    assert inbound.start_pack == "visit"
    assert inbound.choice is None
    page = chat.open()
    assert "Question 1 of 3" in page
    assert "How was your visit?" in page
    assert re.search(r'name="choice" value="good">.*Good</span>', page)
    # The person's tap shows as their message, with its symbol.
    assert re.search(r'turn-person.*?🏥.*?Your visit', page, re.S)
    # Only the waiting question has buttons: the menu's are gone.
    assert 'name="start"' not in page
    assert page.count('id="latest"') == 1


def test_a_tapped_choice_reaches_the_service_as_that_choice_with_its_words(chat: Chat) -> None:
    chat.post(start="visit")
    chat.post(choice="good")
    inbound = chat.service.received[-1][2]
    assert inbound.choice == "good"
    assert inbound.text == "Good"
    assert "What could we do better?" in chat.open()


def test_typed_answers_are_sent_as_text(chat: Chat) -> None:
    chat.post(start="visit")
    chat.post(text="  2  ")
    inbound = chat.service.received[-1][2]
    assert inbound.text == "2"
    assert inbound.choice is None


def test_an_answer_the_bot_did_not_understand_is_asked_again(chat: Chat) -> None:
    chat.post(start="visit")
    chat.post(text="banana")
    page = chat.open()
    assert "Sorry, I did not understand that." in page
    assert page.count("How was your visit?") == 2
    assert len(re.findall(r'name="choice" value="good"', page)) == 1  # only the re-ask has buttons


def test_a_question_without_choices_offers_the_text_box_alone(chat: Chat) -> None:
    chat.post(start="visit")
    chat.post(choice="good")
    page = chat.open()
    assert "Type your answer" in page
    assert "Or type your answer" not in page
    assert "Type your answer. Or type SKIP." in page  # the hint


def test_the_end_of_a_pack_thanks_and_offers_the_menu_again(chat: Chat) -> None:
    chat.post(start="visit")
    chat.post(choice="good")
    chat.post(text="More chairs please")
    chat.post(choice="yes")
    page = chat.open()
    assert "Thank you. We read every answer." in page
    assert re.search(r'name="start" value="visit"', page)
    assert page.rfind("Thank you. We read every answer.") < page.rfind('name="start"')


def test_each_message_carries_its_own_language(chat: Chat) -> None:
    chat.post(start="visit_cy")
    page = chat.open()
    assert re.search(r'<li class="turn turn-bot turn-ask" data-question-kind="choice" lang="cy"[^>]*>', page)
    assert "Sut oedd eich ymweliad?" in page
    # The chat's own words follow the person's language, and the page says which it is.
    assert '<p class="progress" lang="cy">Cwestiwn 1 o 3</p>' in page
    assert '<html lang="cy">' in page and ">Anfon</button>" in page
    assert '<html lang="cy">' in page


def test_help_answers_and_asks_the_same_question_again(chat: Chat) -> None:
    chat.post(start="visit")
    chat.post(text="help")
    page = chat.open()
    assert "Tap a button, or type your answer." in page
    assert page.count("How was your visit?") == 2


def test_static_files_are_served(chat: Chat) -> None:
    assert chat.client.get("/chat/static/chat.css").status_code == 200
    script = chat.client.get("/chat/static/chat.js")
    assert script.status_code == 200
    assert "fetch" in script.text


def test_symbol_pictures_replace_emoji_when_there_is_a_file(tmp_path) -> None:
    (tmp_path / "hospital.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
    client = TestClient(make_app(FakeChatService(), FakeTranscripts(), symbol_dir=tmp_path))
    page = client.get("/chat").text
    assert '<img class="symbol" src="/chat/symbols/hospital.svg" alt=""' in page
    assert "🏥" not in page
    assert "📋" in page  # no picture for "list": the emoji stays
    assert client.get("/chat/symbols/hospital.svg").status_code == 200


def test_messages_sent_later_in_the_outbox_format_are_shown(chat: Chat) -> None:
    chat.post(start="visit")  # a message can only be sent later to a chat that has begun
    chat.turns().append(
        {
            "who": "bot",
            "messages": [
                {"type": "say", "text": "You said the chairs were hard. We did buy new ones.", "emoji": "🪑"},
                {
                    "type": "ask", "question_id": "ok", "text": "Is that better?", "kind": "yesno",
                    "language": "en", "symbol": "ok", "emoji": "🤔", "hint": "", "optional": False,
                    "progress": None,
                    "choices": [
                        {"value": "yes", "label": "Yes", "symbol": "yes", "emoji": "👍", "key": "1"},
                        {"value": "no", "label": "No", "symbol": "no", "emoji": "👎", "key": "2"},
                    ],
                },
            ],
        }
    )
    page = chat.open()
    assert "We did buy new ones." in page
    assert re.search(r'name="choice" value="yes">.*Yes', page)
    chat.post(choice="yes")
    assert chat.service.received[-1][2].choice == "yes"
    assert chat.turns()[-2]["messages"] == [{"type": "text", "text": "Yes", "emoji": "👍"}]
