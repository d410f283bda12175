"""Keys, address normalisation, pseudonyms and the vault."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage.privacy.vault import (
    AddressError,
    Keys,
    Vault,
    VaultError,
    normalise_address,
    pseudonym,
    short,
)

KEYS = Keys.from_secret("one secret")
OTHER_KEYS = Keys.from_secret("another secret")


def test_keys_are_deterministic_independent_and_hidden_from_repr():
    again = Keys.from_secret("one secret")
    assert again == KEYS
    assert len(KEYS.pseudonym_key) == len(KEYS.vault_key) == 32
    assert KEYS.pseudonym_key != KEYS.vault_key
    assert KEYS.pseudonym_key != OTHER_KEYS.pseudonym_key
    assert KEYS.pseudonym_key.hex() not in repr(KEYS)
    assert "one secret" not in repr(KEYS)


def test_an_empty_secret_is_refused():
    with pytest.raises(ValueError, match="SAID_SECRET_KEY"):
        Keys.from_secret("")


@pytest.mark.parametrize(
    ("channel", "address", "expected"),
    [
        ("sms", "07700 900123", "+447700900123"),
        ("sms", "+44 (0)7700 900123", "+447700900123"),
        ("voice", "+447700900123", "+447700900123"),
        ("sms", "00447700900123", "+447700900123"),
        ("whatsapp", "whatsapp:+447700900123", "+447700900123"),
        ("whatsapp", "WhatsApp: 07700 900123", "+447700900123"),
        ("sms", "+1 202-555-0143", "+12025550143"),
        ("telegram", "123456789", "123456789"),
        ("telegram", " -100123 ", "-100123"),
        ("telegram", "00042", "42"),
        ("web", "Tok_en-123", "Tok_en-123"),
    ],
)
def test_addresses_are_normalised(channel, address, expected):
    assert normalise_address(channel, address) == expected


@pytest.mark.parametrize(
    ("channel", "address"),
    [
        ("sms", "07700"),
        ("sms", "call me"),
        ("sms", ""),
        ("voice", "+44 7700 900123 999 888"),
        ("telegram", "12ab"),
        ("telegram", "1.5"),
        ("web", ""),
        ("fax", "01632 960123"),
    ],
)
def test_unreadable_addresses_raise_without_repeating_the_address(channel, address):
    with pytest.raises(AddressError) as raised:
        normalise_address(channel, address)
    if address.strip():
        assert address.strip() not in str(raised.value)


@given(channel=st.sampled_from(["sms", "voice", "whatsapp", "telegram", "web"]), address=st.text(max_size=60))
def test_normalising_any_text_either_works_or_raises_address_error(channel, address):
    try:
        normalised = normalise_address(channel, address)
    except AddressError as error:
        # Messages are fixed sentences; a word like "read" may appear in them, a number never should.
        if sum(ch.isdigit() for ch in address) >= 3:
            assert address.strip() not in str(error)
    else:
        assert normalise_address(channel, normalised) == normalised  # normal forms are stable


def test_pseudonyms_are_stable_and_follow_the_person_not_the_spelling():
    texted = pseudonym(KEYS, "sms", "07700 900123")
    assert texted == pseudonym(KEYS, "sms", "+447700900123")
    assert len(texted) == 64
    assert int(texted, 16) >= 0
    # A parent who texts and rings from one phone is one participant...
    assert pseudonym(KEYS, "voice", "+44 7700 900123") == texted
    # ... but WhatsApp is its own identity, and other people and other keys differ.
    assert pseudonym(KEYS, "whatsapp", "whatsapp:+447700900123") != texted
    assert pseudonym(KEYS, "sms", "07700 900124") != texted
    assert pseudonym(OTHER_KEYS, "sms", "07700 900123") != texted
    assert pseudonym(KEYS, "telegram", "447700900123") != pseudonym(KEYS, "web", "447700900123")
    assert "7700900123" not in texted


def test_short_pseudonym_is_the_first_eight_characters():
    key = pseudonym(KEYS, "telegram", "42")
    assert short(key) == key[:8]
    assert len(short(key)) == 8


@given(address=st.text(max_size=200))
def test_vault_round_trip(address):
    vault = Vault(KEYS)
    sealed = vault.seal(address, participant_id=7)
    assert vault.open(sealed, participant_id=7) == address
    if len(address.encode()) >= 8:  # shorter byte strings turn up in random ciphertext by chance
        assert address.encode() not in sealed


def test_sealing_twice_gives_different_tokens():
    vault = Vault(KEYS)
    assert vault.seal("+447700900123", participant_id=1) != vault.seal("+447700900123", participant_id=1)


def test_the_wrong_key_or_a_damaged_token_raises_vault_error_without_leaking():
    sealed = Vault(KEYS).seal("+447700900123", participant_id=1)
    with pytest.raises(VaultError) as raised:
        Vault(OTHER_KEYS).open(sealed, participant_id=1)
    assert "7700" not in str(raised.value)
    damaged = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(VaultError):
        Vault(KEYS).open(damaged, participant_id=1)
    for broken in (b"", b"\x02", b"\x01" + sealed[1:], b"\x03" + sealed[1:]):
        with pytest.raises(VaultError):
            Vault(KEYS).open(broken, participant_id=1)
    assert "7700" not in repr(Vault(KEYS))


def test_a_withheld_caller_is_known_only_by_the_call(keys) -> None:
    from storage.privacy.vault import AddressError, normalise_address, pseudonym

    call = "call:CA0123456789abcdef0123456789abcdef"
    assert normalise_address("voice", call) == call
    # Its own namespace: never the same person as any phone number, and two calls are two people.
    assert pseudonym(keys, "voice", call) != pseudonym(keys, "voice", "call:CAffffffffffffffffffffffffffffffff")
    for bad in ("call:", "call:../../etc", "call:" + "A" * 65):
        with pytest.raises(AddressError):
            normalise_address("voice", bad)
    with pytest.raises(AddressError):
        normalise_address("sms", call)


def test_a_sealed_address_opens_only_for_its_own_participant_and_purpose():
    vault = Vault(KEYS)
    sealed = vault.seal("+447700900123", participant_id=1)
    # Copied onto another participant's row, it does not open: their messages cannot be sent to this number.
    with pytest.raises(VaultError) as raised:
        vault.open(sealed, participant_id=2)
    assert "7700" not in str(raised.value)
    with pytest.raises(VaultError):
        vault.open(sealed, participant_id=1, purpose="callback")
    assert vault.open(sealed, participant_id=1) == "+447700900123"
