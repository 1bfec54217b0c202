"""Audience overlap between creators: the pairwise matrix and the unique reach of a set.

An audience is either an exact set of follower ids (when the ids are available and there are
at most `EXACT_MAX` of them) or a Theta sketch (Apache DataSketches) built once per creator and
stored as bytes. Definitions, for creators A and B:

    overlap(A, B)   = |A ∩ B| / |A|      the share of A's followers who also follow B
                                         (not symmetric: overlap(B, A) = |A ∩ B| / |B|)
    shared(A, B)    = |A ∩ B|
    jaccard(A, B)   = |A ∩ B| / |A union B|
    unique reach    = |A1 union ... union An|
    duplicated share = 1 - unique reach / (|A1| + ... + |An|)

How the sketches are compared. A theta sketch keeps the hashes of the followers whose hash
falls below its threshold theta (about k / audience size), so it holds a uniform random sample
of the audience. Two sketches compare at the smaller of their thresholds, exactly as the
library's `theta_intersection` and `theta_a_not_b` do; the pair's figures then follow from the
sampled followers of the creator with fewer of them (the smaller audience, S): overlap(S, L) is
a sample proportion (Wilson interval), shared = overlap(S, L) x |S| (|S| from S's own sketch,
with the library's bounds), and overlap(L, S) and the Jaccard index follow from shared, so the
three figures of a pair always agree with each other. This ratio form is more precise than
dividing the library's intersection estimate by a size estimate, because the noise of the
threshold itself cancels.

The pairwise sample counts are computed for all pairs at once with numpy over the sketches'
sorted hash arrays, not with one library call per pair: at `LG_K` = 16 one `theta_intersection`
of two stored sketches takes about 1.5 ms on a 2-CPU machine, so the 4,950 pairs of 100
creators take ~7.5 s against a 2 s target (benchmarks/audience_overlap.py measures both). The
counts are the library's own (the tests compare them with `theta_intersection` and
`theta_a_not_b` pair by pair); the library still builds, stores, reads and validates every
sketch, and computes the unique reach (`theta_union`) and every audience size with its bounds.

Exact audiences go through the same pass, as sketches that kept every follower's hash, and the
result is checked against the ids: if two different ids of the set share a hash (odds of about
1 in 200,000 for 10 million ids), the exact pairs are counted again from the ids themselves.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain, count
from numbers import Integral
from types import MappingProxyType
from typing import Any, Literal

import datasketches as ds
import numpy as np
import numpy.typing as npt

from tastemaker.kit.errors import ValidationFailed
from tastemaker.vetting.figures import wilson_arrays

# Why 16. A sketch's size estimate has a relative standard error of about 1/sqrt(k), k = 2^lg_k
# (0.4% at lg_k 16). The overlap figures are the harder part: a pair is compared at the smaller
# sampling rate theta ~ k / |L| of the larger audience L, so the smaller audience S has only
# about k |S| / |L| sampled followers, and overlap(S, L) is a proportion p over them, with a
# standard error of sqrt(p (1 - p) |L| / (k |S|)) <= sqrt(0.25 r / k), r = |L| / |S|.
# For audiences of 100k to 1M, r <= 10, so the worst case (p = 50%) is:
#   lg_k 14: 1.24 points (95%: +-2.5)  no margin against the 3-point target
#   lg_k 15: 0.87 points (95%: +-1.7)
#   lg_k 16: 0.62 points (95%: +-1.2)  and ~4 standard errors, the largest error to expect
#                                      among the ~10,000 figures of a 100 x 100 matrix, is 2.5
# A stored sketch of a large audience then holds exactly k hashes: 512 KiB. lg_k 17 would take
# another sqrt(2) off the error at twice the storage and matrix time.
LG_K = 16
EXACT_MAX = 100_000  # ids; see `exact_audience`
MAX_CREATORS = 100
NUM_STD_DEVS = 2  # the library's bounds at 2 standard deviations: ~95.4% two-sided
CONFIDENCE = math.erf(NUM_STD_DEVS / math.sqrt(2))

_MAX_THETA = 2**63 - 1  # theta64 of a sketch that kept every hash (no sampling)
_SERIAL_VERSION = 3  # uncompressed compact layout: preamble longs, then the sorted hashes
_THETA_FAMILY = 3
# Shared-hash groups at least this large go through a dense matrix product instead of listing
# their pairs: a group of d owners yields d (d - 1) / 2 pairs, but costs n^2 in the product.
_DENSE_GROUP = 10
_BUCKET_BITS = 7  # 128 buckets by the keys' top bits, and room for 128 owners in the freed bits
_PAIR_BATCH = 4_000_000  # pair codes per bincount, to bound memory
_DENSE_BATCH = 65_536  # groups per dense product; float32 sums stay exact below 2^24
# `_intersection_counts` packs an owner's index into the bucket bits: the creator limit is
# bound by them.
assert MAX_CREATORS <= 1 << _BUCKET_BITS, "an owner's index must fit in the bucket bits"

U64Array = npt.NDArray[np.uint64]
I64Array = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

FollowerId = str | int | np.integer[Any]


# --- follower ids ---------------------------------------------------------------------------


def _canonical_ids(follower_ids: Iterable[Any]) -> Iterator[str]:
    """Ids as plain strings: an export gives "123" where an API gives 123, and the sketch
    hashes an int and its string differently, so the same follower would silently count
    twice. Any string counts, numpy's `str_` included; a str subclass gives its characters
    (`str.__str__`: `str()` would call an override, and a `(str, Enum)` member would give its
    name). Blank ids are skipped: the library ignores empty strings, and an exact set must
    agree with it."""
    for position, value in enumerate(follower_ids):
        kind = type(value)
        if kind is str:
            if value:
                yield value
        elif kind is int:
            yield str(value)
        elif isinstance(value, str):
            if value:
                yield str.__str__(value)
        elif isinstance(value, Integral) and not isinstance(value, bool):
            yield str(int(value))
        else:
            raise ValidationFailed(
                f"follower ids must be strings or integers; item {position} is "
                f"{kind.__name__} {value!r}",
                details={"position": position, "type": kind.__name__},
            )


# --- the figures ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure. `exact`: counted from follower ids, or fixed by definition (a share of an
    audience in itself, anything shared with an empty audience). Otherwise it is estimated from
    sketches and `low`/`high` are its ~95% bounds (2 standard deviations); they equal the value
    when no sampling happened (every sketch involved kept all of its followers). `value` is None
    when the figure is undefined, and `note` says why."""

    value: float | None
    exact: bool
    low: float | None
    high: float | None
    note: str | None = None


