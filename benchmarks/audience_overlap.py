"""Audience overlap of 100 creators of 100k-1M followers each, from stored Theta sketches.

    .venv/bin/python benchmarks/audience_overlap.py [--creators 100] [--seed 7] [--repeat 3]

The audiences are seeded and shaped like a niche market: a few communities ("pools") of
300k-1.2M people; each creator draws 20-80% of its audience from a home pool, up to 10% from
a second one and the rest from a general population of 40M; sizes are log-uniform between
--min and --max followers. Creators of the same pool overlap by up to ~60%, others by a
fraction of a percent.

The baseline, measured in the same run, is the exact computation from the ids: one bitset of
the population per creator, then a popcount of every pair's AND and of the OR of all (numpy).
Then each creator's sketch is built from its ids (`sketch_audience`, the one-off cost at
ingest, timed separately) and stored as bytes, and the timed part reads the 100 stored sketches
and computes the 100 x 100 matrix and the unique reach (`AudienceSketch.from_bytes` +
`overlap_matrix`), best of --repeat runs. Prints that time against the 2 s target and as a
ratio of the exact time, the max and mean absolute error of the overlap figures in percentage
points against exact (target 3), how many exact figures fall within the reported bounds, and
the error of the unique reach.
Never asserts: a benchmark informs, the test suite decides.
"""

from __future__ import annotations

import argparse
import os
import time

import datasketches as ds
import numpy as np
import numpy.typing as npt
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from tastemaker.vetting.overlap import (
    LG_K,
    AudienceSketch,
    OverlapReport,
    overlap_matrix,
    sketch_audience,
)

TARGET_SECONDS = 2.0
TARGET_POINTS = 3.0
POPULATION = 40_000_000
POOLS = 6

IdArray = npt.NDArray[np.int64]


def generate(creators: int, low: int, high: int, seed: int, progress: Progress) -> list[IdArray]:
    """Sorted distinct follower ids per creator (see the module docstring for the shape)."""
    rng = np.random.default_rng(seed)
    pool_sizes = rng.integers(300_000, 1_200_000, POOLS)
    pool_starts = np.concatenate([[0], np.cumsum(pool_sizes)[:-1]])
    audiences = []
    task = progress.add_task(f"generating {creators} audiences", total=creators)
    for _ in range(creators):
        size = int(np.exp(rng.uniform(np.log(low), np.log(high))))
        home, second = rng.choice(POOLS, 2, replace=False)
        parts = []
        left = size
        for pool, share in ((home, rng.uniform(0.2, 0.8)), (second, rng.uniform(0.0, 0.1))):
            # Each member of the pool follows with the same chance: a random subset, with
            # at most 75% of a pool behind any one creator.
            chance = min(0.75, size * share / pool_sizes[pool])
            members = np.flatnonzero(rng.random(pool_sizes[pool]) < chance) + pool_starts[pool]
            parts.append(members)
            left -= len(members)
        parts.append(rng.integers(0, POPULATION, max(0, left)))
        ids = np.sort(np.concatenate(parts))
        audiences.append(ids[np.concatenate([[True], ids[1:] != ids[:-1]])])
        progress.advance(task)
    return audiences


def exact(audiences: list[IdArray], progress: Progress) -> tuple[npt.NDArray[np.int64], int]:
    """|Ai ∩ Aj| for every pair and |A1 union ... union An|, from one bitset per creator."""
    n = len(audiences)
    words = (POPULATION + 63) // 64
    bits = np.zeros((n, words), dtype=np.uint64)
    task = progress.add_task("exact: bitsets, then every pair", total=2 * n)
    for i, ids in enumerate(audiences):
        member = np.zeros(words * 64, dtype=bool)
        member[ids] = True
        bits[i] = np.packbits(member, bitorder="little").view(np.uint64)
        progress.advance(task)
    shared = np.zeros((n, n), dtype=np.int64)
    for i in range(n):
        shared[i, i:] = np.bitwise_count(bits[i:] & bits[i]).sum(axis=1, dtype=np.int64)
        shared[i:, i] = shared[i, i:]
        progress.advance(task)
    reach = int(np.bitwise_count(np.bitwise_or.reduce(bits, axis=0)).sum(dtype=np.int64))
    return shared, reach


def library_pairs(stored: list[bytes], pairs: int, seed: int) -> tuple[float, int]:
    """The same sketches compared pair by pair with the library (one `theta_intersection`
    each, the least a library-only matrix needs), timed on a random subset of pairs and
    extrapolated to all of them: why `overlap_matrix` counts every pair in one numpy pass."""
    sketches = [ds.compact_theta_sketch.deserialize(data) for data in stored]
    n = len(sketches)
    everything = [(i, j) for i in range(n) for j in range(i + 1, n)]
    rng = np.random.default_rng(seed)
    chosen = rng.choice(len(everything), min(pairs, len(everything)), replace=False)
    started = time.perf_counter()
    for k in chosen.tolist():
        i, j = everything[k]
        intersection = ds.theta_intersection()
        intersection.update(sketches[i])
        intersection.update(sketches[j])
        intersection.get_result()
    seconds = time.perf_counter() - started
    return seconds * len(everything) / len(chosen), len(chosen)


