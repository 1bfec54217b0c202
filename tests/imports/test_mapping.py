from __future__ import annotations

from collections.abc import Sequence

import pytest

from tastemaker.creator.bulk import AccountRecord
from tastemaker.creator.models import Platform
from tastemaker.imports.countries import country_code
from tastemaker.imports.mapping import (
    IDENTITY,
    ColumnMapping,
    RowError,
    RowMapper,
    apply_spec,
    field_for_header,
    infer_platform,
    mapping_from_choices,
    mapping_problems,
    suggest,
)
from tastemaker.imports.parsing import Table, open_table
from tastemaker.kit.errors import ValidationFailed
from tests.imports.helpers import VENDOR_LIKE, csv_bytes


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("Influencer insta name", IDENTITY),
        ("instagram name", IDENTITY),
        ("channel name", IDENTITY),
        ("Youtuber", IDENTITY),
        ("Tiktoker name", IDENTITY),
        ("channel_info", IDENTITY),
        ("username", IDENTITY),
        ("handle", IDENTITY),
        ("Followers", "followers"),
        ("Subscribers", "followers"),
        ("subscribers count", "followers"),
        ("\nFollowers", "followers"),
        ("Followers Numbers ", "followers"),
        ("followees", "following"),
        ("uploads", "posts"),
        ("posts", "posts"),
        ("avg likes", "avg_likes"),
        ("Avg. Likes", "avg_likes"),
        ("Likes (Avg.)", "avg_likes"),
        ("likes(avg.)", "avg_likes"),
        ("Comments avg.", "avg_comments"),
        ("Shares avg", "avg_shares"),
        ("Views avg.", "avg_views"),
        ("\nViews (Avg.)", "avg_views"),
        ("video_views", None),
        ("Engagement avg\r\n", "avg_engagement"),
        ("Eng. (Avg.)", "avg_engagement"),
        ("Engagement average", "avg_engagement"),
        ("Authentic engagement\n", None),
        ("Eng. (Auth.)", None),
        ("60_day_eng_rate", "engagement_rate"),
        ("Engagement rate", "engagement_rate"),
        ("Audience country", "country"),
        ("Audience country(mostly)", "country"),
        ("Country", "country"),
        ("country_rank", None),
        ("Abbreviation", None),
        ("category_1", "categories"),
        ("Category-2", "categories"),
        ("topic of influence", "categories"),
        ("channel_type", None),
        ("E-mail", "contact_email"),
        ("Profile URL", "url"),
        ("Bio", "bio"),
        ("Language", "language"),
        ("Platform", "platform"),
        ("total_likes", None),
        ("new_post_avg_like", None),
        ("subscribers_for_last_30_days", None),
        ("influence_score", None),
        ("rank", None),
        ("S.no", None),
    ],
)
def test_header_synonyms(header: str, target: str | None) -> None:
    assert field_for_header(header)[0] == target


def _suggest(
    rows: Sequence[Sequence[object]], filename: str = "list.csv"
) -> tuple[Table, list, ColumnMapping]:
    table = open_table(csv_bytes(rows))
    suggestions, mapping = suggest(table.columns, table.head(200), filename)
    return table, suggestions, mapping


def test_vendor_like_file_maps_itself() -> None:
    _, suggestions, mapping = _suggest(VENDOR_LIKE, "social media influencers - instagram.csv")
    by_label = {s.column.label: s.field for s in suggestions}
    assert by_label == {
        "S.no": None,
        "Influencer insta name": "handle",
        "instagram name": "display_name",
        "category_1": "categories",
        "category_2": "categories",
        "Followers": "followers",
        "Followers (2)": None,  # repeats column F
        "Audience country(mostly)": "country",
        "Authentic engagement": None,
        "Engagement avg": "avg_engagement",
        "Engagement rate": "engagement_rate",
    }
    assert mapping.columns["categories"] == [3, 4]
    assert (mapping.platform, mapping.platform_source) == (Platform.instagram, "file name")
    assert mapping_problems(mapping) == []


