"""One training run, start to end: public data -> evaluation -> model file -> card."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from tastemaker.kit.errors import ValidationFailed
from tastemaker.vetting import evaluation
from tastemaker.vetting.card import write_card
from tastemaker.vetting.datasets import NAMES, LabelledSet, load_all
from tastemaker.vetting.training import MODEL_DIR, SavedModel, save, train


@dataclass(frozen=True)
class BuildResult:
    saved: SavedModel
    card_path: Path
    report: evaluation.EvaluationReport | None


def choose_sets(
    data_dir: Path | None = None, without: Iterable[str] = ()
) -> dict[str, LabelledSet]:
    left_out = set(without)
    unknown = left_out - set(NAMES)
    if unknown:
        raise ValidationFailed(
            f"unknown data set {', '.join(sorted(unknown))}; the sets are {', '.join(NAMES)}"
        )
    if left_out == set(NAMES):
        raise ValidationFailed("leaving out every data set leaves nothing to train on")
    return load_all(data_dir, [name for name in NAMES if name not in left_out])


def build_model(
    sets: dict[str, LabelledSet],
    out_dir: Path = MODEL_DIR,
    evaluate: bool = True,
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    report = evaluation.evaluate(sets, progress=progress) if evaluate else None
    booster = train(sets.values())
    if progress:
        progress("final model on every row")
    saved = save(booster, sets.values(), out_dir, report.to_dict() if report else None)
    card_path = write_card(out_dir, saved.metadata, report)
    return BuildResult(saved, card_path, report)


def build_steps(sets: dict[str, LabelledSet], evaluate: bool = True) -> int:
    return (evaluation.step_count(sets) if evaluate else 0) + 1
