"""Reading a phone number that a person types (for CALL ME), as E.164.

Pure text reading with the `phonenumbers` library. Storage canonicalises provider addresses for its
pseudonyms on its own (`storage/privacy/vault.py`); the engine only needs to know whether a reply is a
number we could call, and must not import storage.
"""

from __future__ import annotations

import phonenumbers

REGION = "GB"  # a number without a country code is read as a UK number


def read_phone(text: str) -> str | None:
    """`"07700 900123"` -> `"+447700900123"`; None when the text is not a possible phone number."""
    try:
        number = phonenumbers.parse(text.strip(), REGION)
    except phonenumbers.NumberParseException:
        return None
    # "Possible" (right length for the country) rather than "valid", as storage does: test ranges count.
    if phonenumbers.is_possible_number_with_reason(number) != phonenumbers.ValidationResult.IS_POSSIBLE:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
