"""Reading the follower sample a marketer uploads: CSV, XLSX or JSON -> FollowerProfiles.

Exports come from many tools, so headers are matched loosely ("followers",
"follower_count", "followersCount", "#followers" are one field) and numbers are read as
people write them ("1,234", "1.2K"), with the same cell parser the creator import uses.
Every problem is reported with its row (as a spreadsheet shows it) or JSON item number and
its field, all of them at once, so a person can fix the file in one go. Columns we do not
understand are listed, not guessed at.
"""

from __future__ import annotations

import codecs
import dataclasses
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tastemaker.imports.parsing import (
    Cell,
    NotANumber,
    check_size,
    decode_text,
    is_blank,
    open_table,
    parse_number,
    shorten,
    text_value,
)
from tastemaker.kit.errors import ValidationFailed
from tastemaker.vetting.features import FollowerProfile

MAX_PROBLEMS = 100  # reported in full; a file with more is wrong in some systematic way
SHOWN_IN_MESSAGE = 3


class SampleError(ValidationFailed):
    code = "invalid_follower_sample"


# Header spellings, compared with case, spaces and punctuation removed. The raw facts
# first; then the precomputed figures some data sets publish instead of the text.
ALIASES: dict[str, tuple[str, ...]] = {
    "followers": (
        "followers", "follower", "followercount", "followerscount", "numfollowers",
        "nfollowers", "userfollowercount", "followedby", "edgefollowedby",
    ),
    "following": (
        "following", "follows", "followingcount", "followscount", "followcount",
        "friends", "friendscount", "userfollowingcount", "edgefollow",
    ),
    "posts": (
        "posts", "postcount", "postscount", "media", "mediacount", "usermediacount",
        "statuses", "statusescount", "tweets", "tweetcount", "edgeownertotimelinemedia",
    ),
    "username": ("username", "screenname", "handle", "login", "account", "user"),
    "full_name": ("fullname", "name", "displayname"),
    "bio": ("biography", "bio", "description"),
    "external_url": ("externalurl", "url", "website", "link"),
    "has_picture": (
        "hasprofilepic", "profilepic", "hasprofilepicture", "profilepicture", "haspicture",
        "userhasprofilpic", "hasavatar",
    ),
    "is_private": ("isprivate", "private", "protected", "userisprivate"),
    "username_length": ("usernamelength",),
    "username_digit_ratio": ("usernamedigitratio", "numslengthusername"),
    "full_name_words": ("fullnamewords",),
    "full_name_digit_ratio": ("fullnamedigitratio", "numslengthfullname"),
    "name_equals_username": ("nameequalsusername", "nameusername"),
    "bio_length": ("biolength", "biographylength", "descriptionlength", "userbiographylength"),
    "has_external_url": ("hasexternalurl", "hasurl"),
}  # fmt: skip
FIELDS: tuple[str, ...] = tuple(ALIASES)
_BY_KEY = {alias: name for name, aliases in ALIASES.items() for alias in aliases}

COUNTS = frozenset({"followers", "following", "posts", "username_length", "full_name_words",
                    "bio_length"})  # fmt: skip
RATIOS = frozenset({"username_digit_ratio", "full_name_digit_ratio"})
FLAGS = frozenset({"has_picture", "is_private", "name_equals_username", "has_external_url"})
# A blank cell in one of these is a known empty value (no bio), not a missing one.
TEXTS_EMPTY_WHEN_BLANK = frozenset({"full_name", "bio", "external_url"})

_TRUE = frozenset({"1", "1.0", "true", "t", "yes", "y"})
_FALSE = frozenset({"0", "0.0", "false", "f", "no", "n"})
_KEY = re.compile(r"[^a-z0-9]")


def header_key(header: str) -> str:
    return _KEY.sub("", header.casefold())


def field_for(header: str) -> str | None:
    return _BY_KEY.get(header_key(header))


@dataclass(frozen=True)
class Problem:
    where: str  # "row 7" (CSV/XLSX, as a spreadsheet numbers it) or "item 7" (JSON)
    field: str  # the file's own header; empty when the whole row is wrong
    value: str
    message: str

    def __str__(self) -> str:
        if not self.field:
            return f"{self.where} {self.message}"
        return f"{self.where}, {self.field}: {self.message}"


@dataclass
class FollowerSample:
    profiles: list[FollowerProfile]
    rows: list[str]  # where each profile came from, as Problem.where names it
    columns: dict[str, str]  # our field -> the file's header it was read from
    ignored: list[str]  # the file's headers we did not use, with why when not obvious
    format: str


