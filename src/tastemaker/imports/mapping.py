"""Which file column feeds which creator field, and turning one row into an AccountRecord.

Pure functions, no database. Headers differ from one month's export to the next ("Followers",
"Subscribers count", "\\nFollowers"), and the same header can mean different things in two
files ("instagram name" is the handle in one and the display name in the next), so a column
is suggested from its header *and* checked against its values: a column headed "Views avg."
full of country names is suggested as the country, and of the columns that name the
creator, the one whose values look like handles (no spaces, mostly unique) becomes the
handle and the most name-like of the rest the display name.

Engagement figures, decided once here:

- Our engagement rate is always computed from averages (creator.metrics), never copied from
  a file: vendors compute theirs over different windows and formulas.
- "Engagement avg" / "Eng. (Avg.)" (average interactions per post, likes + comments) maps to
  `avg_engagement`; it is stored as average likes when the file gives no likes, or yields
  the comments (interactions - likes) when it gives likes but no comments, so that the
  computed rate (likes + comments) / followers comes out as the vendor's interactions rate.
- "Authentic engagement" (the vendor's estimate of interactions from real accounts) is not
  suggested: it is the vendor's model, not an average we could recompute or compare.
- A vendor engagement rate ("1.39%") is used only when the row has no likes, comments or
  interactions, on a platform whose rate is measured against followers: then average
  interactions = rate x followers is stored as average likes, which reproduces the rate.
  Without a '%' sign a rate above 1 is read as a percentage ("2.5" -> 2.5%).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email

from tastemaker.creator.bulk import AccountRecord, normalise_handle
from tastemaker.creator.metrics import VIEW_BASED
from tastemaker.creator.models import Platform
from tastemaker.creator.platforms import PLATFORM_ALIASES, parse_platform, platform_names
from tastemaker.imports.countries import country_code
from tastemaker.imports.parsing import (
    Cell,
    Column,
    NotANumber,
    Row,
    is_blank,
    parse_number,
    shorten,
    text_value,
)
from tastemaker.kit.errors import ValidationFailed


@dataclass(frozen=True)
class Target:
    name: str
    label: str
    multi: bool = False  # several columns may feed it (categories)


TARGETS: dict[str, Target] = {
    t.name: t
    for t in (
        Target("handle", "Handle"),
        Target("display_name", "Display name"),
        Target("platform", "Platform (per row)"),
        Target("followers", "Followers / subscribers"),
        Target("following", "Following"),
        Target("posts", "Posts / uploads"),
        Target("avg_likes", "Avg. likes"),
        Target("avg_comments", "Avg. comments"),
        Target("avg_shares", "Avg. shares"),
        Target("avg_views", "Avg. views"),
        Target("avg_engagement", "Avg. interactions (likes + comments)"),
        Target("engagement_rate", "Vendor engagement rate"),
        Target("country", "Country"),
        Target("language", "Language"),
        Target("categories", "Categories", multi=True),
        Target("contact_email", "Contact e-mail"),
        Target("url", "Profile URL"),
        Target("bio", "Bio"),
    )
}
COUNT_FIELDS = ("followers", "following", "posts")
AVERAGE_FIELDS = ("avg_likes", "avg_comments", "avg_shares", "avg_views", "avg_engagement")
NUMERIC_FIELDS = frozenset((*COUNT_FIELDS, *AVERAGE_FIELDS, "engagement_rate"))

# Handles on these platforms never contain spaces; a value with one is a display name.
NO_SPACE_PLATFORMS = frozenset(
    {
        Platform.instagram,
        Platform.tiktok,
        Platform.x,
        Platform.twitch,
        Platform.snapchat,
        Platform.pinterest,
    }
)
MAX_HANDLE = 200
MAX_DISPLAY_NAME = 200
MAX_URL = 500
MAX_CATEGORY = 60

# --- header synonyms ---------------------------------------------------------------------

IDENTITY = "<identity>"  # a column naming the creator: handle or display name, by content

# fmt: off
_CANONICAL = {
    "likes": "like", "comments": "comment", "shares": "share", "views": "view",
    "followers": "follower", "subscribers": "subscriber", "subs": "subscriber", "fans": "fan",
    "posts": "post", "uploads": "upload", "videos": "video", "average": "avg", "mean": "avg",
    "eng": "engagement", "engagements": "engagement", "interactions": "interaction",
    "auth": "authentic", "categories": "category", "topics": "topic", "niches": "niche",
    "followings": "following", "followees": "following", "followee": "following",
    "follows": "following", "mail": "email", "emails": "email", "links": "link",
    "urls": "url", "countries": "country", "languages": "language",
}
# fmt: on
# Columns that look like ours but are not what we store: ranks, totals, growth, earnings,
# the country's own statistics in the YouTube 2023 data set.
# fmt: off
_IGNORED = frozenset({
    "rank", "ranking", "score", "growth", "earning", "earnings", "last", "new", "total",
    "lowest", "highest", "created", "population", "unemployment", "latitude", "longitude",
    "enrollment", "urban", "abbreviation", "gross", "id", "type", "kind", "status", "website",
    "date", "year", "month",
})
# fmt: on
_HANDLE_WORDS = frozenset({"handle", "username", "user", "account", "login", "screen"})
_NAME_WORDS = frozenset({"display", "full", "real"})
_IDENTITY_WORDS = frozenset(
    {
        "name",
        "channel",
        "youtuber",
        "tiktoker",
        "influencer",
        "creator",
        "insta",
        "instagram",
        "tiktok",
        "youtube",
        "title",
        "profile",
        "info",
        "blogger",
        "streamer",
    }
)
_PLAIN_RULES: tuple[tuple[frozenset[str], str], ...] = (
    (frozenset({"following"}), "following"),
    (frozenset({"follower", "subscriber", "fan"}), "followers"),
    (frozenset({"post", "upload", "video", "media"}), "posts"),
    (frozenset({"country", "nation", "location", "geo"}), "country"),
    (frozenset({"category", "topic", "niche", "genre", "vertical", "interests"}), "categories"),
    (frozenset({"email"}), "contact_email"),
    (frozenset({"url", "link"}), "url"),
    (frozenset({"bio", "biography", "description", "about"}), "bio"),
    (frozenset({"language", "lang", "locale"}), "language"),
    (frozenset({"platform", "network"}), "platform"),
)


def header_tokens(header: str) -> set[str]:
    text = header.lower().replace("e-mail", "email")
    words = re.split(r"[\W_]+", text)
    return {_CANONICAL.get(w, w) for w in words if w and not w.isdigit()}


def field_for_header(header: str) -> tuple[str | None, str]:
    """(target, IDENTITY or None; why) from the header alone."""
    tokens = header_tokens(header)
    if not tokens:
        return None, "no header"
    if tokens & _IGNORED:
        return None, "not a figure Tastemaker keeps"
    if "rate" in tokens or tokens == {"er"}:
        if "engagement" in tokens or tokens == {"er"}:
            return "engagement_rate", "header names an engagement rate"
        return None, "not a figure Tastemaker keeps"
    if "authentic" in tokens:
        return None, "a vendor estimate Tastemaker does not keep"
    if "view" in tokens:
        if "avg" in tokens:
            return "avg_views", "header names average views"
        return None, "total views, not an average"
    for word, target in (
        ("like", "avg_likes"),
        ("comment", "avg_comments"),
        ("share", "avg_shares"),
    ):
        if word in tokens:
            return target, f"header names {TARGETS[target].label.lower()}"
    if tokens & {"engagement", "interaction"}:
        return "avg_engagement", "header names average interactions"
    for words, target in _PLAIN_RULES:
        if tokens & words:
            return target, f"header names {TARGETS[target].label.lower()}"
    if tokens & (_HANDLE_WORDS | _NAME_WORDS | _IDENTITY_WORDS):
        return IDENTITY, "header names the creator"
    return None, "header not recognised"


# --- value profiles ----------------------------------------------------------------------

_HANDLE_SHAPE = re.compile(r"^@?[\w.\-]+$")
_EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL_SHAPE = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)


@dataclass
class Profile:
    """What a sample of a column's values looks like."""

    total: int = 0
    filled: int = 0
    numeric: int = 0
    countries: int = 0
    emails: int = 0
    urls: int = 0
    platforms: int = 0
    handles: int = 0
    lower: int = 0
    distinct: int = 0
    samples: list[str] = field(default_factory=list)

    def share(self, count: int) -> float:
        return count / self.filled if self.filled else 0.0


