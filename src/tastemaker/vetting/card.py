"""The model card that ships beside the model: written by `train` from what it measured, so
the card's figures are always the ones of the model file next to it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tastemaker.vetting.evaluation import (
    METRICS,
    PUBLISHED,
    EvaluationReport,
    against_published,
    comparison,
)
from tastemaker.vetting.features import DESCRIPTIONS, FEATURES, MASS_FOLLOWING
from tastemaker.vetting.training import CARD_FILE, MODEL_FILE

SOURCES = {
    "instafake": "Akyon & Kalfaoglu 2019, arXiv 1910.03090, github.com/fcakyon/instafake-dataset",
    "kaggle": 'Kaggle "Instagram fake spammer genuine accounts" (Bakhshandeh 2019), GitHub mirror',
    "cresci2015": "Cresci et al. 2015, Decision Support Systems 80, arXiv 1509.04098",
}
HEADINGS = {
    "accuracy": "acc",
    "balanced_accuracy": "bal.",
    "precision": "prec",
    "recall": "recall",
    "f1": "F1",
    "mcc": "MCC",
    "roc_auc": "AUC",
}


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def metrics_table(report: EvaluationReport) -> str:
    lines = [
        "| data set | protocol | " + " | ".join(HEADINGS[m] for m in METRICS) + " |",
        "|---|---|" + "---:|" * len(METRICS),
    ]
    for row in comparison(report):
        label = f"*{row.label}*" if row.published else row.label
        cells = " | ".join(_figure(row.values[m]) for m in METRICS)
        lines.append(f"| {row.dataset} | {label} | {cells} |")
    return "\n".join(lines)


def _gap(report: EvaluationReport | None) -> str:
    if report is None:
        return ""
    spans = []
    for protocol in ("cross", "cv-union"):
        values = [r.metrics.accuracy for r in report.results if r.protocol == protocol]
        if not values:
            return ""
        spans.append(f"{min(values):.2f} to {max(values):.2f}")
    return f" (accuracy {spans[0]} instead of {spans[1]})"


def render_card(metadata: dict[str, Any], report: EvaluationReport | None) -> str:
    datasets: dict[str, dict[str, Any]] = metadata["datasets"]
    data_lines = "\n".join(
        f"| {name} | {d['title']} | {d['rows']:,} | {d['fakes']:,} | {d['licence']} | "
        f"{SOURCES.get(name, '')} |"
        for name, d in datasets.items()
    )
    feature_lines = "\n".join(
        f"| `{name}` | {DESCRIPTIONS[name]} | "
        + ", ".join(n for n, d in datasets.items() if name in d.get("features_known", []))
        + " |"
        for name in FEATURES
    )
    notes = "\n".join(
        f"- {name}: {p.note}" for name, p in PUBLISHED.items() if p.note and name in datasets
    )
    if report is None:
        measured = "Not measured for this build (trained with `--no-evaluate`)."
    else:
        measured = (
            f"Threshold {report.threshold}; CV seed {report.seed}; metrics pooled over the "
            "out-of-fold predictions. Published figures in italics, from "
            "`../shared/data/README.md`.\n\n"
            + metrics_table(report)
            + "\n\n"
            + notes
            + "\n\nThe shipped recipe (10-fold CV, union) against each published figure:\n\n"
            + "\n".join(f"- {line}" for line in against_published(report))
            + "\n\nThe papers' models were each trained and tested on one set. Cresci's "
            "profile features were designed for Twitter, and some Twitter-only facts in that "
            "data (list membership, location, favourites) have no place in this "
            "Instagram-shaped schema. No figure is published for the Kaggle set; its own "
            "train/test split is the row to compare with other work on it."
        )
    total = sum(d["rows"] for d in datasets.values())
    fakes = sum(d["fakes"] for d in datasets.values())
    return f"""# Model card: fake-follower classifier

`{MODEL_FILE}`: LightGBM {metadata["lightgbm_version"]} gradient-boosted trees,
{metadata["num_trees"]} trees, in LightGBM's plain-text model format (no pickle: loading it
runs no code). Metadata (feature order, threshold, training date, data set sizes, the
measured figures) is in `fake_follower.json`. Trained {metadata["trained_at"]} by
`tastemaker vetting train`; `tastemaker vetting evaluate` re-measures the recipe.

## What it does

Given one follower account's public profile figures, it gives the probability that the
account is fake (bought, automated or spam), and flags it at probability
>= {metadata["threshold"]}. `tastemaker vetting score FILE` turns a sample of a creator's
followers into a creator-level report: the expected fake share (mean probability), the
share flagged with a Wilson 95% interval for the sample size, the share of mass followers
(following > {MASS_FOLLOWING:,}), and the features that drove the flags.

## Intended use

A screening aid for a person vetting a creator: it estimates how much of a creator's
audience looks fake from a **random** sample of their followers, with its uncertainty.
Not intended for: judging one account on its own and acting against it, publishing
accusations, or any automated decision about a person. A high share is a reason to look
closer (engagement, growth history), not a verdict.

## Training data

The union of three public labelled sets, mapped to one schema ({total:,} accounts,
{fakes:,} fake). The data itself is not shipped, only the model trained on it.

| name | data set | rows | fake | licence | source |
|---|---|---:|---:|---|---|
{data_lines}

Licences: InstaFake is CC BY-NC 4.0 (non-commercial). Whether a model trained on it
inherits that is a legal question this card does not settle; a commercial deployer can
retrain without it: `tastemaker vetting train --without instafake`. The Kaggle set's
licence is only stated by a mirror; Cresci 2015 states none (research use).

## Features

Missing values stay missing (LightGBM learns where they go); the sets say these:

| feature | meaning | known in |
|---|---|---|
{feature_lines}

## Metrics measured

{measured}

## Limitations

- Old and narrow data: Twitter accounts bought in 2013 (Cresci), Instagram accounts
  collected around 2019 (InstaFake, Kaggle). Today's fake-follower vendors may make
  accounts that look different; the model has never seen TikTok or YouTube.
- The "trained without this set" rows show the gap: on a population it has never seen,
  the model does markedly worse{_gap(report)}.
  Expect figures nearer those rows than the CV rows on a new population.
- Profile figures only: no engagement, posting rhythm, account age or follower-graph
  features, which the literature finds useful against subtler fakes.
- The training mix is {fakes / total:.0%} fake; real follower samples usually hold fewer, so
  the mean probability is an estimate, not a calibrated share. Read it with the flagged
  share and its interval, and compare creators with each other rather than trusting the
  absolute figure.
- A sample must be random over the creator's followers. The newest followers alone (what
  many tools export) over-represent recent purchases or recent campaigns.
- Small samples say little: the report gives the interval; with 3 followers it spans most
  of the range.
"""


def write_card(out_dir: Path, metadata: dict[str, Any], report: EvaluationReport | None) -> Path:
    path = out_dir / CARD_FILE
    path.write_text(render_card(metadata, report))
    return path