def test_the_handle_is_the_column_whose_values_look_like_handles() -> None:
    rows = [
        ["name", "instagram name"],
        ["leomessi", "Leo Messi"],
        ["cristiano", "Cristiano R"],
        ["neymarjr", "NJ 🇧🇷"],
    ]
    _, suggestions, _ = _suggest(rows)
    assert [s.field for s in suggestions] == ["handle", "display_name"]
    swapped = [[b, a] for a, b in rows]
    _, suggestions, _ = _suggest(swapped)
    assert [s.field for s in suggestions] == ["display_name", "handle"]


def test_a_numeric_header_over_country_names_is_suggested_as_country() -> None:
    """The June 2022 Instagram export heads its country column 'Views avg.'."""
    rows = [
        ["instagram name", "Subscribers count", "Views avg.", "Likes avg"],
        ["433", "50.7M", "Spain", "274.9K"],
        ["kimwoobin", "3.6M", "Indonesia", "449.4K"],
        ["youngbae", "13.4M", "Indonesia", "269.6K"],
    ]
    _, suggestions, mapping = _suggest(rows)
    assert suggestions[2].field == "country"
    assert "countries" in suggestions[2].reason
    assert mapping.columns["country"] == [2]


def test_numeric_header_over_text_is_not_suggested() -> None:
    _, suggestions, _ = _suggest([["handle", "Followers"], ["a", "lots"], ["b", "many"]])
    assert suggestions[1].field is None
    assert "not numbers" in suggestions[1].reason


def test_unknown_headers_are_guessed_from_values() -> None:
    rows = [
        ["who", "reach", "mail", "where", "net"],
        ["a", "1", "a@example.com", "France", "Instagram"],
        ["b", "2", "b@example.com", "Germany", "TikTok"],
    ]
    _, suggestions, _ = _suggest(rows)
    assert [s.field for s in suggestions] == [None, None, "contact_email", "country", "platform"]


@pytest.mark.parametrize(
    ("filename", "platform"),
    [
        ("social media influencers - Tiktok sep 2022.csv", Platform.tiktok),
        ("social media influencers-YOUTUBE - --DEC 2022.csv", Platform.youtube),
        ("top_insta_influencers_data.csv", Platform.instagram),
        ("global_youtube_statistics_2023.csv", Platform.youtube),
        ("influencers.csv", None),
        ("instagram vs tiktok.csv", None),  # two platforms: ask
    ],
)
def test_platform_from_the_file_name(filename: str, platform: Platform | None) -> None:
    assert infer_platform(filename)[0] == platform


def test_platform_from_the_headers_when_the_name_says_nothing() -> None:
    table = open_table(csv_bytes([["Tiktoker name", "Followers"], ["a", "1"]]))
    assert infer_platform("export.csv", table.columns) == (Platform.tiktok, "column headers")


def test_country_names_and_codes() -> None:
    assert country_code("United States") == "US"
    assert country_code("us") == "US"
    assert country_code("South Korea") == "KR"
    assert country_code("Côte d'Ivoire") == "CI"
    assert country_code("United Kingdom") == "GB"
    assert country_code("Atlantis") is None


# --- mappings written by people ----------------------------------------------------------


def test_a_mapping_file_overrides_suggestions_and_takes_its_columns_away() -> None:
    rows = [
        ["instagram name", "Subscribers count", "Views avg.", "Likes avg", "Comments avg."],
        ["a", "1K", "Spain", "10", "20"],
    ]
    table, _, suggested = _suggest(rows)
    assert suggested.columns["avg_comments"] == [4]
    spec = {
        "platform": "Instagram",
        "columns": {"avg_engagement": "Comments avg.", "avg_likes": None, "handle": 1},
    }
    mapping = apply_spec(spec, table.columns, suggested)
    assert mapping.platform is Platform.instagram and mapping.platform_source == "chosen"
    assert mapping.columns["avg_engagement"] == [4]
    assert "avg_comments" not in mapping.columns  # its column now feeds avg_engagement
    assert "avg_likes" not in mapping.columns  # explicitly left out
    assert mapping.columns["handle"] == [0]
    assert mapping.columns["followers"] == [1]  # still the suggestion


