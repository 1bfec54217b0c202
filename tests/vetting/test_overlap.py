"""Audience overlap: exact figures from ids, sketch figures against known overlaps and against
the library's own set operations, stored bytes, and the refusals."""

from __future__ import annotations

import json
from collections.abc import Iterator
from enum import Enum
from itertools import islice

import datasketches as ds
import numpy as np
import pytest

from tastemaker.kit.errors import ValidationFailed
from tastemaker.vetting.overlap import (
    _BUCKET_BITS,
    _DENSE_GROUP,
    EXACT_MAX,
    LG_K,
    MAX_CREATORS,
    MEANINGS,
    AudienceSketch,
    ExactAudience,
    Figure,
    OverlapReport,
    _intersection_counts,
    audience_from_ids,
    exact_audience,
    overlap_matrix,
    sketch_audience,
)

TARGET_POINTS = 3.0


def ids(start: int, stop: int, prefix: str = "u") -> Iterator[str]:
    """Follower ids as a stream, the way an export is read: never a list."""
    return (f"{prefix}{n}" for n in range(start, stop))


def sketched(start: int, stop: int) -> AudienceSketch:
    return sketch_audience(ids(start, stop))


def hash_of(follower: str) -> int:
    single = ds.update_theta_sketch(LG_K)
    single.update(follower)
    return next(iter(single.compact()))


def ids_outside_sample(big: AudienceSketch, wanted: int) -> list[str]:
    """Ids whose hash lies above `big`'s threshold: none of them can be in its sample."""
    candidates = (f"tiny{n}" for n in range(10_000))
    return list(islice((c for c in candidates if hash_of(c) >= big.sketch.theta64), wanted))


def library_bytes(lg_k: int, followers: int, *, trim: bool = True, ordered: bool = True) -> bytes:
    """A sketch built with the library alone, serialized: what another writer might store."""
    sketch = ds.update_theta_sketch(lg_k)
    for follower in ids(0, followers):
        sketch.update(follower)
    if trim:
        sketch.trim()
    return bytes(sketch.compact(ordered).serialize())


def core_member(c: int) -> ExactAudience:
    """100 followers shared by all, 50 of one's own, 7 shared with the three others of its
    group of four."""
    core = [f"core{n}" for n in range(100)]
    own = [f"own{c}-{n}" for n in range(50)]
    group = [f"group{c // 4}-{n}" for n in range(7)]
    return exact_audience(core + own + group)


def points(figure: Figure, truth: float) -> float:
    assert figure.value is not None
    return abs(figure.value - truth) * 100


# --- exact audiences -------------------------------------------------------------------------


def test_exact_sets_give_the_hand_computed_figures() -> None:
    report = overlap_matrix(
        {
            "ana": exact_audience([1, 2, 3, 4]),
            "ben": exact_audience(["3", "4", "5"]),  # "3" and 3 are the same follower
            "cy": exact_audience(["10"]),
        }
    )

    assert report.creators == ("ana", "ben", "cy")
    assert [f.value for f in report.audience] == [4, 3, 1]
    assert report.overlap[0][1] == Figure(0.5, True, 0.5, 0.5)  # 2 of ana's 4
    assert report.overlap[1][0] == Figure(2 / 3, True, 2 / 3, 2 / 3)  # 2 of ben's 3
    assert report.overlap[0][2] == Figure(0.0, True, 0.0, 0.0)
    assert report.overlap[2][2] == Figure(1.0, True, 1.0, 1.0)
    assert report.shared[0][1] == report.shared[1][0] == Figure(2.0, True, 2.0, 2.0)
    assert report.jaccard[0][1] == report.jaccard[1][0] == Figure(0.4, True, 0.4, 0.4)  # 2 / 5
    assert report.unique_reach == Figure(6.0, True, 6.0, 6.0)  # 1 2 3 4 5 10
    assert report.summed_audience == Figure(8.0, True, 8.0, 8.0)
    assert report.duplicated_share == Figure(0.25, True, 0.25, 0.25)  # 1 - 6 / 8


def test_a_sequence_is_labelled_by_position_and_read_as_arrays() -> None:
    report = overlap_matrix([exact_audience(["a", "b"]), exact_audience(["b", "c", "d", "e"])])

    assert report.creators == ("0", "1")
    np.testing.assert_allclose(report.values("overlap"), [[1.0, 0.5], [0.25, 1.0]])
    np.testing.assert_allclose(report.values("shared"), [[2, 1], [1, 4]])
    np.testing.assert_allclose(report.values("jaccard"), [[1.0, 0.2], [0.2, 1.0]])