def read_sample_file(path: Path) -> FollowerSample:
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise SampleError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return read_sample(content)


def read_sample(content: bytes) -> FollowerSample:
    check_size(len(content))
    if content.startswith(b"PK\x03\x04"):  # an .xlsx workbook
        return _read_table(content)
    first = _first_byte(content)
    if not first:
        raise SampleError("the follower sample is empty: the file holds nothing")
    if first in b"[{":
        text, _ = decode_text(content)
        return _read_json(text.lstrip("\ufeff \t\r\n"))
    return _read_table(content)


def _first_byte(content: bytes) -> bytes:
    """The first byte after any byte order mark and blanks; b"" when there is none.

    Enough to tell JSON from a table without decoding the file: open_table decodes a table
    itself, and decoding (with its mojibake repair) is a fair share of reading a large CSV.
    """
    blanks = b" \t\r\n"
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        blanks += b"\x00"  # UTF-16 writes an ASCII character as that byte and a NUL
        content = content[2:]
    return content.removeprefix(codecs.BOM_UTF8).lstrip(blanks)[:1]


# --- cell values ------------------------------------------------------------------------


class _Bad(ValueError):
    pass


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and is_blank(value))


def _number(value: Any, name: str) -> float | None:
    # parse_number answers None for a blank and refuses a bool; a JSON object or list it
    # cannot take at all.
    if not isinstance(value, str | int | float | None):
        raise _Bad("is not a number")
    try:
        parsed = parse_number(value)
    except NotANumber:
        raise _Bad("is not a number") from None
    if parsed is None:
        return None
    number, percent = parsed
    if name in RATIOS:
        number = number / 100 if percent else number
        if not 0 <= number <= 1:
            raise _Bad("is not a share between 0 and 1 (or 0% and 100%)")
        return number
    if percent:
        raise _Bad("is a percentage, not a count")
    if number < 0:
        raise _Bad("is negative; a count cannot be")
    return number


def _flag(value: Any) -> bool | None:
    if _is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().casefold()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise _Bad("is not yes/no (1/0, true/false)")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict | list):
        raise _Bad("is not text")
    return text_value(value if isinstance(value, str | int | float) else str(value))


def _profile(values: Mapping[str, Any]) -> FollowerProfile:
    """One follower from its fields' raw values; _FieldError names the first bad one."""
    parsed: dict[str, Any] = {}
    for name, raw in values.items():
        try:
            _parse_into(parsed, name, raw)
        except _Bad as exc:
            raise _FieldError(name, raw, str(exc)) from None
    profile = FollowerProfile.from_account(
        username=parsed.get("username"),
        full_name=parsed.get("full_name"),
        bio=parsed.get("bio"),
        external_url=parsed.get("external_url"),
        followers=parsed.get("followers"),
        following=parsed.get("following"),
        posts=parsed.get("posts"),
        has_picture=parsed.get("has_picture"),
        is_private=parsed.get("is_private"),
        has_external_url=parsed.get("has_external_url"),
    )
    # Published figures fill in what the text could not tell; text, when given, wins.
    precomputed: dict[str, Any] = {
        name: _as_type(name, parsed[name])
        for name in ("username_length", "username_digit_ratio", "full_name_words",
                     "full_name_digit_ratio", "name_equals_username", "bio_length")
        if parsed.get(name) is not None and getattr(profile, name) is None
    }  # fmt: skip
    return dataclasses.replace(profile, **precomputed) if precomputed else profile


def _parse_into(parsed: dict[str, Any], name: str, raw: Any) -> None:
    if name in COUNTS or name in RATIOS:
        parsed[name] = _number(raw, name)
    elif name in FLAGS:
        parsed[name] = _flag(raw)
    else:
        text = _text(raw)
        if text is None and name in TEXTS_EMPTY_WHEN_BLANK:
            text = ""
        if name == "external_url" and text is not None and text.casefold() in _TRUE | _FALSE:
            # The Kaggle set and some exports write 0/1 here instead of the link; an
            # explicit has_external_url column, read before or after this one, wins.
            parsed.setdefault("has_external_url", _flag(text))
        else:
            parsed[name] = text


def _as_type(name: str, value: float | bool) -> float | int | bool:
    if name in ("username_length", "full_name_words", "bio_length"):
        return round(value)
    return value


