"""Small helpers the loop's console pages share: texts per language from a form, and redirects."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.responses import RedirectResponse

from bot.content.easyread.findings import Finding
from bot.loop.loop import Loop
from bot.web.staff import fields
from bot.web.staff.results import CHANNEL_NAMES, english

__all__ = ["CHANNEL_NAMES", "english", "findings_by_place", "language_names", "see", "texts_by_language"]


def language_names(loop: Loop) -> dict[str, str]:
    return {code: loop.composer.texts.language_name(code) for code in loop.languages}


def texts_by_language(
    form: FormData, prefix: str, loop: Loop, *, label: str, max_length: int, errors: dict[str, str]
) -> dict[str, str]:
    """{"en": …, "cy": …} from fields `<prefix>_<lang>`; the first language is required."""
    found: dict[str, str] = {}
    for n, lang in enumerate(loop.languages):
        name = f"{prefix}_{lang}"
        try:
            value = fields.text(form, name, label=f"{label} ({language_names(loop)[lang]})", max_length=max_length,
                                required=n == 0)
        except fields.FieldProblem as problem:
            errors[problem.name] = problem.message
            continue
        if value:
            found[lang] = value
    return found


def findings_by_place(found: dict[str, list[Finding]]) -> list[tuple[str, list[Finding]]]:
    return sorted(found.items())


def see(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)