def test_many_creators_sharing_one_core_count_every_pair() -> None:
    """Twelve creators share a core of 100 followers: each shared follower is in a group of
    twelve owners (the dense path of the count), and each pair of four also share 7."""
    audiences = [core_member(c) for c in range(12)]

    shared = overlap_matrix(audiences).values("shared")

    same_four = np.kron(np.eye(3), np.ones((4, 4))).astype(bool) & ~np.eye(12, dtype=bool)
    others = ~np.kron(np.eye(3), np.ones((4, 4))).astype(bool)
    assert (shared[same_four] == 107).all()
    assert (shared[others] == 100).all()
    assert (np.diag(shared) == 157).all()


def test_exact_counts_survive_two_ids_sharing_a_hash() -> None:
    """Exact audiences are counted through their hashes and checked against the ids. Here
    "b" is given the hash of "c", as a collision would: the check sees it and the pairs are
    counted again from the ids."""
    ana = exact_audience(["a", "b"])
    ben = exact_audience(["c"])
    vars(ana)["as_sketch"] = sketch_audience(["a", "c"])  # what a collision would hash to

    report = overlap_matrix([ana, ben])

    assert report.shared[0][1] == Figure(0.0, True, 0.0, 0.0)
    assert report.overlap[0][1] == Figure(0.0, True, 0.0, 0.0)
    assert report.unique_reach == Figure(3.0, True, 3.0, 3.0)


def test_an_exact_audience_holds_canonical_ids_only() -> None:
    with pytest.raises(ValidationFailed, match="build it with `exact_audience`"):
        ExactAudience(frozenset({1, 2}))  # type: ignore[arg-type]


def test_exact_audience_refuses_more_than_the_exact_limit() -> None:
    with pytest.raises(ValidationFailed, match="more than 100,000 follower ids"):
        exact_audience(ids(0, EXACT_MAX + 1))


def test_audience_from_ids_is_exact_when_small_and_a_sketch_when_large() -> None:
    small = audience_from_ids(ids(0, EXACT_MAX))
    large = audience_from_ids(ids(0, EXACT_MAX + 1))

    assert isinstance(small, ExactAudience)
    assert len(small.ids) == EXACT_MAX
    assert isinstance(large, AudienceSketch)
    assert large.size.low is not None and large.size.high is not None
    assert large.size.low <= EXACT_MAX + 1 <= large.size.high


def test_follower_ids_must_be_strings_or_integers() -> None:
    with pytest.raises(ValidationFailed, match=r"item 1 is float 2\.0"):
        exact_audience(["1", 2.0])  # type: ignore[list-item]
    with pytest.raises(ValidationFailed, match="item 0 is bool"):
        sketch_audience([True])


def test_blank_ids_are_skipped_and_numpy_integers_are_ids() -> None:
    audience = exact_audience(["", "7", np.int64(7), np.uint32(8)])

    assert audience.ids == frozenset({"7", "8"})
    assert sketch_audience(["", "7", np.int64(7), np.uint32(8)]).size == Figure(
        2.0, False, 2.0, 2.0
    )


def test_any_string_is_an_id_numpy_strings_included() -> None:
    """A str subclass is an id by its characters: not by an overridden __str__, nor by the
    name a (str, Enum) member prints."""

    class Handle(str):
        def __str__(self) -> str:
            return "not the id"

    class Kind(str, Enum):  # noqa: UP042 (the mixin, not StrEnum: its str() is the name)
        SEVEN = "7"

    given = [np.str_("7"), np.str_(""), Handle("8"), Kind.SEVEN, *np.array(["9", "7"])]

    audience = exact_audience(given)

    assert audience.ids == frozenset({"7", "8", "9"})
    assert all(type(follower) is str for follower in audience.ids)
    sketch = sketch_audience(given)
    np.testing.assert_array_equal(sketch.hashes, sketch_audience(["7", "8", "9"]).hashes)


# --- sketches --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def four() -> list[AudienceSketch]:
    """150k, 400k and 900k followers overlapping in pairs (all sampled), and 30k inside the
    first and the second that keeps every follower."""
    audiences = [sketched(0, 150_000), sketched(100_000, 500_000), sketched(300_000, 1_200_000)]
    audiences.append(sketched(120_000, 150_000))
    return audiences