class _FieldError(Exception):
    def __init__(self, name: str, raw: Any, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.raw = raw
        self.message = message


# --- files --------------------------------------------------------------------------------


@dataclass
class _Collector:
    where_word: str
    columns: dict[str, str]
    profiles: list[FollowerProfile] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    more_problems: int = 0

    def add(self, number: int, values: Mapping[str, Any]) -> None:
        where = f"{self.where_word} {number}"
        if all(_is_blank(v) for v in values.values()):
            self.problem(where, "", "", "has none of the follower fields filled in")
            return
        try:
            self.profiles.append(_profile(values))
            self.rows.append(where)
        except _FieldError as exc:
            header = self.columns.get(exc.name, exc.name)
            self.problem(where, header, shorten(_cell(exc.raw)), f"{_quoted(exc.raw)} {exc}")

    def problem(self, where: str, header: str, value: str, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(where, header, value, message))
        else:
            self.more_problems += 1


def _cell(value: Any) -> Cell:
    return value if isinstance(value, str | int | float) or value is None else str(value)


def _quoted(value: Any) -> str:
    return repr(shorten(_cell(value))) if isinstance(value, str) else shorten(_cell(value))


def _finish(collector: _Collector, ignored: list[str], file_format: str) -> FollowerSample:
    if collector.problems:
        total = len(collector.problems) + collector.more_problems
        shown = "; ".join(str(p) for p in collector.problems[:SHOWN_IN_MESSAGE])
        rest = total - min(total, SHOWN_IN_MESSAGE)
        raise SampleError(
            f"{total} problem{'s' if total != 1 else ''} in the follower sample: {shown}"
            + (f" (and {rest} more)" if rest else ""),
            details={
                "problems": [dataclasses.asdict(p) for p in collector.problems],
                "more_problems": collector.more_problems,
                "ignored_columns": ignored,
            },
        )
    if not collector.profiles:
        raise SampleError(
            "the follower sample is empty: the file has column names but no followers",
            details={"ignored_columns": ignored},
        )
    return FollowerSample(
        collector.profiles, collector.rows, collector.columns, ignored, file_format
    )


def _choose_columns(headers: list[str]) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """field -> position, field -> header, and the headers left out."""
    positions: dict[str, int] = {}
    names: dict[str, str] = {}
    ignored: list[str] = []
    for index, header in enumerate(headers):
        name = field_for(header)
        if name is None:
            ignored.append(header)
        elif name in positions:
            ignored.append(f"{header} (a second {name} column; the first one is used)")
        else:
            positions[name] = index
            names[name] = header
    if not positions:
        raise SampleError(
            "none of the columns is a follower field. Expected headers such as "
            "followers, following, posts, username, full_name, biography, external_url, "
            f"has_profile_pic, is_private; found: {', '.join(headers) or 'none'}",
            details={"ignored_columns": ignored},
        )
    return positions, names, ignored


def _read_table(content: bytes) -> FollowerSample:
    table = open_table(content)
    headers = [column.label for column in table.columns]
    positions, names, ignored = _choose_columns(headers)
    collector = _Collector("row", names)
    for number, cells in table.rows():
        collector.add(number, {name: cells[index] for name, index in positions.items()})
    return _finish(collector, ignored, table.format)


def _read_json(text: str) -> FollowerSample:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SampleError(
            f"the JSON cannot be read: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from exc
    items = _json_items(document)
    if not items:
        raise SampleError("the follower sample is empty: the JSON list has no followers")
    headers: dict[str, None] = {}  # every key seen, in first-seen order
    for item in items:
        if isinstance(item, dict):
            headers.update(dict.fromkeys(str(k) for k in item))
    _, names, ignored = _choose_columns(list(headers))
    collector = _Collector("item", names)
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            collector.problem(f"item {number}", "", "", "is not an object")
            continue
        values = {name: _unwrap(item.get(header)) for name, header in names.items()}
        collector.add(number, values)
    return _finish(collector, ignored, "json")


def _json_items(document: Any) -> list[Any]:
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        lists = [v for v in document.values() if isinstance(v, list)]
        # {"data": [...]} and the like: one list of objects inside one object.
        if len(lists) == 1 and all(isinstance(i, dict) for i in lists[0]):
            return lists[0]
    raise SampleError("the JSON must be a list of follower objects: [{...}, {...}]")


def _unwrap(value: Any) -> Any:
    # Instagram's web JSON writes counts as {"count": 12}.
    if isinstance(value, dict) and set(value) == {"count"}:
        return value["count"]
    return value