def profile_column(values: Sequence[Cell]) -> Profile:
    profile = Profile(total=len(values))
    seen: set[str] = set()
    for value in values:
        text = text_value(value)
        if text is None:
            continue
        profile.filled += 1
        seen.add(text)
        if len(profile.samples) < 3:
            profile.samples.append(shorten(text, 40))
        try:
            if parse_number(value) is not None:
                profile.numeric += 1
        except NotANumber:
            pass
        if country_code(text) is not None and not text.isdigit():
            profile.countries += 1
        if _EMAIL_SHAPE.match(text):
            profile.emails += 1
        if _URL_SHAPE.match(text):
            profile.urls += 1
        if parse_platform(text) is not None:
            profile.platforms += 1
        if _HANDLE_SHAPE.match(text):
            profile.handles += 1
        if text == text.lower():
            profile.lower += 1
    profile.distinct = len(seen)
    return profile


# --- suggestions -------------------------------------------------------------------------


@dataclass
class ColumnMapping:
    """target -> column indices (0-based); the platform when it is one for the whole file."""

    columns: dict[str, list[int]] = field(default_factory=dict)
    platform: Platform | None = None
    platform_source: str | None = None  # "chosen", "file name", "column headers"
    sheet: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "columns": {k: list(v) for k, v in self.columns.items() if v},
            "platform": self.platform.value if self.platform else None,
            "platform_source": self.platform_source,
            "sheet": self.sheet,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> ColumnMapping:
        data = data or {}
        platform = data.get("platform")
        return cls(
            columns={k: [int(i) for i in v] for k, v in (data.get("columns") or {}).items()},
            platform=Platform(platform) if platform else None,
            platform_source=data.get("platform_source"),
            sheet=data.get("sheet"),
        )

    def field_of(self, index: int) -> str | None:
        """The first target a column feeds (the UI offers one choice per column)."""
        for name in TARGETS:
            if index in self.columns.get(name, []):
                return name
        return None

    def labels(self, columns: Sequence[Column]) -> dict[str, str | list[str]]:
        by_index = {c.index: c.label for c in columns}
        out: dict[str, str | list[str]] = {}
        for name, indices in self.columns.items():
            labels = [by_index.get(i, f"#{i + 1}") for i in indices]
            if labels:
                out[name] = labels if TARGETS[name].multi else labels[0]
        return out