PAIRS = [(0, 1), (0, 2), (1, 2), (3, 0), (3, 1), (3, 2)]


def test_sketches_of_known_overlap_land_within_three_points() -> None:
    """200k and 300k followers sharing 50k: 25% of the first, 1/6 of the second."""
    first = sketched(0, 200_000)
    second = sketched(150_000, 450_000)

    report = overlap_matrix({"first": first, "second": second})

    assert first.sampled and second.sampled
    assert points(report.overlap[0][1], 0.25) <= TARGET_POINTS
    assert points(report.overlap[1][0], 50 / 300) <= TARGET_POINTS
    assert points(report.jaccard[0][1], 50 / 450) <= TARGET_POINTS
    shared = report.shared[0][1]
    assert shared.value is not None and abs(shared.value - 50_000) / 50_000 < 0.05
    reach = report.unique_reach
    assert reach.value is not None and abs(reach.value - 450_000) / 450_000 < 0.02
    assert points(report.duplicated_share, 50 / 500) <= TARGET_POINTS
    figures = [report.overlap[0][1], report.overlap[1][0], report.jaccard[0][1], shared, reach]
    assert not any(f.exact for f in figures)
    for figure, truth in zip(figures, [0.25, 50 / 300, 50 / 450, 50_000, 450_000], strict=True):
        assert figure.low is not None and figure.high is not None
        assert figure.low <= truth <= figure.high


def test_a_small_audience_inside_a_ten_times_larger_one() -> None:
    """The hardest case for the target: 100k followers, 60% of whom are among 1M."""
    small = sketched(0, 100_000)
    large = sketched(40_000, 1_040_000)

    report = overlap_matrix([small, large])

    assert points(report.overlap[0][1], 0.6) <= TARGET_POINTS
    assert points(report.overlap[1][0], 0.06) <= TARGET_POINTS


def test_sketch_counts_are_the_librarys_set_operations(four: list[AudienceSketch]) -> None:
    """For each pair, the sampled share of the smaller audience equals what the library's
    theta_intersection and theta_a_not_b give for that pair."""
    audiences = four

    report = overlap_matrix(audiences)

    for a, b in PAIRS:
        intersection = ds.theta_intersection()
        intersection.update(audiences[a].sketch)
        intersection.update(audiences[b].sketch)
        both = intersection.get_result().num_retained
        only_a = ds.theta_a_not_b().compute(audiences[a].sketch, audiences[b].sketch).num_retained
        assert report.overlap[a][b].value == pytest.approx(both / (both + only_a), abs=1e-12)


def test_shared_and_jaccard_agree_with_the_librarys_estimates(four: list[AudienceSketch]) -> None:
    """The library estimates shared as its intersection's count / theta, and the Jaccard
    index with `theta_jaccard_similarity`; the report derives both from the smaller
    audience's sampled share (the module docstring). Different estimators of the same
    figures, so they agree within a tolerance, not exactly:
    - each of the report's values lies within the library's ~95% bounds;
    - shared: the report's bounds are no wider than the library's, give or take one point of
      the smaller audience (1% of it), and equal to them within that point when both
      audiences are sampled (when the smaller keeps every follower, the ratio form is
      tighter: e.g. 30k inside 400k is 29,976 to 30,000 against the library's ~29,700 to
      ~31,300);
    - jaccard: value and bounds within half a point (0.005) of the library's."""
    report = overlap_matrix(four)

    for a, b in PAIRS:
        first, second = four[a].sketch, four[b].sketch
        intersection = ds.theta_intersection()
        intersection.update(first)
        intersection.update(second)
        result = intersection.get_result()
        library = (
            result.get_lower_bound(2),
            result.get_estimate(),
            result.get_upper_bound(2),
        )
        shared = report.shared[a][b]
        assert shared.value is not None and shared.low is not None and shared.high is not None
        point = 0.01 * min(first.get_estimate(), second.get_estimate())
        assert library[0] <= shared.value <= library[2], (a, b)
        assert library[0] - point <= shared.low <= shared.high <= library[2] + point, (a, b)
        if four[a].sampled and four[b].sampled:
            ours = (shared.low, shared.value, shared.high)
            assert np.allclose(ours, library, rtol=0, atol=point), (a, b)

        low, estimate, high = ds.theta_jaccard_similarity.jaccard(first, second)
        jaccard = report.jaccard[a][b]
        assert jaccard.value is not None and jaccard.low is not None and jaccard.high is not None
        assert low <= jaccard.value <= high, (a, b)
        ours = (jaccard.low, jaccard.value, jaccard.high)
        assert np.allclose(ours, (low, estimate, high), rtol=0, atol=0.005), (a, b)


