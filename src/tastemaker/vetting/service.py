"""Audience checks: a follower sample scored by the shipped model, kept as the workspace's
report on one platform account.

The account is a public profile fact; the check is the workspace's own work and is read
and written only through its context. The sample itself is not kept: the figures, the
reasons and the most likely fake followers (as evidence) are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

from tastemaker.creator import service as creator_service
from tastemaker.creator.models import PlatformAccount
from tastemaker.imports.service import clean_filename
from tastemaker.kit.pagination import check_page_size
from tastemaker.vetting.figures import MEANINGS as REPORT_MEANINGS
from tastemaker.vetting.figures import Interval, Share, share, wilson, wilson_arrays
from tastemaker.vetting.models import AudienceCheck
from tastemaker.vetting.repository import AudienceCheckRepository
from tastemaker.vetting.sample import FollowerSample, read_sample
from tastemaker.workspace.context import Context
from tastemaker.workspace.service import record

if TYPE_CHECKING:
    from tastemaker.vetting.scoring import VettingReport

MAX_EVIDENCE = 200
MAX_SOURCE = 200  # AudienceCheck.source
DEFAULT_LIST = 50

CREDIBILITY_MEANING = (
    "100 x (1 - expected fake share), rounded: of 100 followers, how many the model takes "
    "for real. Its 95% interval is the fake share's, turned the same way"
)
# What every stored figure is, in the library's words where the figure is the library's.
MEANINGS: dict[str, str] = {
    "credibility": CREDIBILITY_MEANING,
    **{
        name: REPORT_MEANINGS[name]
        for name in (
            "sample_size",
            "threshold",
            "expected_fake_share",
            "expected_fake_share_interval",
            "flagged",
            "mass_followers",
            "reasons",
            "explained",
        )
    },
    "sample_note": "what a sample of this size can and cannot tell",
    "flagged_followers": (
        f"evidence: up to {MAX_EVIDENCE} flagged followers, most likely fake first, each with "
        "where it is in the uploaded file and the features that pushed it most toward 'fake'"
    ),
    "source": "the uploaded file's name; the file itself is not kept",
    "model_trained_at": "when the fake-follower model that scored the sample was trained",
}


def _checks(ctx: Context) -> AudienceCheckRepository:
    return AudienceCheckRepository(ctx.session, ctx.workspace_id)


# ----------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class Estimate:
    value: float
    interval: Interval
    meaning: str


@dataclass(frozen=True)
class Credibility:
    score: int  # 0 to 100
    low: int
    high: int
    meaning: str


@dataclass(frozen=True)
class CheckFigures:
    """A stored check's figures as every face shows them, each with what it means. The
    Wilson intervals of counts are computed again from the counts: the same function of the
    same numbers, so they need no columns."""

    credibility: Credibility
    expected_fake_share: Estimate
    flagged: Share
    mass_followers: Share | None


# Bands from the field's published guidance (../shared/docs/domain.md §3): GRIN treats a
# credibility above 80% as genuine; below 75% "is often a sign of fraud" (Modash).
GENUINE_FROM = 80
SUSPECT_BELOW = 75
LEVEL_MEANINGS = {
    "genuine": f"credibility {GENUINE_FROM} or more: an audience the field treats as genuine",
    "doubtful": f"credibility {SUSPECT_BELOW}-{GENUINE_FROM - 1}: worth a closer look",
    "suspect": f"credibility under {SUSPECT_BELOW}: often a sign of fraud",
}


def credibility_level(score: int) -> str:
    if score >= GENUINE_FROM:
        return "genuine"
    return "doubtful" if score >= SUSPECT_BELOW else "suspect"


def credibility(fake_share: float, interval: Interval) -> Credibility:
    # A high fake share is a low credibility: the interval's ends swap.
    return Credibility(
        score=round(100 * (1 - fake_share)),
        low=round(100 * (1 - interval.high)),
        high=round(100 * (1 - interval.low)),
        meaning=CREDIBILITY_MEANING,
    )


def _fake_share_interval(check: AudienceCheck) -> Interval:
    # The same function of the same stored numbers as the report's (vetting.scoring).
    return wilson(check.expected_fake_share * check.sample_size, check.sample_size)


def check_credibility(check: AudienceCheck) -> Credibility:
    """The check's credibility alone: what the creators list and the Audience Quality Score
    need, without the other figures' intervals."""
    return credibility(check.expected_fake_share, _fake_share_interval(check))


def figures(check: AudienceCheck) -> CheckFigures:
    interval = _fake_share_interval(check)
    mass = None
    if check.mass_followers_count is not None and check.mass_followers_of:
        mass = share(
            check.mass_followers_count,
            check.mass_followers_of,
            REPORT_MEANINGS["mass_followers"],
        )
    return CheckFigures(
        credibility=credibility(check.expected_fake_share, interval),
        expected_fake_share=Estimate(
            check.expected_fake_share, interval, REPORT_MEANINGS["expected_fake_share"]
        ),
        flagged=share(check.flagged_count, check.sample_size, REPORT_MEANINGS["flagged"]),
        mass_followers=mass,
    )


