"""Ranks 1,000,000 search documents by a description: the in-memory index's scoring.

    .venv/bin/python benchmarks/semantic_ranking.py [--profiles 1000000] [--runs 30]

Builds `discovery.index.TextIndex` over generated bios shaped like the demo's (a topic
phrase per category, a city of the creator's country, a few extra words), embedded by the
shipped model (unique texts once) and indexed by BM25, then times `TextIndex.rank` plus the
ordering of a filtered set (a random 10% of the accounts standing for the filters' result,
as `creator.service` passes it) for a set of descriptions. The baseline, measured in the
same run, is one bare NumPy matrix-vector product over the same vectors: the floor any
exact semantic ranking pays. Target: p50 <= 100 ms at 1,000,000. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time

import numpy as np
from rich.console import Console

from tastemaker.demo import names
from tastemaker.discovery.embedder import embedder
from tastemaker.discovery.index import TextIndex
from tastemaker.discovery.lexical import LexicalIndex
from tastemaker.discovery.ranking import Weights

DESCRIPTIONS = [
    "vegan food creators who post recipe reels",
    "skincare for sensitive skin",
    "marathon runners and strength training",
    "slow travel by train across Europe",
    "parents with toddlers, honest family life",
    "thrifted furniture and small flat decor",
    "dog owners and cat videos",
    "vintage fashion and styling tips",
    "weekend hiking and small hotels",
    "home baking and sourdough",
]
EXTRAS = [
    "daily",
    "stories",
    "reviews",
    "tips",
    "hauls",
    "vlogs",
    "collabs",
    "giveaways",
    "podcasts",
    "shop",
]


def bios(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    categories = list(names.TOPIC_PHRASES)
    countries = list(names.CITIES)
    out = []
    for _ in range(count):
        phrase = rng.choice(names.TOPIC_PHRASES[rng.choice(categories)])
        city = rng.choice(names.CITIES[rng.choice(countries)])
        out.append(f"{phrase} · {city}. {' '.join(rng.sample(EXTRAS, 2))}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profiles", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    console = Console()

    started = time.perf_counter()
    texts = bios(args.profiles, args.seed)
    unique, inverse = np.unique(np.asarray(texts, dtype=object), return_inverse=True)
    vectors = embedder().embed([str(t) for t in unique])[inverse]
    lexical = LexicalIndex(texts)
    index = TextIndex(
        token="bench",
        account_ids=np.arange(1, args.profiles + 1, dtype=np.int64),
        vectors=np.ascontiguousarray(vectors),
        lexical=lexical,
    )
    console.print(
        f"{args.profiles:,} documents ({len(unique):,} distinct texts) indexed in"
        f" {time.perf_counter() - started:.0f} s; vectors {vectors.nbytes / 2**20:,.0f} MiB"
    )
    rng = np.random.default_rng(args.seed)
    filtered = np.sort(rng.choice(index.account_ids, size=args.profiles // 10, replace=False))
    weights = Weights(0.8, 0.2)
    query = embedder().embed(["warm-up"])[0]

    ranking_ms: list[float] = []
    baseline_ms: list[float] = []
    for run in range(args.runs + 3):
        description = DESCRIPTIONS[run % len(DESCRIPTIONS)]
        t0 = time.perf_counter()
        found = index.rank(description, weights)
        top = found.order(filtered)[:50]
        t1 = time.perf_counter()
        _ = index.vectors @ query
        t2 = time.perf_counter()
        assert len(top) == 50
        if run >= 3:  # warm-up
            ranking_ms.append((t1 - t0) * 1000)
            baseline_ms.append((t2 - t1) * 1000)

    def p(values: list[float], q: float) -> float:
        return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]

    r50, r95 = statistics.median(ranking_ms), p(ranking_ms, 95)
    b50 = statistics.median(baseline_ms)
    console.print(
        f"rank + order a filtered 10% + page of 50: p50 {r50:.1f} ms, p95 {r95:.1f} ms"
        f" (target p50 100 ms: {r50 / 100:.2f} of it)"
    )
    console.print(f"baseline, one bare matrix-vector product: p50 {b50:.1f} ms ({r50 / b50:.1f}x)")
    one, five, _ = os.getloadavg()
    console.print(f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
