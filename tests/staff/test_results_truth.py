"""Results that tell the truth at real numbers: the group-size rule, the subtraction case, sensitive
questions merged the Friends and Family Test way, hidden bars labelled, comparisons and trends."""

from __future__ import annotations

import re
from collections.abc import Sequence

from storage.conversations.store import Store
from storage.privacy.vault import Keys

from .conftest import SECRET

Answer = tuple[str, str]  # (value, channel)


async def answered(world, pack: str, question: str, answers: Sequence[Answer], *, hours: float = 1,
                   prefix: str = "t") -> Store:
    """One submission a person, `hours` apart, each answering `question` of `pack` on its channel."""
    store = Store(world.parts.database, Keys.from_secret(SECRET), clock=world.clock)
    for n, (value, channel) in enumerate(answers):
        submission = f"{prefix}-{question}-{n}"
        async with store.unit() as uow:
            await uow.start_submission(submission, None, pack, 1, "en", channel)
            await uow.record_answer(submission, question, value=value, number=None, text=None, skipped=False)
            await uow.finish_submission(submission, "completed")
        world.clock.advance(hours=hours)
    return store


def many(value: str, count: int, channel: str = "sms") -> list[Answer]:
    return [(value, channel)] * count


async def signed_in(world) -> None:
    await world.add("staff@example.org", "staff")
    await world.sign_in("staff@example.org")