def test_a_mapping_with_unknown_targets_and_columns_names_them_all() -> None:
    table, _, suggested = _suggest(VENDOR_LIKE)
    spec = {
        "colour": "x",
        "columns": {
            "handel": "x",
            "followers": "Folowers",
            "country": "Nope",
            "display_name": ["a", "b"],
        },
    }
    with pytest.raises(ValidationFailed) as caught:
        apply_spec(spec, table.columns, suggested)
    message = caught.value.message
    assert "unknown setting(s) colour" in message
    assert "unknown target field(s) handel" in message
    assert "'Folowers', 'Nope' not in the file" in message
    assert "Followers (2)" in message  # lists the file's columns
    assert "display_name takes one column" in message


def test_a_mapping_names_columns_by_label_header_or_number() -> None:
    table, _, suggested = _suggest(VENDOR_LIKE)
    mapping = apply_spec({"columns": {"followers": "followers (2)"}}, table.columns, suggested)
    assert mapping.columns["followers"] == [6]
    mapping = apply_spec({"columns": {"followers": 7}}, table.columns, suggested)
    assert mapping.columns["followers"] == [6]
    with pytest.raises(ValidationFailed, match="unknown platform 'myspace'"):
        apply_spec({"platform": "myspace"}, table.columns, suggested)


def test_form_choices_refuse_one_target_twice() -> None:
    table, _, _ = _suggest(VENDOR_LIKE)
    with pytest.raises(
        ValidationFailed,
        match="Followers / subscribers is chosen for 'Followers' and 'Followers \\(2\\)'",
    ):
        mapping_from_choices(
            {5: "followers", 6: "followers"}, table.columns, Platform.instagram, "chosen", None
        )
    ok = mapping_from_choices(
        {1: "handle", 3: "categories", 4: "categories"}, table.columns, None, None, None
    )
    assert ok.columns == {"handle": [1], "categories": [3, 4]}
    assert mapping_problems(ok) == ["choose the platform (or a column that names it)"]


# --- rows -> records ---------------------------------------------------------------------


def _convert(
    rows: Sequence[Sequence[object]], filename: str = "x instagram.csv", **spec: object
) -> list[AccountRecord | list[RowError]]:
    table = open_table(csv_bytes(rows))
    _, mapping = suggest(table.columns, table.head(200), filename)
    if spec:
        mapping = apply_spec(spec, table.columns, mapping)
    mapper = RowMapper(mapping, table.columns)
    return [mapper(n, cells) for n, cells in table.rows()]


def test_vendor_like_rows_become_records_or_row_numbered_errors() -> None:
    results = _convert(VENDOR_LIKE, "social media influencers - instagram.csv")
    first = results[0]
    assert isinstance(first, AccountRecord)
    assert first.platform is Platform.instagram
    assert first.handle == "cristiano"
    assert first.display_name == "Cristiano Ronaldo"
    assert first.followers == 475_800_000
    assert first.country == "ES"
    assert first.categories == ["sports with a ball"]
    # "Engagement avg" is average interactions: stored as likes, as the file gives no likes.
    assert first.avg_likes == 6_200_000 and first.avg_comments is None
    third = results[2]
    assert isinstance(third, AccountRecord) and third.country is None
    assert results[3] == [
        RowError(5, "handle", "no handle: column 'Influencer insta name' is empty")
    ]
    assert results[4] == [RowError(6, "followers", "column 'Followers': '12x' is not a number")]
    assert results[5] == [RowError(7, "followers", "column 'Followers': '-5' is negative")]


