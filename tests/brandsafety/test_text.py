from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tastemaker.brandsafety.text import (
    TOKEN_RE,
    english_plural,
    fold,
    fold_with_offsets,
    sigil_before,
    tokens,
)

# Letters with and without accents, decomposed accents, expanding letters (ß, ﬁ, İ),
# styled letters, emoji and separators: where offsets could go wrong.
awkward = st.text(
    alphabet=st.sampled_from(
        [
            *"abcXYZ019 #@_-.'\n",
            "é",
            "É",
            "\u0301",
            "ß",
            "ﬁ",
            "İ",
            "½",
            "™",
            "𝐠",
            "ｇ",
            "😀",
            "🔫",
            "ı",
        ]
    ),
    max_size=40,
)


def test_fold_removes_case_accents_and_styles() -> None:
    assert fold("COCAÍNA") == "cocaina"
    assert fold("Cocai\u0301na") == "cocaina"
    assert fold("Scheiße") == "scheisse"
    assert fold("\U0001d420\U0001d42e\U0001d427") == "gun"  # mathematical bold
    assert fold("\uff27\uff35\uff2e") == "gun"  # fullwidth


def test_tokens_split_on_symbols_hashtags_handles_and_underscores() -> None:
    assert tokens("#RivalBrand @rival_brand e-cigarette🔥gun's") == [
        "rivalbrand",
        "rival",
        "brand",
        "e",
        "cigarette",
        "gun",
        "s",
    ]


@given(st.text(max_size=60))
def test_folding_a_text_equals_folding_its_characters_one_by_one(text: str) -> None:
    assert fold(text) == "".join(fold(char) for char in text)


@given(awkward)
def test_every_token_maps_back_to_original_characters_that_fold_to_it(text: str) -> None:
    folded = fold_with_offsets(text)
    assert folded.folded == fold(text)
    for match in TOKEN_RE.finditer(folded.folded):
        start, end = folded.span(*match.span())
        assert 0 <= start < end <= len(text)
        assert match.group() in fold(text[start:end])


def test_offsets_survive_expanding_and_decomposed_letters() -> None:
    text = "Die Straße, cafe\u0301!"
    folded = fold_with_offsets(text)
    spans = [folded.span(*m.span()) for m in TOKEN_RE.finditer(folded.folded)]
    assert [text[a:b] for a, b in spans] == ["Die", "Straße", "cafe\u0301"]


def test_sigils_are_found_for_any_word_of_a_tag_or_handle() -> None:
    text = "#love_rival @rival.brand rival"
    assert sigil_before(text, text.index("rival")) == "hashtag"
    assert sigil_before(text, text.index("brand")) == "mention"
    assert sigil_before(text, len(text) - 5) is None


def test_english_plural_only_where_the_rule_is_safe() -> None:
    assert [english_plural(w) for w in ["gun", "glass", "party", "day", "match"]] == [
        "guns",
        "glasses",
        "parties",
        "days",
        "matches",
    ]
    assert [english_plural(w) for w in ["drugs", "raped", "myself", "ak", "47", "cocaína"]] == [
        None
    ] * 6
