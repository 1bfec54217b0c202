"""How well the training recipe separates fake from real accounts, next to published figures.

Every figure is measured on rows the model did not see. Per data set:

- `cv-union`: stratified k-fold CV on the set; each fold's model is trained on the other
  folds plus the two other sets whole. This is the shipped recipe.
- `cv-alone`: the same folds, trained on this set's other folds only: the protocol of the
  papers whose figures we compare with.
- `cross`: trained on the two other sets only, tested on all of this one: how the model
  holds up on a population it has never seen (closest to a marketer's real sample).
- `split` (Kaggle): trained on the union without Kaggle's test file, tested on it.
- `rule`: "followers >= 30 means human" (Cresci 2015, Table 8), measured in the same run as
  a check that the mapping reproduces the paper's data.

Metrics are pooled over the out-of-fold predictions of all folds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn import metrics as skm
from sklearn.model_selection import StratifiedKFold

from tastemaker.vetting.datasets import CRESCI, INSTAFAKE, KAGGLE, NAMES, LabelledSet
from tastemaker.vetting.features import FEATURES
from tastemaker.vetting.training import SEED, THRESHOLD, fit, union

MAX_FOLDS = 10
METRICS: tuple[str, ...] = (
    "accuracy",
    "balanced_accuracy",
    "precision",
    "recall",
    "f1",
    "mcc",
    "roc_auc",
)
PROTOCOLS: dict[str, str] = {
    "cv-union": "k-fold CV, trained on the union (shipped recipe)",
    "cv-alone": "k-fold CV, trained on this set alone",
    "cross": "trained without this set, tested on all of it",
    "split": "Kaggle's own split: trained without test.csv, tested on it",
    "rule": "rule, no model: fewer than 30 followers means fake",
}

# For narrow tables (the CLI); the card spells PROTOCOLS out.
SHORT_LABELS: dict[str, str] = {
    "cv-union": "k-fold, union",
    "cv-alone": "k-fold, alone",
    "cross": "without it",
    "split": "Kaggle test",
    "rule": "followers<30",
}

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Metrics:
    rows: int
    fakes: int
    accuracy: float
    balanced_accuracy: float
    precision: float
    recall: float  # of the fakes, the share caught
    f1: float
    mcc: float  # Matthews correlation: 0 is chance, 1 perfect; honest on unbalanced sets
    roc_auc: float | None  # None for a rule that gives no ranking


def measure(
    labels: npt.ArrayLike, probabilities: npt.ArrayLike, threshold: float = THRESHOLD
) -> Metrics:
    truth = np.asarray(labels, dtype=np.int8)
    scores = np.asarray(probabilities, dtype=np.float64)
    predicted = (scores >= threshold).astype(np.int8)
    ranked = len(np.unique(scores)) > 2
    return Metrics(
        rows=len(truth),
        fakes=int(truth.sum()),
        accuracy=float(skm.accuracy_score(truth, predicted)),
        balanced_accuracy=float(skm.balanced_accuracy_score(truth, predicted)),
        precision=float(skm.precision_score(truth, predicted, zero_division=0)),
        recall=float(skm.recall_score(truth, predicted, zero_division=0)),
        f1=float(skm.f1_score(truth, predicted, zero_division=0)),
        mcc=float(skm.matthews_corrcoef(truth, predicted)),
        roc_auc=float(skm.roc_auc_score(truth, scores)) if ranked else None,
    )


@dataclass(frozen=True)
class Published:
    source: str
    figures: dict[str, float]
    note: str = ""


# From ../shared/data/README.md ("Published figures to compare against").
PUBLISHED: dict[str, Published] = {
    INSTAFAKE: Published(
        source="Akyon & Kalfaoglu 2019, abstract",
        figures={"accuracy": 0.96},
        note="classes are 200 fake / 994 real: always answering 'real' scores 0.833",
    ),
    KAGGLE: Published(source="none published with the data set", figures={}),
    CRESCI: Published(
        source="Cresci et al. 2015, Table 16, class A (profile) features, RF, 10-fold CV",
        figures={
            "accuracy": 0.987,
            "precision": 0.993,
            "recall": 0.980,
            "mcc": 0.967,
            "roc_auc": 0.995,
        },
        note="Table 8: the rule followers >= 30 alone reaches accuracy 0.881",
    ),
}


@dataclass(frozen=True)
class Result:
    dataset: str
    protocol: str
    folds: int | None
    metrics: Metrics


@dataclass
class EvaluationReport:
    seed: int
    threshold: float
    features: list[str]
    results: list[Result] = field(default_factory=list)

    def get(self, dataset: str, protocol: str) -> Result | None:
        for result in self.results:
            if result.dataset == dataset and result.protocol == protocol:
                return result
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "threshold": self.threshold,
            "features": self.features,
            "protocols": PROTOCOLS,
            "published": {name: asdict(p) for name, p in PUBLISHED.items()},
            "results": [asdict(r) for r in self.results],
        }


def folds_for(labels: npt.NDArray[np.int8]) -> int:
    """10 where every fold can hold members of both classes, fewer for a small set."""
    smaller_class = int(min(labels.sum(), len(labels) - labels.sum()))
    if smaller_class < 2:
        raise ValueError("cross-validation needs at least two rows of each class")
    return min(MAX_FOLDS, smaller_class)


def cross_validate(
    target: LabelledSet,
    others: list[LabelledSet],
    seed: int = SEED,
    progress: Progress | None = None,
) -> npt.NDArray[np.float64]:
    """Out-of-fold probabilities for every row of `target`; `others` join each training fold."""
    k = folds_for(target.labels)
    out_of_fold = np.full(target.size, np.nan)
    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    extra_matrix, extra_labels = union(others) if others else _empty()
    for number, (train_rows, test_rows) in enumerate(
        splitter.split(target.matrix, target.labels), start=1
    ):
        model = fit(
            np.vstack([target.matrix[train_rows], extra_matrix]),
            np.concatenate([target.labels[train_rows], extra_labels]),
        )
        out_of_fold[test_rows] = model.predict(target.matrix[test_rows])
        if progress:
            progress(f"{target.name}: fold {number} of {k}")
    return out_of_fold


def _empty() -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int8]]:
    return np.empty((0, len(FEATURES))), np.empty(0, dtype=np.int8)


def followers_rule(target: LabelledSet) -> npt.NDArray[np.float64]:
    followers = target.matrix[:, FEATURES.index("followers")]
    return (followers < 30).astype(np.float64)


def step_count(sets: Mapping[str, LabelledSet]) -> int:
    """How many `progress` calls `evaluate` makes, for a progress bar."""
    cv = sum(folds_for(s.labels) for s in sets.values())
    return 2 * cv + len(sets) + (1 if KAGGLE in sets else 0)


def evaluate(
    sets: Mapping[str, LabelledSet], seed: int = SEED, progress: Progress | None = None
) -> EvaluationReport:
    report = EvaluationReport(seed=seed, threshold=THRESHOLD, features=list(FEATURES))
    names = [name for name in NAMES if name in sets]
    for name in names:
        target = sets[name]
        others = [sets[o] for o in names if o != name]
        k = folds_for(target.labels)
        for protocol, joined in (("cv-union", others), ("cv-alone", [])):
            scores = cross_validate(target, joined, seed=seed, progress=progress)
            report.results.append(Result(name, protocol, k, measure(target.labels, scores)))
        if others:
            scores = train_and_predict(others, target)
            report.results.append(Result(name, "cross", None, measure(target.labels, scores)))
        if progress:
            progress(f"{name}: trained without it")
        report.results.append(
            Result(name, "rule", None, measure(target.labels, followers_rule(target)))
        )
    if KAGGLE in sets:
        report.results.append(_kaggle_split(sets, names))
        if progress:
            progress("kaggle: own train/test split")
    return report


def train_and_predict(train_sets: list[LabelledSet], target: LabelledSet) -> npt.NDArray[Any]:
    return np.asarray(fit(*union(train_sets)).predict(target.matrix), dtype=np.float64)


def _kaggle_split(sets: Mapping[str, LabelledSet], names: list[str]) -> Result:
    kaggle = sets[KAGGLE]
    is_test = kaggle.parts == "test"
    train_matrix = np.vstack(
        [kaggle.matrix[~is_test]] + [sets[o].matrix for o in names if o != KAGGLE]
    )
    train_labels = np.concatenate(
        [kaggle.labels[~is_test]] + [sets[o].labels for o in names if o != KAGGLE]
    )
    scores = fit(train_matrix, train_labels).predict(kaggle.matrix[is_test])
    return Result(KAGGLE, "split", None, measure(kaggle.labels[is_test], scores))


@dataclass(frozen=True)
class TableRow:
    """One line of a comparison table: a published figure set, or one of ours."""

    dataset: str
    label: str
    short_label: str
    values: dict[str, float | None]
    published: bool = False


ROW_ORDER = ("cv-union", "cv-alone", "split", "cross", "rule")


def comparison(report: EvaluationReport) -> list[TableRow]:
    """Per data set: the published figures first, then ours, in a fixed order."""
    rows: list[TableRow] = []
    for name in NAMES:
        published = PUBLISHED.get(name)
        if published and published.figures:
            values: dict[str, float | None] = {m: published.figures.get(m) for m in METRICS}
            rows.append(TableRow(name, f"published: {published.source}", "published", values, True))
        for protocol in ROW_ORDER:
            result = report.get(name, protocol)
            if result is None:
                continue
            label, short = PROTOCOLS[protocol], SHORT_LABELS[protocol]
            if result.folds:
                label = label.replace("k-fold", f"{result.folds}-fold")
                short = short.replace("k-fold", f"{result.folds}-fold")
            figures = asdict(result.metrics)
            rows.append(TableRow(name, label, short, {m: figures[m] for m in METRICS}))
    return rows


def against_published(report: EvaluationReport, protocol: str = "cv-union") -> list[str]:
    """One line per published figure: ours (the shipped recipe), theirs, and which is higher."""
    lines = []
    for name, published in PUBLISHED.items():
        result = report.get(name, protocol)
        if result is None:
            continue
        ours = asdict(result.metrics)
        for metric, theirs in published.figures.items():
            value = ours[metric]
            if value is None:
                continue
            verdict = "at or above" if value >= theirs else f"below by {theirs - value:.3f}"
            lines.append(f"{name} {metric}: {value:.3f} vs {theirs:.3f} published ({verdict})")
    return lines