def test_every_bad_field_of_a_row_is_reported() -> None:
    rows = [
        ["handle", "platform", "followers", "email", "country", "url"],
        ["ok", "instagram", "1", "a@example.com", "FR", "instagram.com/ok"],
        ["x", "myspace", "1%", "not-an-email", "Atlantis", "not a url"],
    ]
    results = _convert(rows, "list.csv")
    assert isinstance(results[0], AccountRecord)
    assert results[0].contact_email == "a@example.com"
    assert results[0].url == "https://instagram.com/ok"
    errors = results[1]
    assert isinstance(errors, list)
    assert {e.field for e in errors} == {"platform", "followers", "contact_email", "country", "url"}
    assert all(e.row == 3 for e in errors)
    messages = " | ".join(e.message for e in errors)
    assert "unknown platform 'myspace'" in messages
    assert "'1%' is a percentage; a count was expected" in messages
    assert "'not-an-email' is not a valid e-mail address" in messages
    assert "unknown country 'Atlantis'" in messages


def test_handles_are_normalised_and_checked_per_platform() -> None:
    rows = [
        ["handle", "platform", "name"],
        ["@Some.Name", "IG", "A"],
        ["https://www.instagram.com/Other/", "instagram", "B"],
        ["Leo Messi", "instagram", "C"],
        ["Baby Big Mouth Kids", "youtube", "D"],
        ["Voc\ufffd\ufffd", "youtube", "E"],
    ]
    results = _convert(rows, "list.csv", columns={"handle": "handle", "display_name": "name"})
    assert [r.handle for r in results[:2] if isinstance(r, AccountRecord)] == ["some.name", "other"]
    assert isinstance(results[2], list) and "handles have no spaces" in results[2][0].message
    assert isinstance(results[3], AccountRecord) and results[3].handle == "baby big mouth kids"
    assert isinstance(results[4], list) and "encoding lost" in results[4][0].message


def test_interactions_fill_in_likes_or_comments() -> None:
    rows = [
        ["handle", "followers", "avg likes", "avg comments", "Engagement avg"],
        ["a", "1000", "", "", "50"],
        ["b", "1000", "40", "", "50"],
        ["c", "1000", "", "10", "50"],
        ["d", "1000", "30", "5", "50"],
    ]
    results = _convert(rows)
    pairs = [(r.avg_likes, r.avg_comments) for r in results if isinstance(r, AccountRecord)]
    assert pairs == [(50, None), (40, 10), (40, 10), (30, 5)]


def test_a_vendor_rate_becomes_interactions_only_when_nothing_else_says() -> None:
    rows = [
        ["handle", "followers", "ER", "avg likes"],
        ["a", "1000", "2.5%", ""],
        ["b", "1000", "2.5", ""],
        ["c", "1000", "0.025", ""],
        ["d", "1000", "2.5%", "7"],
    ]
    results = _convert(rows, columns={"engagement_rate": "ER"})
    assert [r.avg_likes for r in results if isinstance(r, AccountRecord)] == [25, 25, 25, 7]
    # On TikTok the rate is measured against views, which a follower count cannot reproduce.
    tiktok = _convert(rows, "tiktok.csv", columns={"engagement_rate": "ER"})
    assert [r.avg_likes for r in tiktok if isinstance(r, AccountRecord)] == [None, None, None, 7]


def test_categories_split_on_commas_not_on_ampersands() -> None:
    rows = [
        ["handle", "Category", "Category_2"],
        ["a", "Music & Dance, Humor", "humor"],
        ["b", "", ""],
    ]
    results = _convert(rows)
    assert isinstance(results[0], AccountRecord)
    assert results[0].categories == ["music & dance", "humor"]
    assert isinstance(results[1], AccountRecord) and results[1].categories is None


def test_mapping_round_trips_through_json() -> None:
    mapping = ColumnMapping(
        {"handle": [0], "categories": [2, 3]}, Platform.youtube, "file name", "Sheet1"
    )
    assert ColumnMapping.from_json(mapping.to_json()) == mapping