@dataclass
class ColumnSuggestion:
    column: Column
    field: str | None
    reason: str
    samples: list[str]


def infer_platform(
    filename: str, columns: Sequence[Column] = ()
) -> tuple[Platform | None, str | None]:
    """From the file name ('... - Tiktok sep 2022.csv', 'top_insta_....csv'), else from
    headers such as 'Tiktoker name'; None when nothing, or more than one platform, shows."""
    for source, texts in (
        ("file name", [PurePath(filename).stem]),
        ("column headers", [c.header for c in columns]),
    ):
        found: set[Platform] = set()
        for text in texts:
            for word in re.split(r"[\W_]+", text.lower()):
                if word in PLATFORM_ALIASES and len(word) > 2 and word not in ("blog", "x"):
                    found.add(PLATFORM_ALIASES[word])
        if len(found) == 1:
            return found.pop(), source
        if len(found) > 1:
            return None, None
    return None, None


def suggest(
    columns: Sequence[Column], sample: Sequence[Row], filename: str = ""
) -> tuple[list[ColumnSuggestion], ColumnMapping]:
    """One suggestion per column, and the mapping they add up to."""
    profiles = [profile_column([cells[c.index] for _, cells in sample]) for c in columns]
    fields: list[str | None] = []
    reasons: list[str] = []
    for column, profile in zip(columns, profiles, strict=True):
        target, reason = field_for_header(column.header)
        target, reason = _check_values(target, reason, profile)
        fields.append(target)
        reasons.append(reason)

    _choose_identity(columns, profiles, fields, reasons)

    mapping = ColumnMapping()
    for column, target in zip(columns, fields, strict=True):
        if target is None:
            continue
        taken = mapping.columns.get(target)
        if taken and not TARGETS[target].multi:
            first = columns[taken[0]]
            fields[column.index] = None
            reasons[column.index] = (
                f"repeats column {first.letter} ({first.label})"
                if column.header.casefold() == first.header.casefold()
                else f"column {first.letter} ({first.label}) already gives "
                f"{TARGETS[target].label.lower()}"
            )
            continue
        mapping.columns.setdefault(target, []).append(column.index)

    mapping.platform, mapping.platform_source = infer_platform(filename, columns)
    suggestions = [
        ColumnSuggestion(c, f, r, p.samples)
        for c, f, r, p in zip(columns, fields, reasons, profiles, strict=True)
    ]
    return suggestions, mapping