# ----------------------------------------------------------------------------- checks


def _evidence(result: VettingReport, rows: Sequence[str]) -> list[dict[str, object]]:
    flagged = sorted(
        (f for f in result.followers if f.flagged), key=lambda f: (-f.probability, f.position)
    )
    return [
        {
            "username": f.username,
            "where": rows[f.position],
            "probability": f.probability,
            "reasons": list(f.reasons),
        }
        for f in flagged[:MAX_EVIDENCE]
    ]


def check_audience(
    ctx: Context, creator_id: int, account_id: int, content: bytes, filename: str | None
) -> AudienceCheck:
    """Scores an uploaded follower sample of the account and stores the report. A sample the
    reader refuses is a 422 naming its rows and fields; an oversized file a 413."""
    ctx.require_write()  # before the sample is parsed and scored, not only when it is saved
    account = creator_service.get_account(ctx.session, creator_id, account_id)
    sample = read_sample(content)
    # LightGBM loads here, on the first sample scored, not when the app starts.
    from tastemaker.vetting.scoring import report

    return save_report(ctx, account, sample, report(sample.profiles), filename)


def save_report(
    ctx: Context,
    account: PlatformAccount,
    sample: FollowerSample,
    result: VettingReport,
    filename: str | None,
) -> AudienceCheck:
    """Stores a report already made from `sample` (the CLI prints it too, so it is scored
    once). `account` must come from creator_service. Every write of a check passes here,
    the CLI's too, so the role is checked here."""
    ctx.require_write()
    if result.sample_size != len(sample.rows):
        raise ValueError("the report was not made from this sample")
    mass = result.mass_followers
    check = _checks(ctx).add(
        AudienceCheck(
            workspace_id=ctx.workspace_id,
            account_id=account.id,
            account=account,
            created_by_id=ctx.user_id,
            source=clean_filename(filename, MAX_SOURCE),
            sample_size=result.sample_size,
            threshold=result.threshold,
            flagged_count=result.flagged.count,
            expected_fake_share=result.expected_fake_share,
            mass_followers_count=mass.count if mass else None,
            mass_followers_of=mass.of if mass else None,
            explained=result.explained,
            reasons=[asdict(r) for r in result.reasons],
            sample_note=result.sample_note,
            model_trained_at=result.model_trained_at,
            flagged_followers=_evidence(result, sample.rows),
        )
    )
    record(
        ctx,
        "audience_check.created",
        "audience_check",
        check.id,
        creator_id=account.creator_id,
        account=creator_service.account_label(account),
        source=check.source,
        sample_size=check.sample_size,
        expected_fake_share=round(check.expected_fake_share, 4),
    )
    return check


def list_checks(
    ctx: Context, creator_id: int, account_id: int, limit: int = DEFAULT_LIST
) -> Sequence[AudienceCheck]:
    """This workspace's checks of the account, newest first; NotFound unless the account is
    the creator's."""
    account = creator_service.get_account(ctx.session, creator_id, account_id)
    return history(ctx, account, limit)


def history(
    ctx: Context, account: PlatformAccount, limit: int = DEFAULT_LIST
) -> Sequence[AudienceCheck]:
    """This workspace's checks of an account already found (creator_service, or a check's
    own), newest first."""
    check_page_size(limit)
    return _checks(ctx).for_account(account, limit)


def get_check(ctx: Context, check_id: int) -> AudienceCheck:
    """One of this workspace's checks, with its account and evidence; another workspace's
    check is not found, as if it did not exist."""
    return _checks(ctx).with_evidence(check_id)


def latest_checks(ctx: Context, account_ids: Sequence[int]) -> dict[int, AudienceCheck]:
    """The newest check of each account that has one, by account id: one query for a page."""
    return _checks(ctx).latest_for(account_ids)


@dataclass(frozen=True)
class CredibilityBadge:
    """An account's credibility as the creators list shows it, from this workspace's latest
    audience check of it."""

    score: int
    low: int
    high: int
    level: str  # genuine, doubtful or suspect: see LEVEL_MEANINGS
    meaning: str
    check_id: int
    checked_at: datetime


def credibility_badges(ctx: Context, account_ids: Sequence[int]) -> dict[int, CredibilityBadge]:
    """The badge of each account this workspace has checked: one query and one array of
    intervals for a page."""
    checks = latest_checks(ctx, account_ids)
    trials = np.array([c.sample_size for c in checks.values()], dtype=np.int64)
    fake = np.array([c.expected_fake_share for c in checks.values()], dtype=np.float64)
    _, lows, highs = wilson_arrays(fake * trials, trials)
    badges = {}
    for (account_id, check), low, high in zip(checks.items(), lows, highs, strict=True):
        shown = credibility(check.expected_fake_share, Interval(float(low), float(high)))
        level = credibility_level(shown.score)
        badges[account_id] = CredibilityBadge(
            shown.score, shown.low, shown.high, level, LEVEL_MEANINGS[level], check.id,
            check.created_at,
        )  # fmt: skip
    return badges
