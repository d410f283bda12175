"""Reading form fields with limits, so oversized or malformed input gets a clear message, not a crash."""

from __future__ import annotations

from starlette.datastructures import FormData


class FieldProblem(ValueError):
    """A field is missing, too long or not one of the allowed values; the message says so in plain words."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


def text(form: FormData, name: str, *, label: str, max_length: int, required: bool = True) -> str:
    value = form.get(name, "")
    if not isinstance(value, str):
        raise FieldProblem(name, f"{label}: this field could not be read.")
    value = value.replace("\r\n", "\n").strip()
    if required and not value:
        raise FieldProblem(name, f"{label}: please fill this in.")
    if len(value) > max_length:
        raise FieldProblem(name, f"{label}: use at most {max_length} characters (this has {len(value)}).")
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in value):
        raise FieldProblem(name, f"{label}: remove the hidden control characters.")
    return value


def choice(form: FormData, name: str, *, label: str, allowed: set[str] | frozenset[str]) -> str:
    value = form.get(name, "")
    if value not in allowed:
        raise FieldProblem(name, f"{label}: please choose one of the options.")
    return str(value)


def number(form: FormData, name: str, *, label: str, low: int, high: int) -> int:
    value = str(form.get(name, "")).strip()
    if not value.isdigit() or not low <= int(value) <= high:
        raise FieldProblem(name, f"{label}: use a whole number from {low} to {high}.")
    return int(value)


def page_number(value: str | None, *, pages: int) -> int:
    """A 1-based page from the query string; anything odd is page 1."""
    if value is None or not value.isdigit():
        return 1
    return max(1, min(int(value), max(pages, 1)))