def _check_values(target: str | None, reason: str, profile: Profile) -> tuple[str | None, str]:
    if not profile.filled:
        return target, reason
    if target in NUMERIC_FIELDS and profile.share(profile.numeric) < 0.5:
        if profile.share(profile.countries) >= 0.5:
            return "country", "the header says a number, but the values are countries"
        return None, "the header says a number, but the values are not numbers"
    if target == "country" and profile.share(profile.countries) < 0.5:
        return None, "the header says country, but the values are not countries"
    if target is None and reason == "header not recognised":
        for count, guess in (
            (profile.emails, "contact_email"),
            (profile.urls, "url"),
            (profile.platforms, "platform"),
        ):
            if profile.share(count) >= 0.8:
                return guess, f"the values look like {TARGETS[guess].label.lower()}"
        if profile.share(profile.countries) >= 0.8 and not profile.numeric:
            return "country", "the values look like countries"
    return target, reason


def _choose_identity(
    columns: Sequence[Column],
    profiles: Sequence[Profile],
    fields: list[str | None],
    reasons: list[str],
) -> None:
    """Of the columns naming the creator, the most handle-like becomes the handle (shape,
    uniqueness, lower case, an explicit 'username'/'handle' header), the least handle-like of
    the rest the display name; any others are left unmapped."""
    candidates = [c.index for c in columns if fields[c.index] == IDENTITY]
    if not candidates:
        return

    def handle_score(index: int) -> float:
        p = profiles[index]
        if not p.filled:
            return -1.0
        explicit = bool(header_tokens(columns[index].header) & _HANDLE_WORDS)
        named = bool(header_tokens(columns[index].header) & _NAME_WORDS)
        return (
            p.share(p.handles) * (p.distinct / p.filled) * (p.filled / max(p.total, 1))
            + 0.1 * p.share(p.lower)
            + (0.5 if explicit else 0.0)
            - (0.5 if named else 0.0)
        )

    handle = max(candidates, key=lambda i: (handle_score(i), -i))
    fields[handle] = "handle"
    reasons[handle] = "names the creator; its values look most like handles"
    rest = [i for i in candidates if i != handle]
    if rest:
        display = min(rest, key=lambda i: (handle_score(i), i))
        fields[display] = "display_name"
        reasons[display] = "names the creator; its values look like names"
        for index in rest:
            if index != display:
                fields[index] = None
                reasons[index] = "another column already gives the handle and the name"


# --- mappings given by people (CLI file, API, form) --------------------------------------


def find_column(columns: Sequence[Column], ref: str | int) -> Column | None:
    """By label ('Followers (2)'), by header (the first of that name), or by 1-based number."""
    if isinstance(ref, int) and not isinstance(ref, bool):
        return columns[ref - 1] if 1 <= ref <= len(columns) else None
    if not isinstance(ref, str):
        return None
    wanted = " ".join(ref.split()).casefold()
    for column in columns:
        if column.label.casefold() == wanted:
            return column
    for column in columns:
        if column.header.casefold() == wanted:
            return column
    return None