def _exact(value: float) -> Figure:
    return Figure(value, True, value, value)


def _undefined(note: str) -> Figure:
    return Figure(None, False, None, None, note)


# --- audiences ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExactAudience:
    """A creator's follower ids, when they are available and few enough to compare exactly."""

    ids: frozenset[str]

    def __post_init__(self) -> None:
        if len(self.ids) > EXACT_MAX:
            raise ValidationFailed(
                f"more than {EXACT_MAX:,} follower ids: too many to compare exactly; "
                "build a sketch with `sketch_audience` instead"
            )
        if not all(type(follower) is str and follower for follower in self.ids):
            raise ValidationFailed(
                "an exact audience holds follower ids as non-blank strings; "
                "build it with `exact_audience`"
            )

    @property
    def size(self) -> Figure:
        return _exact(float(len(self.ids)))

    @cached_property
    def as_sketch(self) -> AudienceSketch:
        """The same audience as a sketch, to compare with sketched creators. Not trimmed:
        at lg_k 16 the sketch keeps up to 122,880 hashes before it starts sampling, so an
        audience of at most `EXACT_MAX` ids keeps every follower."""
        sketch = ds.update_theta_sketch(LG_K)
        for follower in self.ids:
            sketch.update(follower)
        return AudienceSketch._from_library(sketch.compact())


