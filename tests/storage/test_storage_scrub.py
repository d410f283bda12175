"""Free text is scrubbed of contact details and identifiers before it is stored."""

from __future__ import annotations

import re

import phonenumbers
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from storage.privacy.vault import is_nhs_number, scrub


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call me on 07700 900123 please", "Call me on [phone number] please"),
        ("ring 020 7946 0018 after 3", "ring [phone number] after 3"),
        ("my mobile is +44 7700 900123.", "my mobile is [phone number]."),
        ("(01632) 960123 is the house", "[phone number] is the house"),
        ("US: +1 202 555 0143", "US: [phone number]"),
        ("France +33 1 23 45 67 89", "France [phone number]"),
        ("abc07700900123def", "abc[phone number]def"),
        ("mail sam.o'neil+cams@example.co.uk now", "mail [email] now"),
        ("we live at SW1A 1AA", "we live at [postcode]"),
        ("postcode m1 1ae.", "postcode [postcode]."),
        ("NHS number 943 476 5919", "NHS number [NHS number]"),
        ("NHS number 9434765919", "NHS number [NHS number]"),
        ("ref 123456789012", "ref [number]"),
        ("we waited 18 weeks and 3 days", "we waited 18 weeks and 3 days"),
        ("about 1000000 people", "about 1000000 people"),
        ("score 7 out of 10", "score 7 out of 10"),
        ("line one\r\nline two\ttabbed", "line one\nline two\ttabbed"),
        ("hidden\u202edlrow\u202c text\x00\x07", "hiddendlrow text"),
        ("zero\u200bwidth 0770\u200b0 900123", "zerowidth [phone number]"),
    ],
)
def test_examples(text, expected):
    assert scrub(text) == expected


def test_an_invalid_nhs_number_is_not_labelled_as_one():
    assert not is_nhs_number("9434765918")
    assert "[NHS number]" not in scrub("id 943 476 5918")
    assert is_nhs_number("9434765919")


def test_length_is_capped():
    assert len(scrub("a" * 10_000)) == 4000
    assert scrub("hello there", max_length=5) == "hello"
    with pytest.raises(ValueError):
        scrub("x", max_length=0)


# Strategies -----------------------------------------------------------------------------------------


def _nhs_numbers() -> st.SearchStrategy[str]:
    def complete(first_nine: list[int]) -> str | None:
        check = 11 - sum(d * w for d, w in zip(first_nine, range(10, 1, -1), strict=True)) % 11
        check = 0 if check == 11 else check
        return None if check == 10 else "".join(map(str, first_nine)) + str(check)

    return st.lists(st.integers(0, 9), min_size=9, max_size=9).map(complete).filter(lambda n: n is not None)


@st.composite
def uk_phone_numbers(draw) -> tuple[str, str]:
    """(the number as a person might write it, its national significant number)."""
    kind = draw(st.sampled_from(["mobile", "london", "manchester", "area"]))
    if kind == "mobile":
        nsn = "7" + draw(st.from_regex(r"[0-9]{9}", fullmatch=True))
        groups = [nsn[:4], nsn[4:]] if draw(st.booleans()) else [nsn[:4], nsn[4:7], nsn[7:]]
    elif kind == "london":
        nsn = "20" + draw(st.from_regex(r"[3-8][0-9]{7}", fullmatch=True))
        groups = [nsn[:2], nsn[2:6], nsn[6:]]
    elif kind == "manchester":
        nsn = "161" + draw(st.from_regex(r"[2-9][0-9]{6}", fullmatch=True))
        groups = [nsn[:3], nsn[3:6], nsn[6:]]
    else:
        nsn = "1632" + draw(st.from_regex(r"[0-9]{6}", fullmatch=True))
        groups = [nsn[:4], nsn[4:]]
    separator = draw(st.sampled_from([" ", "", "-", " ", "."]))
    prefix = draw(st.sampled_from(["0", "+44 ", "+44", "0044 ", "+44 (0)"]))
    body = separator.join(groups)
    if prefix == "0" and kind != "mobile" and draw(st.booleans()):
        return f"(0{groups[0]}) {separator.join(groups[1:])}", nsn
    return prefix + body, nsn


def _international_numbers() -> st.SearchStrategy[tuple[str, str]]:
    regions = ["US", "IE", "FR", "DE", "PL", "IN", "PK", "NG", "ES", "IT", "RO", "SO", "BD", "TR", "AU"]
    formats = [phonenumbers.PhoneNumberFormat.INTERNATIONAL, phonenumbers.PhoneNumberFormat.E164]

    def render(pair: tuple[str, int]) -> tuple[str, str]:
        region, style = pair
        number = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
        return phonenumbers.format_number(number, style), phonenumbers.national_significant_number(number)

    return st.tuples(st.sampled_from(regions), st.sampled_from(formats)).map(render)


_no_digits = st.text(alphabet=st.characters(blacklist_categories=["Nd", "No", "Nl", "Cs"]), max_size=40)


def _digits_only(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


# Properties -----------------------------------------------------------------------------------------


@settings(max_examples=300)
@given(st.text(max_size=300), st.integers(min_value=1, max_value=400))
@example("0" * 20 + "@a.b", 4000)
@example("\u202e07700 900123\u202c", 4000)
def test_scrub_never_raises_stays_within_the_cap_and_is_idempotent(text, cap):
    once = scrub(text, max_length=cap)
    assert len(once) <= cap
    assert scrub(once, max_length=cap) == once
    assert not any(ch in once for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\x00")


@settings(max_examples=300)
@given(before=_no_digits, phone=st.one_of(uk_phone_numbers(), _international_numbers()), after=_no_digits)
def test_a_phone_number_in_any_text_never_survives(before, phone, after):
    written, nsn = phone
    scrubbed = scrub(before + written + after)
    assert nsn not in _digits_only(scrubbed)
    # Replaced by a label, whichever pattern claimed it (an "@" just before it makes it look like an email).
    assert "[phone number]" in scrubbed or "[email]" in scrubbed


@settings(max_examples=200)
@given(
    before=st.text(max_size=40),
    phone=uk_phone_numbers(),
    after=st.text(max_size=40),
    invisible=st.sampled_from(["\u200b", "\u202e", "\u2066", "\x00", "\ufeff"]),
)
def test_a_phone_number_with_hidden_characters_or_digits_around_it_never_survives(before, phone, after, invisible):
    written, nsn = phone
    cut = len(written) // 2
    disguised = written[:cut] + invisible + written[cut:]
    scrubbed = scrub(f"{before} {disguised} {after}")
    # Digits the surrounding text brought may touch the gap, so look for the number in each digit run.
    runs = re.findall(r"\d[\d \-.()]*", scrubbed)
    assert not any(nsn in _digits_only(run) for run in runs)


@given(before=_no_digits, nhs=_nhs_numbers(), spaced=st.booleans(), after=_no_digits)
def test_nhs_numbers_are_labelled(before, nhs, spaced, after):
    written = f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}" if spaced else nhs
    scrubbed = scrub(f"{before} {written} {after}")
    assert nhs not in _digits_only(scrubbed)
    assert "[NHS number]" in scrubbed


@given(
    local=st.from_regex(r"[a-z][a-z0-9._+-]{0,15}", fullmatch=True),
    domain=st.from_regex(r"[a-z0-9]{1,10}(\.[a-z]{2,5}){1,2}", fullmatch=True),
    before=_no_digits,
)
def test_emails_never_survive(local, domain, before):
    scrubbed = scrub(f"{before} {local}@{domain} thanks")
    assert "@" + domain not in scrubbed
    assert "[email]" in scrubbed