def _load() -> str:
    """Other work on the machine inflates every figure; say how busy it was."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, default=100)
    parser.add_argument("--min", type=int, default=100_000, help="smallest audience")
    parser.add_argument("--max", type=int, default=1_000_000, help="largest audience")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs; the best counts")
    parser.add_argument(
        "--library-pairs", type=int, default=300, help="pairs timed with the library alone"
    )
    args = parser.parse_args()
    console = Console(width=110)

    with Progress(console=console) as progress:
        audiences = generate(args.creators, args.min, args.max, args.seed, progress)
        sizes = np.array([len(a) for a in audiences])
        started = time.perf_counter()
        shared_exact, reach_exact = exact(audiences, progress)
        exact_seconds = time.perf_counter() - started

        task = progress.add_task("sketching each audience from its ids", total=args.creators)
        stored: list[bytes] = []
        started = time.perf_counter()
        for ids in audiences:
            stored.append(sketch_audience(iter(ids.tolist())).to_bytes())
            progress.advance(task)
        build_seconds = time.perf_counter() - started

    n = args.creators
    off = ~np.eye(n, dtype=bool)
    truth = shared_exact / sizes[:, None]
    console.print(
        f"{n} audiences of {sizes.min():,} to {sizes.max():,} followers "
        f"({sizes.sum():,} in all); exact pairwise overlap: median "
        f"{np.median(truth[off]):.1%}, 90th percentile {np.percentile(truth[off], 90):.1%}, "
        f"max {truth[off].max():.1%}"
    )
    console.print(
        f"sketches (lg_k {LG_K}): built in {build_seconds:.1f} s "
        f"({sizes.sum() / build_seconds:,.0f} ids/s, once per creator at ingest); stored "
        f"{sum(map(len, stored)) / 2**20:.1f} MiB, {max(map(len, stored)) / 2**10:,.0f} KiB "
        "at most per creator"
    )

    console.print(f"timing starts: {_load()}")
    times = []
    report: OverlapReport | None = None
    for _ in range(args.repeat):
        started = time.perf_counter()
        report = overlap_matrix([AudienceSketch.from_bytes(data) for data in stored])
        times.append(time.perf_counter() - started)
    library_seconds, timed_pairs = library_pairs(stored, args.library_pairs, args.seed)
    console.print(f"timing ends: {_load()}")
    assert report is not None
    sketch_seconds = min(times)

    estimate = report.values("overlap")
    errors = np.abs(estimate - truth)[off] * 100
    low = report.values("overlap", "low")
    high = report.values("overlap", "high")
    within = ((low <= truth) & (truth <= high))[off].mean()
    reach = report.unique_reach
    assert reach.value is not None
    reach_error = (reach.value - reach_exact) / reach_exact
    duplicated_exact = 1 - reach_exact / sizes.sum()
    duplicated = report.duplicated_share.value
    assert duplicated is not None

    table = Table(title=f"overlap matrix of {n} creators, best of {args.repeat} runs")
    for column in ("figure", "measured", "target", "within"):
        table.add_column(column, justify="left" if column == "figure" else "right")
    table.add_row("baseline: exact from ids (bitsets)", f"{exact_seconds:.2f} s", "", "")
    table.add_row(
        "sketches: read stored bytes + matrix",
        f"{sketch_seconds:.2f} s",
        f"{TARGET_SECONDS:.0f} s",
        "yes" if sketch_seconds <= TARGET_SECONDS else "NO",
    )
    table.add_row("  ratio sketch / exact time", f"{sketch_seconds / exact_seconds:.3f}", "", "")
    table.add_row(
        f"library, pair by pair ({timed_pairs} timed)",
        f"{library_seconds:.2f} s",
        f"{TARGET_SECONDS:.0f} s",
        "yes" if library_seconds <= TARGET_SECONDS else "NO",
    )
    table.add_row(
        "overlap error, max (points)",
        f"{errors.max():.2f}",
        f"{TARGET_POINTS:.0f}",
        "yes" if errors.max() <= TARGET_POINTS else "NO",
    )
    table.add_row("overlap error, mean (points)", f"{errors.mean():.3f}", "", "")
    table.add_row(
        f"exact figures within the reported ~{report.confidence:.0%} bounds",
        f"{within:.1%}",
        "",
        "",
    )
    table.add_row(
        "unique reach",
        f"{reach.value:,.0f} vs {reach_exact:,} exact ({reach_error:+.2%})",
        "",
        "yes" if reach.low is not None and reach.high is not None
        and reach.low <= reach_exact <= reach.high else "no",
    )  # fmt: skip
    table.add_row(
        "duplicated share",
        f"{duplicated:.2%} vs {duplicated_exact:.2%} exact "
        f"({(duplicated - duplicated_exact) * 100:+.2f} points)",
        "",
        "",
    )
    console.print(table)
    console.print(
        f"all runs: {', '.join(f'{t:.2f}' for t in times)} s; the last column says whether a "
        "figure meets its target, or for the reach whether the exact value lies within the bounds"
    )


if __name__ == "__main__":
    main()