@dataclass(frozen=True, eq=False)
class AudienceSketch:
    """A creator's audience as a compact Theta sketch (read-only), with its sorted hashes."""

    sketch: Any  # datasketches.compact_theta_sketch
    hashes: U64Array = field(repr=False)

    @classmethod
    def _from_library(cls, sketch: Any) -> AudienceSketch:
        hashes = np.fromiter(sketch, dtype=np.uint64, count=sketch.num_retained)
        if not sketch.is_ordered():
            hashes.sort()
        return cls(sketch, hashes)

    @classmethod
    def from_bytes(cls, data: bytes) -> AudienceSketch:
        """Read a stored sketch. Refuses anything the library cannot read as a compact Theta
        sketch with the default seed; hashes that are out of order, repeated or not below
        theta, in any layout (the format has no checksum: this catches most corruption of
        the uncompressed hash entries, but only some of the compressed form's, where a
        damaged delta usually still decodes to ordered hashes); and a sampled sketch that
        was not built with `LG_K` (see `_check_lg_k`)."""
        if not isinstance(data, bytes | bytearray | memoryview):
            raise ValidationFailed(f"an audience sketch is bytes, not {type(data).__name__}")
        data = bytes(data)
        try:
            sketch = ds.compact_theta_sketch.deserialize(data)
        except (ValueError, IndexError, RuntimeError) as error:
            raise ValidationFailed(
                f"these {len(data):,} bytes are not a stored audience sketch "
                f"(a compact Theta sketch): {error}",
                details={"bytes": len(data)},
            ) from error
        hashes = _hashes_in_place(data, sketch)
        # Another layout (compressed, or unordered): the library decodes the hashes.
        read = cls._from_library(sketch) if hashes is None else cls(sketch, hashes)
        _check_hashes(read)
        _check_lg_k(read)
        return read

    def to_bytes(self) -> bytes:
        """The library's compact serialization, uncompressed: `from_bytes` reads its hashes in
        place (the compressed form saves ~25% but must be decoded hash by hash)."""
        return bytes(self.sketch.serialize())

    @property
    def size(self) -> Figure:
        return _estimate(self.sketch)

    @property
    def sampled(self) -> bool:
        """True when the sketch holds a sample of the audience rather than all of it."""
        return bool(self.sketch.theta64 < _MAX_THETA)


Audience = ExactAudience | AudienceSketch


def _check_hashes(read: AudienceSketch) -> None:
    """Sorted hashes must be strictly increasing and below theta (for an unordered layout,
    sorted on reading, this still catches a repeated hash or one at or above theta)."""
    hashes = read.hashes
    if len(hashes) and (
        int(hashes[-1]) >= read.sketch.theta64 or not bool(np.all(hashes[1:] > hashes[:-1]))
    ):
        raise ValidationFailed(
            "these bytes read as a Theta sketch but its hashes are out of order, repeated or "
            "above its threshold: the stored sketch is corrupt"
        )


def _check_lg_k(read: AudienceSketch) -> None:
    """The figures' accuracy (see `LG_K`) and the report's `lg_k` assume every sampled sketch
    was built with `LG_K`. A compact sketch does not store its lg_k, but a sampled one tells:
    trimmed (`sketch_audience`) it keeps exactly k = 2^lg_k hashes, untrimmed the library
    keeps k to 15/8 k, so lg_k is the floor of log2 of the count. A sketch that kept every
    follower's hash is accepted whatever lg_k built it: its counts are exact, and nothing in
    the figures depends on its lg_k."""
    if not read.sampled:
        return
    retained = len(read.hashes)
    k = 1 << LG_K
    if k <= retained < 2 * k:
        return
    built = f"lg_k {retained.bit_length() - 1}" if retained else "another lg_k"
    raise ValidationFailed(
        f"this stored sketch keeps a sample of {retained:,} hashes, where a sampled audience "
        f"sketch of lg_k {LG_K} keeps {k:,} to {2 * k - 1:,}: it was built with {built} (or a "
        "sampling probability below 1), and the overlap figures and their accuracy assume "
        f"lg_k {LG_K}; build it again from the ids with `sketch_audience`",
        details={"retained": retained, "lg_k": LG_K},
    )


def _hashes_in_place(data: bytes, sketch: Any) -> U64Array | None:
    """The hashes as a view on the serialized bytes, when they are in the uncompressed ordered
    layout (little-endian 64-bit hashes after the preamble); None for any other layout."""
    if len(data) < 8 or data[1] != _SERIAL_VERSION or data[2] != _THETA_FAMILY:
        return None
    offset = (data[0] & 0x3F) * 8
    retained = int(sketch.num_retained)
    if not sketch.is_ordered() or len(data) != offset + 8 * retained:
        return None
    return np.frombuffer(data, dtype="<u8", offset=offset, count=retained).astype(
        np.uint64, copy=False
    )


