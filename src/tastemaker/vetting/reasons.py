"""Model contributions in words: "no profile picture", "follows 7,500 accounts".

A person reading a vetting report needs the facts behind a flag, not SHAP values; these
functions phrase a feature's value, and sum up which features drove the flags over a
sample.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from tastemaker.vetting.features import FEATURES, FloatArray

BINARY = frozenset({"has_picture", "is_private", "name_equals_username", "has_external_url"})


def _count(value: float) -> str:
    return f"{value:,.0f}"


def _plural(value: float, one: str, many: str) -> str:
    return f"{_count(value)} {one if round(value) == 1 else many}"


def describe(feature: str, value: float) -> str:
    """One feature's value as a person would say it."""
    if math.isnan(value):
        return f"{feature.replace('_', ' ')} unknown"
    match feature:
        case "followers":
            return f"has {_plural(value, 'follower', 'followers')}"
        case "following":
            return f"follows {_plural(value, 'account', 'accounts')}"
        case "posts":
            return "no posts" if value == 0 else f"{_plural(value, 'post', 'posts')}"
        case "has_picture":
            return "has a profile picture" if value else "no profile picture"
        case "is_private":
            return "private account" if value else "public account"
        case "username_length":
            return f"username of {_plural(value, 'character', 'characters')}"
        case "username_digit_ratio":
            return f"{value:.0%} of the username is digits" if value else "no digits in username"
        case "full_name_length":
            if value == 0:
                return "no display name"
            return f"display name of {_plural(value, 'character', 'characters')}"
        case "full_name_words":
            return "no display name" if value == 0 else f"{_plural(value, 'word', 'words')} in name"
        case "full_name_digit_ratio":
            return f"{value:.0%} of the display name is digits" if value else "no digits in name"
        case "name_equals_username":
            return "display name same as username" if value else "display name differs"
        case "bio_length":
            return (
                "empty bio" if value == 0 else f"bio of {_plural(value, 'character', 'characters')}"
            )
        case "has_external_url":
            return "links to a website" if value else "no link in profile"
        case "following_per_follower":
            ratio = f"{value:,.0f}" if value >= 10 else f"{value:,.1f}"
            return f"follows {ratio} accounts per follower"
        case "following_per_follower_squared":
            return f"following / followers² is {value:,.2f} (bought-follower pattern)"
    return f"{feature} = {value:g}"


def summarise(
    matrix: FloatArray,
    contributions: FloatArray,
    flagged: npt.NDArray[np.bool_],
    top: int,
    per_follower: int,
) -> list[dict[str, Any]]:
    """The features that most pushed the flagged followers toward "fake".

    Each flagged follower's reasons are its `per_follower` largest positive contributions;
    a feature's weight is the sum of its positive contributions over the flagged followers.
    """
    if not flagged.any():
        return []
    rows = matrix[flagged]
    pushes = contributions[flagged]
    total = len(rows)
    positive = np.clip(pushes, 0, None)
    ranks = np.argsort(-pushes, axis=1)[:, :per_follower]
    is_reason = np.zeros_like(pushes, dtype=bool)
    np.put_along_axis(is_reason, ranks, True, axis=1)
    is_reason &= pushes > 0
    reasons: list[dict[str, Any]] = []
    for j in np.argsort(-positive.sum(axis=0)):
        affected = is_reason[:, j]
        count = int(affected.sum())
        if count == 0:
            continue
        name = FEATURES[int(j)]
        values = rows[affected, j]
        mean_push = float(pushes[affected, j].mean())
        reasons.append(
            {
                "feature": name,
                "text": _typical(name, values),
                "followers": count,
                "of_flagged": total,
                "mean_contribution": mean_push,
                "meaning": (
                    f"a top reason for {count} of {total} flagged followers; where it was, it "
                    f"added {mean_push:+.2f} to the log-odds of 'fake' on average"
                ),
            }
        )
        if len(reasons) == top:
            break
    return reasons


def _typical(feature: str, values: FloatArray) -> str:
    known = values[~np.isnan(values)]
    if len(known) == 0:
        return describe(feature, math.nan)
    if feature in BINARY:
        share_true = float(known.mean())
        return describe(feature, 1.0 if share_true >= 0.5 else 0.0)
    if len(known) == 1:
        return describe(feature, float(known[0]))
    return describe(feature, float(np.median(known))) + " (median)"