def cells(html: str, table_id: str, label: str) -> list[str]:
    table = re.search(rf'<table class="data[^"]*" id="{table_id}">(.*?)</table>', html, re.DOTALL).group(1)
    found = re.search(rf"<th scope=\"row\">{re.escape(label)}</th>(.*?)</tr>", table, re.DOTALL).group(1)
    return [" ".join(re.sub(r"<[^>]+>", "", c).split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", found, re.DOTALL)]


def bar_rows(html: str, section_id: str) -> dict[str, tuple[bool, str, str | None]]:
    """label -> (hidden, words, bar width) for the bar chart in the section."""
    section = re.search(rf'<section class="card" id="{section_id}".*?</section>', html, re.DOTALL).group(0)
    found = {}
    for row in re.findall(r'<div class="bar-row[^"]*">.*?</div>', section, re.DOTALL):
        label = re.search(r'class="bar-label">([^<]*)<', row).group(1)
        words = re.search(r'class="bar-words">([^<]*)<', row).group(1)
        width = re.search(r'<rect class="bar-fill"[^>]*width="([^"]+)"', row)
        found[label] = ("bar-hidden" in row, words, width.group(1) if width else None)
    return found


async def test_a_dozen_friends_and_family_answers_are_all_shown_with_their_base(staff_world):
    # 12 answers over six answers: the old rule hid every one ("fewer than 5 / not shown").
    answers = many("very_good", 4) + many("good", 4) + many("neither", 2) + many("poor", 1) + many("very_poor", 1)
    await answered(staff_world, "parent_carer", "fft", answers)
    await signed_in(staff_world)
    page = (await staff_world.http.get("/staff/results/parent_carer")).text
    assert cells(page, "t-fft", "Very poor") == ["1", "8%"]
    assert cells(page, "t-fft", "Neither good nor poor") == ["2", "17%"]
    assert "67% positive" in page and "8 of 12 people who answered" in page
    bars = bar_rows(page, "q-fft")
    assert bars["Very good"] == (False, "4 of 12 people, 33%", "33.33")
    assert bars["Don&#39;t know"] == (False, "0 of 12 people, 0%", "0.0")
    # The rule is on the page, in one line.
    assert "We show a question&#39;s answers when at least 5 people answered it" in page


async def test_fewer_than_five_people_hides_the_whole_question_and_says_why(staff_world):
    await answered(staff_world, "parent_carer", "fft", many("very_good", 3) + many("poor", 1))
    await signed_in(staff_world)
    page = (await staff_world.http.get("/staff/results/parent_carer")).text
    assert cells(page, "t-fft", "Very good") == ["hidden", "hidden"]
    assert cells(page, "t-fft", "Poor") == ["hidden", "hidden"]
    assert "Fewer than 5 people answered, so the answers are not shown." in page
    assert "positive" not in re.search(r'id="q-fft".*?</section>', page, re.DOTALL).group(0).split("Skipped")[0] \
        .replace("aria-label", "")
    assert bar_rows(page, "q-fft") == {}  # no chart at all: nothing to draw


async def test_a_sensitive_question_is_merged_like_the_friends_and_family_test(staff_world):
    # "How are you feeling today?" is sensitive. 2 people said "Not good": too few to show alone.
    answers = many("good", 10) + many("ok", 6) + many("not_good", 2) + many("dont_know", 1)
    await answered(staff_world, "waiting_list", "feeling", answers)
    await signed_in(staff_world)
    page = (await staff_world.http.get("/staff/results/waiting_list")).text
    assert "Merged into positive, neutral and negative, as the NHS Friends and Family Test reports them" in page
    assert cells(page, "t-feeling", "Positive") == ["10", "53%"]
    # Negative (2) is hidden, and so is neutral (7): else 19 - 10 - 7 gives the 2 back.
    assert cells(page, "t-feeling", "Negative") == ["hidden", "hidden"]
    assert cells(page, "t-feeling", "Neutral or don&#39;t know") == ["hidden", "hidden"]
    assert "Not good" not in re.search(r'id="t-feeling".*?</table>', page, re.DOTALL).group(0)
    bars = bar_rows(page, "q-feeling")
    # A hidden figure is labelled hidden and has no bar at all, never a bar of length zero.
    assert bars["Negative"] == (True, "Hidden", None)
    assert bars["Positive"] == (False, "10 of 19 people, 53%", "52.63")


async def test_comparing_channels_hides_a_second_group_so_subtraction_gives_nothing(staff_world):
    answers = many("a_lot", 12) + many("a_little", 8) + many("a_lot", 2, "voice") + many("not_at_all", 1, "voice") \
        + many("a_lot", 5, "web") + many("a_little", 3, "web")
    await answered(staff_world, "parent_carer", "listened", answers)
    await signed_in(staff_world)
    whole = (await staff_world.http.get("/staff/results/parent_carer")).text
    assert cells(whole, "t-listened", "A lot") == ["19", "61%"]  # 31 people in all: shown
    page = (await staff_world.http.get("/staff/results/parent_carer/compare?by=channel")).text
    header = re.search(r'id="c-listened">.*?<thead>(.*?)</thead>', page, re.DOTALL).group(1)
    assert re.findall(r'<th scope="col" class="num">([^<]+)<', header) == ["SMS", "Phone call", "Web chat"]
    # Phone (3 people) is too few. Shown alone, web chat (8) would give it back: 19 - 12 - 5 = 2.
    assert cells(page, "c-listened", "A lot") == ["12 (60%)", "hidden", "hidden"]
    assert cells(page, "c-listened", "People who answered") == ["20", "fewer than 5", "hidden"]
    assert "Not shown, so that a smaller hidden group cannot be worked out by subtraction." in page
    assert "Phone call: Fewer than 5 people answered" in page


async def test_two_small_groups_together_still_too_few_hide_a_third(staff_world):
    answers = many("a_lot", 20) + many("a_lot", 2, "voice") + many("a_lot", 2, "telegram") + many("a_lot", 9, "web")
    await answered(staff_world, "parent_carer", "listened", answers)
    await signed_in(staff_world)
    page = (await staff_world.http.get("/staff/results/parent_carer/compare?by=channel")).text
    # Phone 2 and Telegram 2 hide each other, but together they are 4: the web chat's 9 is hidden too.
    assert cells(page, "c-listened", "People who answered") == ["20", "fewer than 5", "fewer than 5", "hidden"]


async def test_this_month_against_last(staff_world):
    staff_world.clock.now = staff_world.clock.now.replace(day=1, hour=9)  # 1 November 2026
    staff_world.clock.advance(days=-30)  # 2 October
    await answered(staff_world, "demo", "overall", many("good", 6) + many("poor", 2), hours=2, prefix="oct")
    staff_world.clock.now = staff_world.clock.now.replace(month=11, day=20)
    await answered(staff_world, "demo", "overall", many("good", 2) + many("ok", 1), hours=2, prefix="nov")
    await signed_in(staff_world)
    page = (await staff_world.http.get("/staff/results/demo/compare?by=month")).text
    header = re.search(r'id="c-overall">.*?<thead>(.*?)</thead>', page, re.DOTALL).group(1)
    assert re.findall(r'<th scope="col" class="num">([^<]+)<', header) == ["October 2026", "November 2026"]
    # November's 3 are too few; October is then the only other month, so it is hidden too.
    assert cells(page, "c-overall", "People who answered") == ["hidden", "fewer than 5"]
    assert cells(page, "c-overall", "Good") == ["hidden", "hidden"]
    assert (await staff_world.http.get("/staff/results/demo/compare?by=colour")).status_code == 404


async def test_the_trend_goes_week_by_week_when_every_week_has_enough_answers(staff_world):
    # 14 answers a day apart from a Monday: two weeks of 7 answers each.
    staff_world.clock.now = staff_world.clock.now.replace(day=2, hour=12)  # Monday 2 November
    await answered(staff_world, "demo", "overall", many("good", 10) + many("poor", 4), hours=24)
    await signed_in(staff_world)
    page = (await staff_world.http.get("/staff/results/demo/trend/overall")).text
    assert "Week by week, from" in page
    table = re.search(r'<table class="data" id="trend">(.*?)</table>', page, re.DOTALL).group(1)
    assert re.findall(r'<th scope="row">([^<]+)</th>', table) == ["Week of 2 Nov 2026", "Week of 9 Nov 2026"]
    assert cells(page, "trend", "Week of 9 Nov 2026") == ["3 (43%)", "0 (0%)", "4 (57%)", "7"]
    assert "Positive answers (as the Friends and Family Test counts them)" in page
    monthly = (await staff_world.http.get("/staff/results/demo/trend/overall?by=month")).text
    assert "Month by month, from" in monthly and "November 2026" in monthly
    # Too few for weeks: month by month without being asked.
    staff_world.clock.advance(days=40)
    await answered(staff_world, "demo", "overall", many("good", 2), hours=24, prefix="late")
    await staff_world.sign_in("staff@example.org")  # the clock moved on past the session
    assert "Month by month, from" in (await staff_world.http.get("/staff/results/demo/trend/overall")).text


async def written(world, texts: Sequence[str]) -> Store:
    store = Store(world.parts.database, Keys.from_secret(SECRET), clock=world.clock)
    for n, text in enumerate(texts):
        async with store.unit() as uow:
            await uow.start_submission(f"w-{n}", None, "demo", 1, "en", "sms")
            await uow.record_answer(f"w-{n}", "better", value=None, number=None, text=text, skipped=False)
        world.clock.advance(minutes=5)
    return store


async def test_written_answers_by_theme_and_the_words_people_used_most(staff_world):
    from storage.loop.store import LoopStore
    from storage.staff.records import Actor

    texts = ["The waiting room was cold and noisy."] * 3 + ["We waited too long for the first visit."] * 4 \
        + ["Dr Okafor was kind but the wait was long. Call 07700 900123"] * 5 + ["Parking was hard."]
    await written(staff_world, texts)
    loop = LoopStore(staff_world.parts.database, clock=staff_world.clock)
    await loop.create_theme("waiting times", keywords=["wait", "waited", "too long"], actor=Actor("test"))
    await loop.create_theme("the building", keywords=["waiting room", "parking"], actor=Actor("test"))
    await loop.create_theme("staff", keywords=["rude"], actor=Actor("test"))
    await signed_in(staff_world)
    results = (await staff_world.http.get("/staff/results/demo")).text
    assert 'href="/staff/results/demo/written/better"' in results
    page = (await staff_world.http.get("/staff/results/demo/written/better")).text
    assert cells(page, "t-themes", '<a href="/staff/comments?theme=waiting%20times">waiting times</a>') == ["9", "0"]
    assert cells(page, "t-themes", '<a href="/staff/comments?theme=the%20building">the building</a>') == ["4", "0"]
    assert "staff</a>" not in page  # a theme with no answers is not listed
    assert cells(page, "t-themes", "In no theme yet") == ["0", ""]
    words = dict(re.findall(r'<tr><th scope="row">([^<]+)</th><td class="num">(\d+)</td></tr>',
                            re.search(r'id="t-words">(.*?)</table>', page, re.DOTALL).group(1)))
    assert words["kind"] == "5" and words["wait"] == "5" and words["long"] == "9"
    assert "waited" not in words  # 4 people: too few to list
    assert "cold" not in words  # only 3 people: too few to list
    assert "okafor" not in words and "dr" not in words  # a name, however many wrote it
    assert not any(ch.isdigit() for word in words for ch in word)  # no numbers, phone numbers scrubbed
    assert "phone" not in words and "number" not in words  # nor the scrubber's "[phone number]"
    assert "the" not in words and "was" not in words


async def test_too_few_written_answers_are_not_summed_up(staff_world):
    await written(staff_world, ["Parking was hard."] * 4)
    await signed_in(staff_world)
    page = (await staff_world.http.get("/staff/results/demo/written/better")).text
    assert "Fewer than 5 people wrote an answer" in page and 't-words' not in page
    assert (await staff_world.http.get("/staff/results/demo/written/overall")).status_code == 404