def test_a_sketch_that_kept_every_follower_has_no_sampling_error() -> None:
    report = overlap_matrix([sketched(0, 20_000), sketched(15_000, 40_000)])

    assert report.overlap[0][1] == Figure(0.25, False, 0.25, 0.25)
    assert report.shared[0][1] == Figure(5_000.0, False, 5_000.0, 5_000.0)


def test_sketch_bytes_round_trip() -> None:
    audience = sketched(0, 300_000)

    stored = audience.to_bytes()
    read = AudienceSketch.from_bytes(stored)

    assert len(stored) == 24 + 8 * 2**LG_K  # a large audience: exactly k hashes
    assert read.to_bytes() == stored
    assert read.size == audience.size
    np.testing.assert_array_equal(read.hashes, audience.hashes)
    report = overlap_matrix([read, audience])
    assert report.overlap[0][1].value == 1.0


def test_compressed_bytes_from_the_library_are_read_too() -> None:
    audience = sketched(0, 300_000)

    read = AudienceSketch.from_bytes(audience.sketch.serialize(True))

    np.testing.assert_array_equal(read.hashes, audience.hashes)


@pytest.mark.parametrize(
    "data",
    [b"", b"hello, this is not a sketch at all", bytes(64)],
    ids=["empty", "text", "zeros"],
)
def test_bytes_that_are_not_a_sketch_are_refused(data: bytes) -> None:
    with pytest.raises(ValidationFailed, match="not a stored audience sketch"):
        AudienceSketch.from_bytes(data)


def test_truncated_and_foreign_sketches_are_refused() -> None:
    stored = sketched(0, 1_000).to_bytes()
    other_seed = ds.update_theta_sketch(LG_K, 1.0, 42)
    other_seed.update("x")

    with pytest.raises(ValidationFailed, match="not a stored audience sketch"):
        AudienceSketch.from_bytes(stored[:-8])
    with pytest.raises(ValidationFailed, match="seed hash mismatch"):
        AudienceSketch.from_bytes(other_seed.compact().serialize())
    with pytest.raises(ValidationFailed, match="is bytes, not str"):
        AudienceSketch.from_bytes("a sketch")  # type: ignore[arg-type]


def test_a_sketch_with_corrupt_hashes_is_refused() -> None:
    stored = bytearray(sketched(0, 1_000).to_bytes())
    stored[-8:] = bytes(8)  # the last hash, now 0: out of order

    with pytest.raises(ValidationFailed, match="corrupt"):
        AudienceSketch.from_bytes(bytes(stored))


def test_corrupt_hashes_are_refused_in_the_layouts_the_library_decodes() -> None:
    """The compressed and the unordered layouts are decoded by the library, which reads the
    damaged bytes below without complaint; the same check then refuses them."""
    audience = sketched(0, 300_000)
    # Compressed (serial version 4): preamble longs, then the entry count in data[4] bytes,
    # then the deltas between sorted hashes, data[3] bits each. Setting the first 8 deltas'
    # bytes to all ones shifts every hash by far more than the gap left below theta.
    compressed = bytearray(audience.sketch.serialize(True))
    assert compressed[1] == 4
    deltas = 8 * (compressed[0] & 0x3F) + compressed[4]
    compressed[deltas : deltas + compressed[3]] = b"\xff" * compressed[3]
    # Unordered (serial version 3): the hashes are in place but in any order; repeat one.
    unordered = bytearray(library_bytes(LG_K, 300_000, ordered=False))
    assert unordered[1] == 3
    first = 8 * (unordered[0] & 0x3F)
    unordered[first : first + 8] = unordered[first + 8 : first + 16]

    for damaged in (bytes(compressed), bytes(unordered)):
        ds.compact_theta_sketch.deserialize(damaged)  # the library reads it
        with pytest.raises(ValidationFailed, match="corrupt"):
            AudienceSketch.from_bytes(damaged)