def apply_spec(
    spec: dict[str, Any], columns: Sequence[Column], base: ColumnMapping
) -> ColumnMapping:
    """Applies a mapping written by a person over the automatic one:

        platform = "instagram"          # optional; one platform for the whole file
        [columns]                       # target = column label, header or 1-based number
        handle = "Influencer insta name"
        categories = ["category_1", "category_2"]
        avg_likes = ""                  # empty: do not import this target at all

    Targets it names replace the suggestion for that target, and a column it uses is taken
    away from any suggested target. Every unknown key, target or column is reported at once.
    """
    problems: list[str] = []
    unknown_keys = sorted(set(spec) - {"platform", "columns", "sheet"})
    if unknown_keys:
        problems.append(
            f"unknown setting(s) {', '.join(unknown_keys)}; "
            "the mapping has 'platform', 'sheet' and a [columns] table"
        )
    raw_columns = spec.get("columns") or {}
    if not isinstance(raw_columns, dict):
        problems.append("'columns' must be a table of target = column")
        raw_columns = {}
    result = ColumnMapping(
        {k: list(v) for k, v in base.columns.items()},
        base.platform,
        base.platform_source,
        base.sheet,
    )

    platform = spec.get("platform")
    if platform not in (None, ""):
        parsed = parse_platform(str(platform))
        if parsed is None:
            problems.append(f"unknown platform {platform!r}; use one of {platform_names()}")
        else:
            result.platform, result.platform_source = parsed, "chosen"

    unknown_targets = sorted(set(raw_columns) - set(TARGETS))
    if unknown_targets:
        problems.append(
            f"unknown target field(s) {', '.join(unknown_targets)}; "
            f"the targets are {', '.join(TARGETS)}"
        )
    missing: list[str] = []
    chosen: dict[str, list[int]] = {}
    for target, value in raw_columns.items():
        if target not in TARGETS:
            continue
        refs = value if isinstance(value, list) else [value]
        if len(refs) > 1 and not TARGETS[target].multi:
            problems.append(f"{target} takes one column, not {len(refs)}")
            continue
        indices = []
        for ref in refs:
            if ref in (None, ""):
                continue
            column = find_column(columns, ref)
            if column is None:
                missing.append(repr(ref))
            else:
                indices.append(column.index)
        chosen[target] = indices
    if missing:
        problems.append(
            f"column(s) {', '.join(missing)} not in the file; its columns are: "
            + ", ".join(c.label for c in columns)
        )
    if problems:
        raise ValidationFailed("; ".join(problems), details={"field": "mapping"})

    claimed = {i for indices in chosen.values() for i in indices}
    for target in list(result.columns):
        if target in chosen:
            continue
        result.columns[target] = [i for i in result.columns[target] if i not in claimed]
    result.columns.update(chosen)
    result.columns = {k: v for k, v in result.columns.items() if v}
    return result


def mapping_from_choices(
    choices: dict[int, str],
    columns: Sequence[Column],
    platform: Platform | None,
    platform_source: str | None,
    sheet: str | None,
) -> ColumnMapping:
    """The UI's form: one target (or '' to skip) per column."""
    by_target: dict[str, list[int]] = {}
    problems = []
    for column in columns:
        target = choices.get(column.index, "")
        if not target:
            continue
        if target not in TARGETS:
            problems.append(f"unknown target {target!r} for column {column.label!r}")
            continue
        by_target.setdefault(target, []).append(column.index)
    for target, indices in by_target.items():
        if len(indices) > 1 and not TARGETS[target].multi:
            labels = " and ".join(repr(columns[i].label) for i in indices)
            problems.append(f"{TARGETS[target].label} is chosen for {labels}; pick one")
    if problems:
        raise ValidationFailed("; ".join(problems), details={"field": "mapping"})
    return ColumnMapping(by_target, platform, platform_source, sheet)


def mapping_problems(mapping: ColumnMapping) -> list[str]:
    """What stops an import from running with this mapping."""
    problems = []
    if not mapping.columns.get("handle") and not mapping.columns.get("url"):
        problems.append("choose the column that holds the handle")
    if mapping.platform is None and not mapping.columns.get("platform"):
        problems.append("choose the platform (or a column that names it)")
    return problems


# --- rows -> records ---------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    field: str | None
    message: str


class _Problem(ValueError):
    pass


def _count(value: Cell) -> int | None:
    number = _number(value)
    if number is None:
        return None
    if number > 9_000_000_000_000_000_000:
        raise _Problem(f"{shorten(value)!r} is too large")
    return round(number)


