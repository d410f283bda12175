"""The second opinion: a model trained on every reviewed message, read without scikit-learn, that may only
raise a level. Tests here train it (scikit-learn is a dev dependency) and compare."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.app.cli import main
from bot.content.packs.library import PackLibrary
from bot.content.packs.yamlfile import SHIPPED_PROMPTS
from bot.safeguarding.detect import Detector
from bot.safeguarding.finding import Level
from bot.safeguarding.loading import shipped_safeguarding
from bot.safeguarding.model import SecondOpinion
from bot.safeguarding.training import digest, pipeline, shipped_messages, train

SHIPPED = shipped_safeguarding().detector
OPINION = SHIPPED.opinion
MESSAGES = shipped_messages(SHIPPED_PROMPTS)


def _opinion(**weights: list[float]) -> SecondOpinion:
    """A hand-made model: each feature's idf, then weights for concern, none and urgent."""
    return SecondOpinion.from_dict({
        "format": 1, "trained_on": "test", "classes": ["concern", "none", "urgent"], "intercept": [0.0, 2.0, 0.0],
        "thresholds": {"urgent": 0.5, "risk": 0.6}, "features": weights,
    })


def test_the_shipped_model_was_trained_on_the_shipped_messages() -> None:
    assert OPINION is not None, "prompts/safeguarding/model.json is missing: run `said safeguarding train`"
    assert OPINION.trained_on == digest(MESSAGES), (
        "the messages or the lists' examples changed since model.json was trained: run `said safeguarding train`"
    )


def test_the_model_is_read_exactly_as_scikit_learn_reads_it() -> None:
    sample = MESSAGES[::7]
    fitted = pipeline().fit([m for m, _ in sample], [lv for _, lv in sample])
    ours = SecondOpinion.from_dict(train(sample))
    texts = [m for m, _ in MESSAGES[3::11]] + ["", "I", "unseen w0rds entirely", "ünïcödé ŁÓDŹ"]
    expected = fitted.predict_proba(texts)
    classes = list(fitted.classes_)
    for text, row in zip(texts, expected, strict=True):
        got = ours.probabilities(text)
        # The file keeps seven significant figures of each weight: the probabilities agree far closer than this.
        assert [got[c] for c in classes] == pytest.approx([float(p) for p in row], abs=1e-5), text


@given(st.text(max_size=300))
def test_any_text_gets_probabilities_that_add_up(text: str) -> None:
    assert OPINION is not None
    probabilities = OPINION.probabilities(text)
    assert set(probabilities) == {"urgent", "concern", "none"}
    assert abs(sum(probabilities.values()) - 1) < 1e-9


def test_it_raises_a_level_the_lists_missed_and_says_so() -> None:
    detector = Detector(SHIPPED.lists, _opinion(**{"w:giraffes": [1.0, 0.0, 0.0, 10.0]}))
    finding = detector.detect("I have been thinking about giraffes")
    assert finding.level is Level.URGENT and finding.rules == ("model.urgent",)
    assert "second opinion" in detector.means("model.urgent")


def test_it_never_lowers_what_the_lists_found_and_stays_quiet_when_they_agree() -> None:
    quiet = Detector(SHIPPED.lists, _opinion(**{"w:myself": [1.0, 0.0, 10.0, 0.0]}))
    assert quiet.detect("I want to kill myself").rules == ("en.suicide_intent",)
    agreeing = Detector(SHIPPED.lists, _opinion(**{"w:myself": [1.0, 0.0, 0.0, 10.0]}))
    assert agreeing.detect("I want to kill myself").rules == ("en.suicide_intent",)


def test_it_cannot_make_a_negated_message_urgent() -> None:
    detector = Detector(SHIPPED.lists, _opinion(**{"w:never": [1.0, 0.0, 0.0, 10.0]}))
    finding = detector.detect("I would never kill myself")
    assert finding.level is Level.CONCERN


def test_a_word_or_two_is_left_to_the_lists() -> None:
    detector = Detector(SHIPPED.lists, _opinion(**{"w:giraffes": [1.0, 0.0, 0.0, 10.0]}))
    assert detector.detect("giraffes").level is Level.NONE
    assert detector.detect("giraffes again").level is Level.NONE
    assert detector.detect("giraffes again today").level is Level.URGENT


def test_no_answer_a_shipped_pack_offers_reads_as_risk() -> None:
    library = PackLibrary.load(SHIPPED_PROMPTS)
    labels = {
        str(text) for pack in library.all() for question in pack.questions for choice in question.choices or []
        for text in (choice.label.values() if isinstance(choice.label, dict) else [choice.label])
    }
    assert labels
    flagged = {label: SHIPPED.detect(label).rules for label in labels if SHIPPED.detect(label).risky}
    assert flagged == {}


def test_a_model_file_that_is_not_one_is_named_in_the_error(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"format": 1, "classes": ["a", "b"]}))
    with pytest.raises(ValueError, match=r"model\.json: not a safeguarding model"):
        SecondOpinion.load(path)


def test_said_safeguarding_train_writes_a_model_a_deployment_then_uses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    messages = tmp_path / "safeguarding" / "messages"
    messages.mkdir(parents=True)
    (messages / "ours.yaml").write_text(
        "urgent: [the purple van is outside again, purple van at the gate, he came in the purple van]\n"
        "concern: [I keep dreaming about the van, the van worries me, I think about the van a lot]\n"
        "none: [the clinic was fine, thanks for the help, the letter came on time, we liked the staff]\n"
    )
    assert main(["safeguarding", "train", "--prompts", str(tmp_path)]) == 0
    assert "Trained on 10 messages" in capsys.readouterr().out
    detector = Detector.load([SHIPPED_PROMPTS, tmp_path])
    assert detector.opinion is not None and detector.opinion.trained_on != OPINION.trained_on  # type: ignore[union-attr]
    assert detector.detect("the purple van is here").rules == ("model.urgent",)


def test_training_without_every_level_is_refused_kindly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    messages = tmp_path / "safeguarding" / "messages"
    messages.mkdir(parents=True)
    (messages / "ours.yaml").write_text("none: [fine, good]\n")
    assert main(["safeguarding", "train", "--prompts", str(tmp_path)]) == 2
    assert "need some of every level" in capsys.readouterr().err