def sketch_audience(follower_ids: Iterable[FollowerId]) -> AudienceSketch:
    """A creator's audience sketch at `LG_K`, streamed from any iterable of ids (strings or
    integers), so a million ids need not sit in a list. Trimmed to k = 2^LG_K hashes: a stored
    sketch of a large audience has a fixed size (512 KiB)."""
    sketch = ds.update_theta_sketch(LG_K)
    update = sketch.update
    for follower in _canonical_ids(follower_ids):
        update(follower)
    sketch.trim()
    return AudienceSketch._from_library(sketch.compact())


def _distinct_ids(stream: Iterator[str]) -> set[str]:
    """Distinct ids from the stream, stopping at the first beyond `EXACT_MAX`: the rest of
    the stream is left unread."""
    ids: set[str] = set()
    for follower in stream:
        ids.add(follower)
        if len(ids) > EXACT_MAX:
            break
    return ids


def exact_audience(follower_ids: Iterable[FollowerId]) -> ExactAudience:
    """A creator's follower ids as an exact audience. "Small" means at most `EXACT_MAX`
    (100,000) distinct ids: such a set converted to a sketch still keeps every follower (see
    `as_sketch`), and 100 such sets compare exactly in seconds (~8 s on 2 CPUs), where the
    2 s target for 100 creators needs sketches. More ids are refused (ExactAudience)."""
    return ExactAudience(frozenset(_distinct_ids(_canonical_ids(follower_ids))))


def audience_from_ids(follower_ids: Iterable[FollowerId]) -> Audience:
    """Exact when there are at most `EXACT_MAX` distinct ids, a sketch otherwise; streams."""
    stream = _canonical_ids(follower_ids)
    ids = _distinct_ids(stream)
    if len(ids) > EXACT_MAX:
        return sketch_audience(chain(ids, stream))
    return ExactAudience(frozenset(ids))


# --- the result -----------------------------------------------------------------------------

MEANINGS: Mapping[str, str] = MappingProxyType(
    {
        "creators": "the creators compared, in the order given (their labels)",
        "audience": "each creator's audience size |A|: followers counted, or a sketch's estimate",
        "overlap": (
            "overlap[a][b] = |A ∩ B| / |A|: the share of creator a's followers who also follow b. "
            "Not symmetric: a small creator can share most of its audience with a large one that "
            "shares little of its own. None when A is empty (0/0) or, for a sketched pair, when "
            "the smaller audience has no follower in the pair's sample"
        ),
        "shared": "shared[a][b] = |A ∩ B|: followers of both creators (symmetric)",
        "jaccard": (
            "jaccard[a][b] = |A ∩ B| / |A union B|: the Jaccard index, 0 (no follower in "
            "common) to 1 (the same audience); symmetric"
        ),
        "unique_reach": (
            "|A1 union ... union An|: distinct followers of the whole set, each counted once "
            "however many of the creators they follow"
        ),
        "summed_audience": (
            "|A1| + ... + |An|: the audiences added up, a follower counted once per creator"
        ),
        "duplicated_share": (
            "1 - unique reach / summed audience: the share of the summed audience that is the "
            "same people again"
        ),
        "exact": (
            "a figure is exact when counted from follower ids (or fixed by definition); any figure "
            "that involves a sketch is estimated, with low/high its ~95% bounds"
        ),
        "low/high": (
            f"~{CONFIDENCE:.1%} bounds ({NUM_STD_DEVS} standard deviations): the library's bounds "
            "for audience sizes and the unique reach; a Wilson interval for the sampled share of "
            "the smaller audience of a pair, combined with the audiences' bounds for the other "
            "pair figures, so those are conservative"
        ),
        "lg_k": (
            "log2 of the sketches' nominal size k: every sampled sketch compared was built with it "
            "(others are refused when read), and so are the sketches of exact audiences and the "
            "union"
        ),
    }
)