def _non_negative(value: Cell, *, percent_allowed: bool) -> tuple[float, bool] | None:
    """(number, written with '%') or None for a blank; a _Problem for anything else."""
    try:
        parsed = parse_number(value)
    except NotANumber as exc:
        raise _Problem(str(exc)) from None
    if parsed is None:
        return None
    number, percent = parsed
    if percent and not percent_allowed:
        raise _Problem(f"{shorten(value)!r} is a percentage; a count was expected")
    if number < 0:
        raise _Problem(f"{shorten(value)!r} is negative")
    return parsed


def _number(value: Cell) -> float | None:
    parsed = _non_negative(value, percent_allowed=False)
    return None if parsed is None else parsed[0]


def _rate(value: Cell) -> float | None:
    parsed = _non_negative(value, percent_allowed=True)
    if parsed is None:
        return None
    number, percent = parsed
    return number / 100 if percent or number > 1 else number


def _country(value: Cell) -> str | None:
    text = text_value(value)
    # A 0 is how spreadsheet formulas write "no value" into a text column.
    if text is None or text == "0":
        return None
    code = country_code(text)
    if code is None:
        raise _Problem(
            f"unknown country {shorten(text)!r}; write the name in English or "
            "its two-letter ISO code"
        )
    return code


# fmt: off
_LANGUAGES = {
    "english": "en", "spanish": "es", "espanol": "es", "español": "es", "portuguese": "pt",
    "french": "fr", "francais": "fr", "français": "fr", "german": "de", "deutsch": "de",
    "italian": "it", "russian": "ru", "arabic": "ar", "hindi": "hi", "indonesian": "id",
    "japanese": "ja", "korean": "ko", "chinese": "zh", "turkish": "tr", "thai": "th",
    "vietnamese": "vi", "dutch": "nl", "polish": "pl", "swedish": "sv", "ukrainian": "uk",
}
# fmt: on
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,4})?$")


def _language(value: Cell) -> str | None:
    text = text_value(value)
    if text is None:
        return None
    lowered = text.lower().replace("_", "-")
    if _LANGUAGE_CODE.match(lowered):
        return lowered
    code = _LANGUAGES.get(lowered)
    if code is None:
        raise _Problem(f"unknown language {shorten(text)!r}; use a code such as 'en'")
    return code


def _email(value: Cell) -> str | None:
    text = text_value(value)
    if text is None:
        return None
    try:
        return validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise _Problem(f"{shorten(text)!r} is not a valid e-mail address") from None


def _url(value: Cell) -> str | None:
    text = text_value(value)
    if text is None:
        return None
    url = text if re.match(r"^https?://", text, re.IGNORECASE) else "https://" + text.lstrip("/")
    host = urlsplit(url).hostname or ""
    if " " in url or "." not in host:
        raise _Problem(f"{shorten(text)!r} is not a web address")
    if len(url) > MAX_URL:
        raise _Problem(f"the address is longer than {MAX_URL} characters")
    return url


def _display_name(value: Cell) -> str | None:
    text = text_value(value)
    return text[:MAX_DISPLAY_NAME] if text else None


def _bio(value: Cell) -> str | None:
    if is_blank(value):
        return None
    return str(value).strip() or None


_SIMPLE_CONVERTERS = {
    **{name: _count for name in COUNT_FIELDS},
    **{name: _number for name in AVERAGE_FIELDS},
    "engagement_rate": _rate,
    "country": _country,
    "language": _language,
    "contact_email": _email,
    "display_name": _display_name,
    "bio": _bio,
}
_CATEGORY_SPLIT = re.compile(r"[,;|\n]")


