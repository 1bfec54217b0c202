from __future__ import annotations

from dataclasses import replace

import pytest

from tastemaker.brandsafety.scanner import Scanner, Source
from tastemaker.brandsafety.terms import (
    Category,
    Lexicon,
    LexiconError,
    RiskLevel,
    SafePhrase,
    load_lexicon,
    parse_lexicon,
    surface_forms,
)

# domain.md §8, in its order and words.
DOMAIN_CATEGORIES = [
    ("adult_explicit_sexual_content", "Adult and explicit sexual content"),
    ("arms_ammunition", "Arms and ammunition"),
    ("crime_harmful_acts", "Crime and harmful acts"),
    ("death_injury_military_conflict", "Death, injury or military conflict"),
    ("online_piracy", "Online piracy"),
    ("hate_speech_aggression", "Hate speech and acts of aggression"),
    ("obscenity_profanity", "Obscenity and profanity"),
    ("illegal_drugs_tobacco_vaping_alcohol", "Illegal drugs, tobacco, vaping, alcohol"),
    ("spam_harmful_content", "Spam or harmful content"),
    ("terrorism", "Terrorism"),
    ("debated_sensitive_social_issues", "Debated sensitive social issues"),
    ("misinformation", "Misinformation"),
]

SHIPPED = load_lexicon()


def test_the_shipped_lexicon_has_domain_md_categories_in_order() -> None:
    assert [(c.id, c.name) for c in SHIPPED.categories] == DOMAIN_CATEGORIES


@pytest.mark.parametrize("category", SHIPPED.categories, ids=lambda c: c.id)
def test_every_category_has_dozens_of_terms_and_notes_on_ambiguous_words(
    category: Category,
) -> None:
    assert 24 <= len(category.terms) <= 200
    assert category.ambiguous


def test_levels_are_the_floor_and_three_risk_tiers() -> None:
    assert set(SHIPPED.levels) == {RiskLevel.FLOOR, RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW}
    assert sorted(RiskLevel, key=lambda level: level.rank) == [
        RiskLevel.LOW,
        RiskLevel.MEDIUM,
        RiskLevel.HIGH,
        RiskLevel.FLOOR,
    ]


def test_languages_beyond_english_are_present() -> None:
    assert {t.lang for t in SHIPPED.terms()} == {"en", "es", "pt", "fr", "de"}


@pytest.mark.parametrize("phrase", SHIPPED.safe_phrases, ids=lambda p: p.phrase)
def test_every_safe_phrase_protects_a_term(phrase: SafePhrase) -> None:
    text = phrase.example or phrase.phrase
    unprotected = Scanner(replace(SHIPPED, safe_phrases=()))
    assert [m for m in unprotected.find(text) if m.source is Source.GARM]
    assert Scanner(SHIPPED).find(text) == []


def test_terms_expand_to_plural_and_one_word_forms() -> None:
    gun = next(t for t in SHIPPED.terms() if t.term == "gun")
    rifle = next(t for t in SHIPPED.terms() if t.term == "assault rifle")
    crap = next(t for t in SHIPPED.terms() if t.term == "crap")
    assert gun.forms == ("gun", "guns")
    assert rifle.forms == ("assault rifle", "assault rifles", "assaultrifle", "assaultrifles")
    assert crap.forms == ("crap", "crappy")


def test_surface_forms_fold_case_and_accents_and_skip_short_one_word_spellings() -> None:
    assert surface_forms("Crème Brûlée", inflect=True, compact=True) == (
        "creme brulee",
        "creme brulees",
        "cremebrulee",
        "cremebrulees",
    )
    assert surface_forms("H&M", inflect=False, compact=True) == ("h m",)
    assert surface_forms("kill myself", inflect=True, compact=False) == ("kill myself",)


def test_a_workspace_extends_the_lexicon_and_removes_terms() -> None:
    lexicon = SHIPPED.extended(
        {
            "categories": [
                {
                    "id": "illegal_drugs_tobacco_vaping_alcohol",
                    "terms": [{"level": "medium", "lang": "en", "words": ["kratom"]}],
                }
            ],
            "safe_phrases": [{"phrase": "gin rummy"}],
        }
    ).without(["cider"])
    scanner = Scanner(lexicon)

    found = [(m.term, m.level) for m in scanner.find("Kratom tea, gin rummy night, cold cider")]

    assert found == [("kratom", RiskLevel.MEDIUM)]
    assert "cider" in {t.term for t in SHIPPED.terms()}  # the shipped lexicon is unchanged


def test_extensions_cannot_add_categories() -> None:
    with pytest.raises(LexiconError, match="unknown category 'gambling'"):
        SHIPPED.extended({"categories": [{"id": "gambling", "terms": []}]})


def test_a_term_repeated_once_folded_is_refused() -> None:
    with pytest.raises(LexiconError, match="repeats 'cocaine'"):
        SHIPPED.extended(
            {
                "categories": [
                    {
                        "id": "illegal_drugs_tobacco_vaping_alcohol",
                        "terms": [{"level": "high", "lang": "en", "words": ["COCAINE"]}],
                    }
                ]
            }
        )


def _minimal(**group: object) -> dict[str, object]:
    return {
        "schema": 1,
        "version": "t",
        "source": "test",
        "levels": {"floor": "f", "high": "h", "medium": "m", "low": "l"},
        "categories": [{"id": "c", "name": "C", "terms": [group], "ambiguous": []}],
        "safe_phrases": [],
    }


def test_malformed_data_is_refused_with_its_place() -> None:
    with pytest.raises(LexiconError, match=r"categories\[0\]\.terms\[0\]\.level: 'severe'"):
        parse_lexicon(_minimal(level="severe", lang="en", words=["x"]))
    with pytest.raises(LexiconError, match=r"words\[0\]: hashtag_only needs a one-word term"):
        parse_lexicon(
            _minimal(level="low", lang="en", words=[{"term": "a b", "hashtag_only": True}])
        )
    with pytest.raises(LexiconError, match=r"unknown keys \['colour'\]"):
        parse_lexicon(_minimal(level="low", lang="en", words=["x"], colour="red"))


def test_a_minimal_lexicon_parses() -> None:
    lexicon = parse_lexicon(_minimal(level="low", lang="en", words=["widget"]))
    assert isinstance(lexicon, Lexicon)
    assert [t.forms for t in lexicon.terms()] == [("widget", "widgets")]
