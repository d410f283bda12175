"""Which question comes next, given the answers so far.

A question with `when: {question: overall, in: [ok, poor]}` is asked only if the answer to `overall`
was one of those values; a skipped `overall` means the question is not asked either.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.content.packs.model import Pack, Question


def applies(question: Question, answers: Mapping[str, str]) -> bool:
    if question.when is None:
        return True
    return answers.get(question.when.question) in question.when.in_


def next_question(
    pack: Pack, after: str | None, answers: Mapping[str, str]
) -> tuple[Question | None, list[Question]]:
    """The next question that applies after `after` (or the first), and the ones passed over on the way."""
    ids = [q.id for q in pack.questions]
    start = ids.index(after) + 1 if after in ids else 0
    passed: list[Question] = []
    for question in pack.questions[start:]:
        if applies(question, answers):
            return question, passed
        passed.append(question)
    return None, passed


def progress(
    pack: Pack, question: Question, answered_before: int, answers: Mapping[str, str]
) -> tuple[int, int]:
    """(this question's number, how many questions at most), counting only questions that may still apply.

    A later question whose condition waits on a question not answered yet still counts: it may come.
    """
    ids = [q.id for q in pack.questions]
    here = ids.index(question.id) if question.id in ids else len(ids)
    later = pack.questions[here + 1:]
    settled = set(ids[:here])  # questions before this one are answered, skipped or passed over
    may_come = sum(
        1 for q in later if q.when is None or q.when.question not in settled or applies(q, answers)
    )
    number = answered_before + 1
    return number, number + may_come