def test_an_unordered_stored_sketch_is_read() -> None:
    read = AudienceSketch.from_bytes(library_bytes(LG_K, 300_000, ordered=False))

    np.testing.assert_array_equal(read.hashes, sketched(0, 300_000).hashes)


@pytest.mark.parametrize("lg_k", [12, 15, 17])
def test_a_sampled_sketch_of_another_lg_k_is_refused(lg_k: int) -> None:
    """The report's accuracy and its `lg_k` hold for sketches of `LG_K` only."""
    stored = library_bytes(lg_k, 300_000)

    with pytest.raises(ValidationFailed, match=f"built with lg_k {lg_k} ") as raised:
        AudienceSketch.from_bytes(stored)
    assert raised.value.details == {"retained": 1 << lg_k, "lg_k": LG_K}


def test_untrimmed_sketches_and_sketches_that_kept_every_follower_are_read() -> None:
    """An untrimmed sketch of `LG_K` keeps k to 15/8 k hashes, and is read; a sketch of any
    lg_k that kept every follower's hash is exact, and is read too."""
    untrimmed = AudienceSketch.from_bytes(library_bytes(LG_K, 300_000, trim=False))
    everyone = AudienceSketch.from_bytes(library_bytes(12, 1_000))

    assert untrimmed.sampled and 2**LG_K < len(untrimmed.hashes) < 2 ** (LG_K + 1)
    assert not everyone.sampled and len(everyone.hashes) == 1_000
    report = overlap_matrix([everyone, untrimmed])
    assert report.overlap[0][1].value == 1.0


# --- limits and edge cases -------------------------------------------------------------------


def test_more_than_the_limit_of_creators_is_refused() -> None:
    audiences = [exact_audience([str(n)]) for n in range(MAX_CREATORS + 1)]

    with pytest.raises(ValidationFailed, match="at most 100 creators") as raised:
        overlap_matrix(audiences)
    assert raised.value.details == {"given": 101, "limit": 100}


def test_no_creators_and_wrong_types_are_refused() -> None:
    with pytest.raises(ValidationFailed, match="no audiences"):
        overlap_matrix([])
    with pytest.raises(
        ValidationFailed, match=r"read stored bytes with `AudienceSketch\.from_bytes`"
    ):
        overlap_matrix({"raw": b"bytes"})  # type: ignore[dict-item]


def test_overlap_with_an_empty_audience_is_undefined_not_a_division_by_zero() -> None:
    report = overlap_matrix(
        {"ana": exact_audience(["1", "2"]), "nobody": exact_audience([]), "none": sketched(0, 0)}
    )

    assert report.overlap[1][0] == Figure(None, False, None, None, "nobody has no followers: 0/0")
    assert report.overlap[0][1] == Figure(0.0, True, 0.0, 0.0)
    assert report.shared[0][1] == Figure(0.0, True, 0.0, 0.0)
    assert report.jaccard[1][2].value is None
    assert report.jaccard[1][2].note == "neither creator has followers: 0/0"
    assert report.overlap[2][2].note == "none has no followers: 0/0"
    assert report.unique_reach.value == 2.0


def test_nobody_at_all_has_no_duplicated_share() -> None:
    report = overlap_matrix([exact_audience([]), exact_audience([])])

    assert report.unique_reach == Figure(0.0, True, 0.0, 0.0)
    assert report.duplicated_share.value is None
    assert report.duplicated_share.note == "no creator has followers: 0/0"


def test_a_tiny_audience_beside_a_huge_sample_says_why_it_has_no_figure() -> None:
    huge = sketched(0, 1_000_000)
    tiny = exact_audience(ids_outside_sample(huge, 3))

    report = overlap_matrix({"tiny": tiny, "huge": huge})

    assert report.overlap[0][1].value is None
    assert "tiny's sampled followers" in (report.overlap[0][1].note or "")
    assert report.shared[0][1].value is None


