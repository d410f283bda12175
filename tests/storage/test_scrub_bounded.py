"""Scrubbing stays complete when the work it may do is bounded (crafted messages must not stall the server)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from storage.privacy import scrub as scrubbing
from storage.privacy.scrub import EMAIL, PHONE, scrub

# The pattern `_emails` replaces; as one regex it is quadratic on long runs of letters.
QUADRATIC_EMAIL = re.compile(r"[\w.%+'-]+@[\w-]+(?:\.[\w-]+)+")

email_ish = st.text(alphabet=st.sampled_from(list("ab1_.-+%'@ é\n")), max_size=80)


@given(email_ish)
@settings(max_examples=400)
def test_linear_email_finder_replaces_exactly_what_the_regex_would(text):
    assert scrubbing._emails(text) == QUADRATIC_EMAIL.sub(EMAIL, text)


def test_emails_in_a_long_run_of_letters_are_still_found():
    text = "x" * 3000 + " write to sam.jones@example.org please " + "y" * 900
    assert "example.org" not in scrub(text)
    assert EMAIL in scrub(text)


def test_many_phone_numbers_are_all_scrubbed_beyond_the_matcher_budget():
    numbers = [f"07700 900{n:03d}" for n in range(40)]
    text = " and ".join(f"call {number}" for number in numbers)
    out = scrub(text)
    assert not any(number in out for number in numbers)
    assert not any(number.replace(" ", "") in out for number in numbers)
    assert out.count(PHONE) == len(numbers)


def test_international_numbers_after_the_budget_are_scrubbed_too():
    text = " ".join(["ring 07700 900123"] * 20 + ["or +44 7700 900456 or +1 212 555 0199"])
    out = scrub(text)
    assert "900456" not in out and "555 0199" not in out
