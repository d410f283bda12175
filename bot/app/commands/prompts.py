"""`said prompts check [PATH…]`: print every finding, a reading summary per pack, and a count.

    prompts/packs/children.yaml:31: sentence-length: question 'school' (en): 14 words … (split …)
    prompts/packs/parent_carer.yaml:40: contraction: (allowed: NHS Friends and Family Test wording) [warning]
    children (prompts/packs/children.yaml): child, reading grade en 1.2 (most 3), cy not scored: 0 errors, …
    4 packs checked: 0 errors, 3 warnings

Each pack's summary ends with what the whole pack costs by SMS, in plain GSM-7 segments; `--costs`
prints the price of every message (opening, each question, end) as a table. The exit code is 1 when
there is any error; warnings alone pass.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from bot.content.easyread.check import PackReport, scan_paths, shown_path
from bot.content.easyread.findings import ERROR, WARNING, Finding


def run(paths: list[str], out: TextIO, *, costs: bool = False) -> int:
    scan = scan_paths([Path(p) for p in paths])
    for finding in scan.other:
        out.write(_line(finding))
    for report in scan.reports:
        for finding in report.findings:
            out.write(_line(finding))
    for report in scan.reports:
        out.write(_summary(report) + "\n")
        if costs and report.costs:
            out.write(cost_table(report) + "\n")
    findings = scan.findings()
    errors = sum(1 for f in findings if f.severity == ERROR)
    warnings = sum(1 for f in findings if f.severity == WARNING)
    count = len(scan.reports)
    out.write(f"{count} pack{'s' if count != 1 else ''} checked: {_errors(errors)}, {_warnings(warnings)}\n")
    return 1 if errors else 0


def _line(finding: Finding) -> str:
    return f"{finding} [warning]\n" if finding.severity == WARNING else f"{finding}\n"


def _summary(report: PackReport) -> str:
    name = report.pack.id if report.pack is not None else "(not loaded)"
    head = f"{name} ({shown_path(report.path)})"
    if report.pack is None:
        return f"{head}: {_errors(report.errors)}"
    most = report.max_grade
    scores = []
    for language, grade in report.grades.items():
        if grade is None:
            scores.append(f"{language} not scored")
        else:
            limit = f" (most {most:g})" if most is not None else ""
            scores.append(f"{language} {grade:.1f}{limit}")
    sms = ""
    if report.costs:
        totals = {lang: sum(row.costs[lang][0] for row in report.costs) for lang in report.pack.languages}
        sms = "; by SMS at most " + ", ".join(f"{lang} {total}" for lang, total in totals.items()) + " segments"
    return (
        f"{head}: {report.pack.audience}, reading grade {', '.join(scores)}: "
        f"{_errors(report.errors)}, {_warnings(report.warnings)}{sms}"
    )


def cost_table(report: PackReport) -> str:
    """The pack's SMS price list as a Markdown table: segments per message and language."""
    assert report.pack is not None
    languages = report.pack.languages
    lines = [
        "| message | " + " | ".join(f"{lang} segments" for lang in languages) + " |",
        "| --- | " + " | ".join("---" for _ in languages) + " |",
    ]
    for row in report.costs:
        cells = [f"{row.costs[lang][0]} ({row.costs[lang][2]} characters)" for lang in languages]
        lines.append(f"| {row.message} | " + " | ".join(cells) + " |")
    totals = [str(sum(row.costs[lang][0] for row in report.costs)) for lang in languages]
    lines.append("| whole pack, every question asked | " + " | ".join(totals) + " |")
    return "\n".join(lines)


def _errors(count: int) -> str:
    return f"{count} error{'s' if count != 1 else ''}"


def _warnings(count: int) -> str:
    return f"{count} warning{'s' if count != 1 else ''}"