class RowMapper:
    """Compiled once per mapping; turns each row into an AccountRecord or its errors."""

    def __init__(self, mapping: ColumnMapping, columns: Sequence[Column]) -> None:
        self.platform = mapping.platform
        labels = {c.index: c.label for c in columns}

        def single(target: str) -> tuple[int, str] | None:
            indices = mapping.columns.get(target) or []
            return (indices[0], labels.get(indices[0], f"#{indices[0] + 1}")) if indices else None

        self.handle = single("handle")
        self.url = single("url")
        self.platform_column = single("platform")
        self.simple = [
            (target, *found, _SIMPLE_CONVERTERS[target])
            for target in _SIMPLE_CONVERTERS
            if (found := single(target))
        ]
        self.categories = mapping.columns.get("categories") or []

    def __call__(self, number: int, cells: Sequence[Cell]) -> AccountRecord | list[RowError]:
        errors: list[RowError] = []
        values: dict[str, Any] = {}
        for target, index, label, convert in self.simple:
            try:
                values[target] = convert(cells[index])
            except _Problem as problem:
                errors.append(RowError(number, target, f"column '{label}': {problem}"))

        platform = self._platform(number, cells, errors)
        url = None
        if self.url:
            try:
                url = _url(cells[self.url[0]])
            except _Problem as problem:
                errors.append(RowError(number, "url", f"column '{self.url[1]}': {problem}"))
        handle = self._handle(number, cells, url, platform, errors)
        if errors or handle is None or platform is None:
            return errors

        engagement = values.pop("avg_engagement", None)
        rate = values.pop("engagement_rate", None)
        likes, comments = values.get("avg_likes"), values.get("avg_comments")
        if engagement is not None:
            if likes is None and comments is None:
                values["avg_likes"] = engagement
            elif likes is None:
                values["avg_likes"] = max(engagement - comments, 0.0)
            elif comments is None:
                values["avg_comments"] = max(engagement - likes, 0.0)
        elif (
            rate is not None
            and likes is None
            and comments is None
            and platform not in VIEW_BASED
            and values.get("followers")
        ):
            values["avg_likes"] = round(rate * values["followers"], 2)

        return AccountRecord(
            platform=platform, handle=handle, url=url, categories=self._categories(cells), **values
        )

    def _platform(
        self, number: int, cells: Sequence[Cell], errors: list[RowError]
    ) -> Platform | None:
        if self.platform_column:
            index, label = self.platform_column
            text = text_value(cells[index])
            if text is not None:
                found = parse_platform(text)
                if found is None:
                    errors.append(
                        RowError(
                            number,
                            "platform",
                            f"column '{label}': unknown platform "
                            f"{shorten(text)!r}; use one of {platform_names()}",
                        )
                    )
                return found
        if self.platform is None:
            errors.append(RowError(number, "platform", "no platform for this row"))
        return self.platform

    def _handle(
        self,
        number: int,
        cells: Sequence[Cell],
        url: str | None,
        platform: Platform | None,
        errors: list[RowError],
    ) -> str | None:
        text = text_value(cells[self.handle[0]]) if self.handle else None
        where = f"column '{self.handle[1]}'" if self.handle else ""
        if text is None and url is not None and self.url:
            # No handle, but a profile URL: 'instagram.com/name' names the account.
            text, where = url, f"column '{self.url[1]}'"
        if text is None:
            reason = f"{where} is empty" if where else "no column is mapped to the handle"
            errors.append(RowError(number, "handle", f"no handle: {reason}"))
            return None
        handle = normalise_handle(text)
        problem = None
        if not handle:
            problem = f"{shorten(text)!r} holds no handle"
        elif len(handle) > MAX_HANDLE:
            problem = f"the handle is longer than {MAX_HANDLE} characters"
        elif "\ufffd" in handle:
            problem = (
                f"{shorten(text)!r} has characters the file's encoding lost (�); "
                "fix them in the file"
            )
        elif platform in NO_SPACE_PLATFORMS and len(handle.split(maxsplit=1)) > 1:
            problem = (
                f"{shorten(text)!r} is not a handle: {platform.value} handles have no "
                "spaces (is this the display name?)"
            )
        if problem:
            errors.append(RowError(number, "handle", f"{where}: {problem}"))
            return None
        return handle

    def _categories(self, cells: Sequence[Cell]) -> list[str] | None:
        if not self.categories:
            return None
        found: dict[str, None] = {}
        for index in self.categories:
            text = text_value(cells[index])
            if text is not None:
                found.update(dict.fromkeys(_split_categories(text)))
        return list(found) or None


@lru_cache(maxsize=4096)
def _split_categories(text: str) -> tuple[str, ...]:
    # Cached: a list repeats a few dozen category names over thousands of rows.
    names = (" ".join(part.split()).lower()[:MAX_CATEGORY] for part in _CATEGORY_SPLIT.split(text))
    return tuple(name for name in names if name)
