"""Matching solver benchmark: the optimiser against a first-come-first-served greedy baseline.

Run: `.venv/bin/python -m bench.matching_solver [--sizes 1000 10000]`. Each size runs in a fresh
process so its peak memory (ru_maxrss) is its own. Prints times, objectives and peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time

import numpy as np

from services.matching.domain.candidates import blocks
from services.matching.domain.encoding import encode
from services.matching.domain.model import Instance, Person
from services.matching.domain.solver import solve

LANGUAGES = ["da", "en", "sv", "de", "no"]
REGIONS = ["Hovedstaden", "Sjælland", "Syddanmark", "Midtjylland", "Nordjylland"]
THEMES = [f"theme{k}" for k in range(14)]
INDUSTRIES = [f"industry{k}" for k in range(10)]
FUNCTIONS = [f"function{k}" for k in range(8)]


def cohort(mentees: int, mentors: int, seed: int = 7) -> Instance:
    """A synthetic cohort shaped like the real ones: many companies, Danish and English, 1-3 places."""
    rnd = random.Random(seed)
    companies = [f"company{k}" for k in range(max(10, (mentees + mentors) // 40))]

    def person(role: str, k: int) -> Person:
        languages = {"da"} if rnd.random() < 0.85 else set()
        if rnd.random() < 0.7 or not languages:
            languages.add(rnd.choice(LANGUAGES[1:]))
        return Person(
            id=f"{role}{k}",
            company=rnd.choice(companies),
            languages=frozenset(languages),
            region=rnd.choice(REGIONS),
            meeting=rnd.choices(["in_person", "online", "either"], [2, 1, 5])[0],
            level=rnd.randint(1, 3) if role == "mentee" else rnd.randint(2, 5),
            themes=frozenset(rnd.sample(THEMES, rnd.randint(1, 4))),
            industry=rnd.choice(INDUSTRIES),
            function=rnd.choice(FUNCTIONS),
            years=rnd.randint(2, 15) if role == "mentee" else rnd.randint(8, 35),
            avoid_companies=frozenset(rnd.sample(companies, 1)) if rnd.random() < 0.1 else frozenset(),
            capacity=rnd.randint(1, 3) if role == "mentor" else 0,
        )

    return Instance(
        tuple(person("mentee", k) for k in range(mentees)), tuple(person("mentor", k) for k in range(mentors))
    )


def greedy(instance: Instance) -> tuple[int, float]:
    """First come, first served: each mentee in turn takes the best allowed mentor still free."""
    enc = encode(instance)
    left = enc.mentors.capacity.astype(np.int64).copy()
    matched, total = 0, 0
    for _rows, ok, scores in blocks(enc, np.arange(len(enc.mentees))):
        for r in range(len(ok)):
            masked = np.where(ok[r] & (left > 0), scores[r], -1)
            best = int(masked.argmax())
            if masked[best] >= 0:
                left[best] -= 1
                matched += 1
                total += int(masked[best])
    return matched, total / 10_000


def measure(size: int, repeat: int) -> dict[str, object]:
    solve(cohort(20, 20))  # import and warm SciPy's solvers once, as a running service has
    instance = cohort(size, size)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = solve(instance)
        times.append(time.perf_counter() - started)
    solve_s = statistics.median(times)
    started = time.perf_counter()
    greedy_matched, greedy_total = greedy(instance)
    greedy_s = time.perf_counter() - started
    return {
        "size": f"{size} x {size}",
        "solver_s": round(solve_s, 3),
        "solver_best_s": round(min(times), 3),
        "runs": repeat,
        "solver_matched": result.matched,
        "solver_total": result.total_score,
        "method": result.report.method,
        "proven_optimal": result.report.proven_optimal,
        "note": result.report.note,
        "greedy_s": round(greedy_s, 3),
        "greedy_matched": greedy_matched,
        "greedy_total": round(greedy_total, 4),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def candidates_against_exact(size: int) -> str:
    """The large-cohort path on a cohort the exact path can still solve: how far from the optimum?"""
    instance = cohort(size, size, seed=11)
    exact = solve(instance)
    approximate = solve(instance, exact_pair_limit=0)
    return (
        f"{size} x {size}: exact total {exact.total_score:,.2f} ({exact.matched} matched); candidate path"
        f" {approximate.total_score:,.2f} ({approximate.matched} matched), "
        f"{100 * approximate.total_score / exact.total_score:.4f}% of the optimum"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3, help="solver runs per size up to 2,000 (median)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--compare", type=int, default=2000, help="size to solve both ways (0: skip)")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.repeat if args.one <= 2000 else 1)))
        return
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{os.cpu_count()} cores, load average {load} (other work on the machine slows every figure)")
    for size in args.sizes:
        done = subprocess.run(
            [sys.executable, "-m", "bench.matching_solver", "--one", str(size), "--repeat", str(args.repeat)],
            capture_output=True,
            text=True,
            check=True,
        )
        row = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"{row['size']:>15}: solver {row['solver_s']:7.3f} s (median of {row['runs']}, best"
            f" {row['solver_best_s']:.3f} s)  matched {row['solver_matched']:>6}"
            f"  total {row['solver_total']:>13,.2f}  ({row['method']}, proven optimal: {row['proven_optimal']})"
        )
        print(
            f"{'':>15}  greedy {row['greedy_s']:7.3f} s  matched {row['greedy_matched']:>6}"
            f"  total {row['greedy_total']:>13,.2f}  (first come, first served)"
        )
        print(f"{'':>15}  peak memory {row['peak_rss_mb']} MB; {row['note']}")
    if args.compare:
        print("candidate path against the exact optimum:", candidates_against_exact(args.compare))


if __name__ == "__main__":
    main()