@dataclass(frozen=True)
class OverlapReport:
    creators: tuple[str, ...]
    audience: tuple[Figure, ...]
    overlap: tuple[tuple[Figure, ...], ...]
    shared: tuple[tuple[Figure, ...], ...]
    jaccard: tuple[tuple[Figure, ...], ...]
    unique_reach: Figure
    summed_audience: Figure
    duplicated_share: Figure
    lg_k: int
    confidence: float
    meanings: Mapping[str, str]

    def values(
        self,
        name: Literal["overlap", "shared", "jaccard"],
        part: Literal["value", "low", "high"] = "value",
    ) -> FloatArray:
        """One part of one of the matrices (`overlap`, `shared`, `jaccard`) as an array: the
        figures' values, or their low or high bounds; NaN where the figure is undefined. The
        columnar form, for analysis."""
        matrix: tuple[tuple[Figure, ...], ...] = getattr(self, name)
        return np.array(
            [[np.nan if (v := getattr(f, part)) is None else v for f in row] for row in matrix],
            dtype=np.float64,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (`dataclasses.asdict` deep-copies each of the 30,000 figures of
        a full matrix one by one: ten times slower)."""

        def rows(matrix: tuple[tuple[Figure, ...], ...]) -> list[list[dict[str, Any]]]:
            return [[_figure_dict(f) for f in row] for row in matrix]

        return {
            "creators": list(self.creators),
            "audience": [_figure_dict(f) for f in self.audience],
            "overlap": rows(self.overlap),
            "shared": rows(self.shared),
            "jaccard": rows(self.jaccard),
            "unique_reach": _figure_dict(self.unique_reach),
            "summed_audience": _figure_dict(self.summed_audience),
            "duplicated_share": _figure_dict(self.duplicated_share),
            "lg_k": self.lg_k,
            "confidence": self.confidence,
            "meanings": dict(self.meanings),
        }


def _figure_dict(figure: Figure) -> dict[str, Any]:
    return {
        "value": figure.value,
        "exact": figure.exact,
        "low": figure.low,
        "high": figure.high,
        "note": figure.note,
    }


# --- the matrix -----------------------------------------------------------------------------


def overlap_matrix(
    audiences: Mapping[str, Audience] | Sequence[Audience],
) -> OverlapReport:
    """Pairwise overlap of up to `MAX_CREATORS` audiences, and the unique reach of the set.
    Given a mapping, its keys label the creators; given a sequence, their positions do."""
    if isinstance(audiences, Mapping):
        labels = tuple(str(key) for key in audiences)
        items = list(audiences.values())
    else:
        items = list(audiences)
        labels = tuple(str(position) for position in range(len(items)))
    n = len(items)
    if n == 0:
        raise ValidationFailed("no audiences to compare")
    if n > MAX_CREATORS:
        raise ValidationFailed(
            f"{n} audiences: the overlap matrix compares at most {MAX_CREATORS} creators at once",
            details={"given": n, "limit": MAX_CREATORS},
        )
    for label, item in zip(labels, items, strict=True):
        if not isinstance(item, ExactAudience | AudienceSketch):
            raise ValidationFailed(
                f"audience {label!r} is a {type(item).__name__}; expected an exact audience or "
                "an audience sketch (read stored bytes with `AudienceSketch.from_bytes`)"
            )

    sizes = [item.size for item in items]
    size = np.array([f.value for f in sizes], dtype=np.float64)
    size_low = np.array([f.low for f in sizes], dtype=np.float64)
    size_high = np.array([f.high for f in sizes], dtype=np.float64)
    is_exact = np.array([isinstance(item, ExactAudience) for item in items])

    # Exact audiences go through the same count as sketches that kept every follower's hash:
    # matching the ids themselves in Python dicts or sets is ~3 times slower (see `_codes`).
    sketches = [item if isinstance(item, AudienceSketch) else item.as_sketch for item in items]
    # Per ordered pair (i, j): `hits` followers of both in the pair's sample, `samples` of i's
    # followers in it, and whether the pair's sample is a true sample (some theta below 1).
    hits, samples, sampled, distinct = _sketch_pairs(sketches)
    exact_union = 0
    if is_exact.any():
        exact_ids = np.flatnonzero(is_exact)
        exact_sets = [item.ids for item in items if isinstance(item, ExactAudience)]
        exact_union = len(frozenset().union(*exact_sets))
        exact_hashes = (
            distinct if is_exact.all() else _distinct([sketches[i].hashes for i in exact_ids])
        )
        if exact_hashes != exact_union:
            # Two different ids with one 63-bit hash: odds of about U^2 / 2^64 for U distinct
            # ids (1 in 200,000 for 10 million). Count the exact pairs again from the ids.
            grid = np.ix_(exact_ids, exact_ids)
            hits[grid] = _intersection_counts(_codes(exact_sets))[0]
            samples[grid] = np.array([len(s) for s in exact_sets])[:, None]

    overlap, shared, jaccard = _pair_figures(
        labels, hits, samples, sampled, is_exact, sizes, size, size_low, size_high
    )
    unique_reach = _exact(float(exact_union)) if is_exact.all() else _union(sketches)
    summed = Figure(
        float(size.sum()),
        bool(is_exact.all()),
        float(size_low.sum()),
        float(size_high.sum()),
    )
    return OverlapReport(
        creators=labels,
        audience=tuple(sizes),
        overlap=overlap,
        shared=shared,
        jaccard=jaccard,
        unique_reach=unique_reach,
        summed_audience=summed,
        duplicated_share=_duplicated(unique_reach, summed),
        lg_k=LG_K,
        confidence=CONFIDENCE,
        meanings=MEANINGS,
    )


def _sketch_pairs(
    sketches: Sequence[AudienceSketch],
) -> tuple[I64Array, I64Array, BoolArray, int]:
    """A pair of sketches compares at the smaller of their thresholds; the hashes of the sketch
    with that threshold all lie below it, so the plain count of common hashes is the count the
    library's intersection gives, with no truncation needed."""
    keys = [s.hashes for s in sketches]
    hits, distinct = _intersection_counts(keys)
    theta = np.array([s.sketch.theta64 for s in sketches], dtype=np.uint64)
    pair_theta = np.minimum(theta[:, None], theta[None, :])
    samples = np.stack(
        [np.searchsorted(keys[i], pair_theta[i], side="left") for i in range(len(keys))]
    ).astype(np.int64)
    return hits, samples, pair_theta < _MAX_THETA, distinct


def _distinct(keys: Sequence[U64Array]) -> int:
    values = np.sort(np.concatenate(keys))
    return int(len(values) and 1 + np.count_nonzero(values[1:] != values[:-1]))


def _codes(sets: Sequence[frozenset[str]]) -> list[U64Array]:
    """Exact ids as distinct integers, to count without hashing; dict, zip and map run in C,
    with no Python loop over the ids (but ~1 microsecond an id)."""
    index = dict(zip(chain.from_iterable(sets), count(), strict=False))
    return [
        np.sort(np.fromiter(map(index.__getitem__, s), dtype=np.uint64, count=len(s))) for s in sets
    ]


def _intersection_counts(keys: Sequence[U64Array]) -> tuple[I64Array, int]:
    """|K_i ∩ K_j| for every pair of at most 2^_BUCKET_BITS (128) sorted arrays of distinct
    keys below 2^63, and the number of distinct keys, in one pass: sort all keys together,
    find the runs of equal keys, and count each run's pairs of owners.

    The sort is the cost, so it is made cheap: keys are split into 128 buckets by their top
    7 bits (each array is sorted, so a bucket is one slice of each), and within a bucket the
    owner's index fits in the 7 freed bits, so a plain sort of packed integers orders keys and
    owners together, with no argsort and no gathers. Each bucket is the owners' sorted slices
    end to end, which a stable sort (timsort) merges quickly."""
    n = len(keys)
    lengths = np.array([len(k) for k in keys], dtype=np.int64)
    counts = np.diag(lengths)
    total = int(lengths.sum())
    if n < 2 or total == 0:
        return counts, total
    residual_bits = np.uint64(63 - _BUCKET_BITS)
    owner_bits = np.uint64(_BUCKET_BITS)
    residual_mask = np.uint64((1 << (63 - _BUCKET_BITS)) - 1)
    edges = np.arange((1 << _BUCKET_BITS) + 1, dtype=np.uint64) << residual_bits
    bounds = [np.searchsorted(k, edges) for k in keys]
    for k, b in zip(keys, bounds, strict=True):
        if b[-1] != len(k):
            raise ValueError("keys must lie below 2^63")
    packed = [((k & residual_mask) << owner_bits) | np.uint64(i) for i, k in enumerate(keys)]
    buckets = range(1 << _BUCKET_BITS)
    pieces = [packed[i][bounds[i][b] : bounds[i][b + 1]] for b in buckets for i in range(n)]
    values = np.concatenate(pieces)
    del packed, pieces
    bucket_ends = np.cumsum(np.sum([np.diff(b) for b in bounds], axis=0))
    begin = 0
    for end in bucket_ends.tolist():
        if end - begin > 1:
            values[begin:end].sort(kind="stable")
        begin = end

    owner_mask = (1 << _BUCKET_BITS) - 1
    if sys.byteorder == "little":  # the owner bits are in each value's first byte
        owners = values.view(np.uint8)[:: values.itemsize] & np.uint8(owner_mask)
    else:
        owners = (values & np.uint64(owner_mask)).astype(np.uint8)
    values >>= owner_bits
    starts_mask = np.empty(total, dtype=bool)
    starts_mask[0] = True
    np.not_equal(values[1:], values[:-1], out=starts_mask[1:])
    del values
    # Equal residuals in two buckets are different keys.
    starts_mask[bucket_ends[bucket_ends < total]] = True
    starts = np.flatnonzero(starts_mask)
    del starts_mask
    degree = np.diff(starts, append=total)
    shared_starts = starts[degree >= 2]
    shared_degree = degree[degree >= 2]

    # Within a run the packed values differ only in their owner bits, so the sort left the
    # owners ascending: each pair's code is i * n + j with i < j.
    upper = np.zeros(n * n, dtype=np.int64)
    small = shared_degree < _DENSE_GROUP
    for d in np.unique(shared_degree[small]).tolist():
        firsts = shared_starts[small & (shared_degree == d)]
        left, right = np.triu_indices(d, 1)
        step = max(1, _PAIR_BATCH // len(left))
        for begin in range(0, len(firsts), step):
            members = owners[firsts[begin : begin + step, None] + np.arange(d)].astype(np.intp)
            codes = members[:, left] * n + members[:, right]
            upper += np.bincount(codes.ravel(), minlength=n * n)
    result = upper.reshape(n, n)

    big_starts = shared_starts[~small]
    big_degree = shared_degree[~small]
    for begin in range(0, len(big_starts), _DENSE_BATCH):
        firsts = big_starts[begin : begin + _DENSE_BATCH]
        degrees = big_degree[begin : begin + _DENSE_BATCH]
        rows = np.repeat(np.arange(len(firsts)), degrees)
        offsets = np.arange(int(degrees.sum())) - np.repeat(np.cumsum(degrees) - degrees, degrees)
        member = np.zeros((len(firsts), n), dtype=np.float32)
        member[rows, owners[np.repeat(firsts, degrees) + offsets]] = 1.0
        product = member.T @ member
        result += np.triu(product, 1).astype(np.int64)

    return counts + result + result.T, len(starts)


def _pair_figures(
    labels: Sequence[str],
    hits: I64Array,
    samples: I64Array,
    sampled: BoolArray,
    is_exact: BoolArray,
    sizes: Sequence[Figure],  # each audience's, as size, size_low and size_high hold them
    size: FloatArray,
    size_low: FloatArray,
    size_high: FloatArray,
) -> tuple[
    tuple[tuple[Figure, ...], ...], tuple[tuple[Figure, ...], ...], tuple[tuple[Figure, ...], ...]
]:
    n = len(labels)
    # The anchor of a pair is the creator with fewer sampled followers (the smaller audience):
    # its sampled share is the pair's most precise figure (see the module docstring).
    anchor = (samples < samples.T) | ((samples == samples.T) & np.triu(np.ones((n, n), bool)))
    share, share_low, share_high = wilson_arrays(hits, samples, NUM_STD_DEVS)
    share_low = np.where(sampled, share_low, share)
    share_high = np.where(sampled, share_high, share)
    with np.errstate(divide="ignore", invalid="ignore"):
        own = share * size[:, None]
        own_low = share_low * size_low[:, None]
        own_high = share_high * size_high[:, None]
        common = np.where(anchor, own, own.T)
        common_low = np.where(anchor, own_low, own_low.T)
        common_high = np.where(anchor, own_high, own_high.T)
        ov = np.where(anchor, share, common / size[:, None])
        ov_low = np.where(anchor, share_low, common_low / size_high[:, None])
        ov_high = np.where(anchor, share_high, common_high / size_low[:, None])
        pair_sum = size[:, None] + size[None, :]
        jac = common / (pair_sum - common)
        jac_low = common_low / (size_high[:, None] + size_high[None, :] - common_low)
        jac_high = common_high / (size_low[:, None] + size_low[None, :] - common_high)
        exact_ov = hits / size[:, None]
        exact_jac = hits / (pair_sum - hits)
    ov = np.minimum(ov, 1.0)
    ov_high = np.minimum(ov_high, 1.0)
    jac_high = np.where(jac_high < 0, 1.0, np.minimum(jac_high, 1.0))
    both_exact = is_exact[:, None] & is_exact[None, :]
    # Undefined where the anchor has no follower in the pair's sample.
    defined = np.where(anchor, samples, samples.T) > 0

    def no_followers(i: int) -> Figure:
        return _undefined(f"{labels[i]} has no followers: 0/0")

    def out_of_sample(i: int, j: int) -> Figure:
        small, large = (i, j) if anchor[i, j] else (j, i)
        return _undefined(
            f"none of {labels[small]}'s sampled followers fall within the sample of "
            f"{labels[large]}'s much larger audience: too small beside it to estimate"
        )

    def overlap_cell(i: int, j: int) -> Figure:
        if size[i] == 0:
            return no_followers(i)
        if i == j:
            return _exact(1.0)
        if size[j] == 0:
            return _exact(0.0)
        if not defined[i, j]:
            return out_of_sample(i, j)
        if both_exact[i, j]:
            return _exact(float(exact_ov[i, j]))
        return Figure(float(ov[i, j]), False, float(ov_low[i, j]), float(ov_high[i, j]))

    def symmetric_cells(i: int, j: int) -> tuple[Figure, Figure]:
        """shared[i][j] and jaccard[i][j], for j >= i."""
        if i == j:
            if size[i] == 0:
                return _exact(0.0), no_followers(i)
            return sizes[i], _exact(1.0)
        if size[i] == 0 or size[j] == 0:
            nothing = _exact(0.0)
            if size[i] or size[j]:
                return nothing, nothing
            return nothing, _undefined("neither creator has followers: 0/0")
        if not defined[i, j]:
            undefined = out_of_sample(i, j)
            return undefined, undefined
        if both_exact[i, j]:
            return _exact(float(hits[i, j])), _exact(float(exact_jac[i, j]))
        return (
            Figure(float(common[i, j]), False, float(common_low[i, j]), float(common_high[i, j])),
            Figure(float(jac[i, j]), False, float(jac_low[i, j]), float(jac_high[i, j])),
        )

    overlap = tuple(tuple(overlap_cell(i, j) for j in range(n)) for i in range(n))
    # The symmetric figures are built for j >= i and mirrored by lookup (the same objects).
    upper = {(i, j): symmetric_cells(i, j) for i in range(n) for j in range(i, n)}
    shared = tuple(tuple(upper[min(i, j), max(i, j)][0] for j in range(n)) for i in range(n))
    jaccard = tuple(tuple(upper[min(i, j), max(i, j)][1] for j in range(n)) for i in range(n))
    return overlap, shared, jaccard


def _union(sketches: Sequence[AudienceSketch]) -> Figure:
    union = ds.theta_union(LG_K)
    for sketch in sketches:
        union.update(sketch.sketch)
    return _estimate(union.get_result())


def _estimate(sketch: Any) -> Figure:
    """A Theta sketch's count of distinct ids with its bounds (an empty one's is exactly 0)."""
    if sketch.is_empty():
        return _exact(0.0)
    return Figure(
        float(sketch.get_estimate()),
        False,
        float(sketch.get_lower_bound(NUM_STD_DEVS)),
        float(sketch.get_upper_bound(NUM_STD_DEVS)),
    )


def _duplicated(reach: Figure, summed: Figure) -> Figure:
    assert reach.value is not None and summed.value is not None
    assert reach.low is not None and reach.high is not None
    assert summed.low is not None and summed.high is not None
    if summed.value == 0:
        return _undefined("no creator has followers: 0/0")
    value = max(0.0, 1.0 - reach.value / summed.value)
    if reach.exact and summed.exact:
        return _exact(value)
    low = max(0.0, 1.0 - reach.high / summed.low)
    high = min(1.0, max(0.0, 1.0 - reach.low / summed.high))
    return Figure(value, False, min(low, value), max(high, value))
