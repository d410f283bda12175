"""`/you-said-we-did`: published actions, newest first, easy-read, by theme, in the reader's language, with
small counts suppressed; and the poster view, one action a page."""

from __future__ import annotations

import re
from datetime import date

from loop_kit import STAFF, LoopWorld, Seeder

from storage.loop.records import ContactPlan


async def _theme(world: LoopWorld, name: str, people: int, word: str) -> int:
    theme_id = await world.loop.store.create_theme(name, actor=STAFF)
    seed = Seeder(world)
    for n in range(people):
        await seed.person(f"+4477009{abs(hash(name)) % 1000:03d}{n:02d}", said=f"{word} was hard")
    for answer_id in await world.answer_ids(word):
        await world.loop.store.tag("answer", answer_id, name, actor=STAFF)
    return theme_id


async def _action(world: LoopWorld, theme_id: int, you_said: str, we_did: str, **extra) -> int:
    action_id, _ = await world.loop.create_action(
        you_said={"en": you_said, **extra.pop("you_said_more", {})},
        we_did={"en": we_did, **extra.pop("we_did_more", {})},
        status=extra.pop("status", "done"), symbol=extra.pop("symbol", "clock"),
        happened_on=extra.pop("happened_on", date(2026, 11, 2)), theme_ids=[theme_id], actor=STAFF,
    )
    return action_id


def _articles(html: str) -> list[str]:
    return re.findall(r'<h3 id="said-\d+"[^>]*>.*?</span>\s*(.*?)\s*</h3>', html, re.DOTALL)


async def test_published_actions_show_newest_first_and_drafts_never(world: LoopWorld):
    waiting = await _theme(world, "waiting times", 6, "Waiting")
    parking = await _theme(world, "parking", 2, "Parking")
    first = await _action(world, waiting, "The wait was too long.", "We added visits on Saturdays.")
    second = await _action(world, parking, "It was hard to park.", "The car park is not ours.",
                           status="not_possible", symbol="no")
    await _action(world, waiting, "This one is a draft.", "Nobody sees it yet.")
    await world.loop.publish(first, actor=STAFF)
    world.clock.advance(days=1)
    await world.loop.publish(second, actor=STAFF)

    page = await world.http.get("/you-said-we-did")
    assert page.status_code == 200
    assert _articles(page.text) == ["It was hard to park.", "The wait was too long."]
    assert "This one is a draft." not in page.text
    assert "6 people told us this." in page.text
    assert "Fewer than 5 people told us this." in page.text  # two people: the count is suppressed
    assert ">2 people" not in page.text
    assert "We cannot do this" in page.text
    assert "Date: 2 November 2026" in page.text


async def test_the_filter_shows_one_theme_and_ignores_nonsense(world: LoopWorld):
    waiting = await _theme(world, "waiting times", 1, "Waiting")
    parking = await _theme(world, "parking", 1, "Parking")
    for theme_id, words in ((waiting, "The wait was too long."), (parking, "It was hard to park.")):
        await world.loop.publish(await _action(world, theme_id, words, "We did something."), actor=STAFF)

    only = await world.http.get(f"/you-said-we-did?theme={parking}")
    assert _articles(only.text) == ["It was hard to park."]
    assert f'<option value="{parking}" selected>parking</option>' in only.text
    everything = await world.http.get("/you-said-we-did?theme=999999&lang=klingon")
    assert len(_articles(everything.text)) == 2
    assert '<html lang="en">' in everything.text


async def test_the_page_speaks_welsh_and_marks_english_left_in_it(world: LoopWorld):
    theme_id = await _theme(world, "waiting times", 1, "Waiting")
    welsh = await _action(world, theme_id, "The wait was too long.", "We added visits on Saturdays.",
                          you_said_more={"cy": "Roedd yr aros yn rhy hir."},
                          we_did_more={"cy": "Rydyn ni wedi ychwanegu ymweliadau ar ddydd Sadwrn."})
    english_only = await _action(world, theme_id, "Letters were hard to read.", "We use plain words now.")
    await world.loop.publish(welsh, actor=STAFF)
    await world.loop.publish(english_only, actor=STAFF)

    page = (await world.http.get("/you-said-we-did?lang=cy")).text
    assert '<html lang="cy">' in page
    assert "Dywedoch chi, fe wnaethon ni" in page
    assert '<h3 id="said-' + str(welsh) + '" lang="cy">' in page
    assert '<h3 id="said-' + str(english_only) + '" lang="en">' in page  # no Welsh: English, marked as such
    assert "Dyddiad: 2 Tachwedd 2026" in page


async def test_the_threshold_comes_from_the_settings(make_world):
    async with make_world(small_number_threshold=8) as world:
        theme_id = await _theme(world, "waiting times", 6, "Waiting")
        await world.loop.publish(await _action(world, theme_id, "The wait was too long.", "We did it."), actor=STAFF)
        page = (await world.http.get("/you-said-we-did")).text
    assert "Fewer than 8 people told us this." in page
    assert "6 people" not in page


async def test_staff_words_are_shown_as_text_never_run(world: LoopWorld):
    theme_id = await _theme(world, "waiting times", 1, "Waiting")
    # Straight through the store: the easy-read check would refuse these words before they got here.
    action_id = await world.loop.store.create_action(
        you_said={"en": "<script>alert(1)</script>"}, we_did={"en": "<b>bold</b> & done"}, status="done",
        symbol="clock", happened_on=date(2026, 11, 2), theme_ids=[theme_id], actor=STAFF,
    )

    def empty(action):
        return {"en": []}, "en"

    plan = await world.loop.store.publish(action_id, empty, channels=set(), runs=lambda c, n: [], actor=STAFF)
    assert plan == ContactPlan({}, {}, unreachable=1, raised_by=1)  # no channel to send on: nobody queued
    page = (await world.http.get("/you-said-we-did")).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; done" in page


async def test_posters_are_one_action_a_page_and_can_be_one_action(world: LoopWorld):
    theme_id = await _theme(world, "waiting times", 1, "Waiting")
    ids = [await _action(world, theme_id, f"Thing {n} was hard.", f"We fixed thing {n}.") for n in (1, 2)]
    for action_id in ids:
        await world.loop.publish(action_id, actor=STAFF)

    every = (await world.http.get("/you-said-we-did/poster")).text
    assert every.count('<article class="poster') == 2
    assert 'class="symbol big"' in every
    one = (await world.http.get(f"/you-said-we-did/poster?action={ids[0]}&lang=en")).text
    assert one.count('<article class="poster') == 1 and "We fixed thing 1." in one
    css = await world.http.get("/you-said-we-did/static/public.css")
    assert css.status_code == 200
    assert "break-after: page" in css.text