def test_intersection_counts_match_a_brute_force_count() -> None:
    """One call with 100 key arrays, checked pair by pair against np.intersect1d: keys shared
    by 2 to 9 arrays (listed pair by pair) and by 10 or more (the dense product), keys on the
    buckets' edges, an empty array, and equal residuals in neighbouring buckets (different
    keys: buckets 100 to 126 hold one key each, all with the same low bits, and bucket 127
    that key's twin and the largest key)."""
    rng = np.random.default_rng(20_240_611)
    shift = 63 - _BUCKET_BITS
    spread = rng.integers(1, 100 << shift, 20_000, dtype=np.uint64)
    edges = [0, 1, (1 << shift) - 1, 1 << shift, (50 << shift) - 1, 50 << shift, (1 << 63) - 1]
    twins = [(bucket << shift) | 12_345 for bucket in range(100, 128)]
    pool = np.unique(np.concatenate([spread, np.array(edges + twins, dtype=np.uint64)]))
    chance = rng.choice([0.02, 0.05, 0.3], len(pool))
    chance[pool >= 100 << shift] = 0.3
    chance[np.isin(pool, edges)] = 0.3
    member = rng.random((MAX_CREATORS, len(pool))) < chance
    member[7] = False
    keys = [pool[row] for row in member]
    degree = member.sum(axis=0)
    assert ((degree >= 2) & (degree < _DENSE_GROUP)).any()  # the pair-by-pair path
    assert (degree >= _DENSE_GROUP).any()  # the dense path
    assert member[:, np.isin(pool, edges + twins)].sum(axis=0).min() >= 2

    counts, distinct = _intersection_counts(keys)

    expected = np.zeros_like(counts)
    for i, first in enumerate(keys):
        for j in range(i, len(keys)):
            expected[i, j] = expected[j, i] = len(
                np.intersect1d(first, keys[j], assume_unique=True)
            )
    np.testing.assert_array_equal(counts, expected)
    assert distinct == len(np.unique(np.concatenate(keys)))


# --- mixed exact and sketched ----------------------------------------------------------------


def test_mixed_exact_and_sketched_audiences() -> None:
    """Two exact audiences of 20k sharing 5k, and a sketch of 300k that holds 10k of the
    first: the exact pair stays exact, the pairs with the sketch are estimated."""
    first = exact_audience(ids(0, 20_000))
    second = exact_audience(ids(15_000, 35_000))
    third = sketch_audience(ids(10_000, 310_000, prefix="u"))

    report = overlap_matrix({"first": first, "second": second, "third": third})

    assert report.overlap[0][1] == Figure(0.25, True, 0.25, 0.25)
    assert report.shared[0][1] == Figure(5_000.0, True, 5_000.0, 5_000.0)
    assert not report.overlap[0][2].exact
    assert points(report.overlap[0][2], 0.5) <= TARGET_POINTS  # 10k of first's 20k
    assert points(report.overlap[1][2], 1.0) <= TARGET_POINTS  # all of second
    assert points(report.overlap[2][0], 10 / 300) <= TARGET_POINTS
    assert not report.unique_reach.exact
    reach = report.unique_reach
    assert reach.low is not None and reach.high is not None
    assert reach.low <= 310_000 <= reach.high
    assert report.audience[0] == Figure(20_000.0, True, 20_000.0, 20_000.0)
    assert not report.summed_audience.exact


def test_an_exact_audience_at_the_limit_keeps_every_follower_as_a_sketch() -> None:
    audience = exact_audience(ids(0, EXACT_MAX))

    assert not audience.as_sketch.sampled
    assert audience.as_sketch.size.value == EXACT_MAX


# --- the report ------------------------------------------------------------------------------


def test_every_figure_says_what_it_is_and_the_report_is_json() -> None:
    report = overlap_matrix([exact_audience(["1", "2"]), sketched(0, 1_000)])

    fields = set(OverlapReport.__dataclass_fields__) - {"meanings", "confidence"}
    assert fields <= set(MEANINGS)
    assert report.confidence == pytest.approx(0.9545, abs=1e-4)
    encoded = json.loads(json.dumps(report.to_dict()))
    assert set(encoded) == set(OverlapReport.__dataclass_fields__)
    assert encoded["overlap"][0][1]["exact"] is False
    assert encoded["unique_reach"]["value"] == 1_002  # exact-mode sketch: "1", "2" and 1,000


def test_meanings_are_read_only_and_values_give_each_part() -> None:
    report = overlap_matrix([sketched(0, 200_000), sketched(150_000, 450_000)])

    with pytest.raises(TypeError):
        MEANINGS["overlap"] = "anything"  # type: ignore[index]
    assert report.meanings is MEANINGS
    for part in ("value", "low", "high"):
        expected = [[getattr(f, part) for f in row] for row in report.overlap]
        np.testing.assert_array_equal(report.values("overlap", part), expected)
    assert (report.values("overlap", "low") < report.values("overlap", "high"))[0, 1]
