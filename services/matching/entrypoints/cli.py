"""`matching-solve INSTANCE.json [--all-scores]`: the solver offline, JSON in, JSON out.

A malformed instance gives one line on stderr and exit status 2; the result goes to stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from services.matching.domain.solver import InvalidInstance
from services.matching.service_layer.offline import solve_instance
from shared.logging import configure_logging

EXIT_MALFORMED = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_MALFORMED, f"matching-solve: {message}\n")


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="matching-solve", description="Match a cohort instance offline.")
    parser.add_argument("instance", help="the instance JSON file, or - for standard input")
    parser.add_argument(
        "--all-scores", action="store_true", help="also print the score of every allowed pair"
    )
    args = parser.parse_args(argv)
    configure_logging("console", "warning")  # stdout carries only the result
    try:
        raw = sys.stdin.buffer.read() if args.instance == "-" else Path(args.instance).read_bytes()
    except OSError as error:
        return _malformed(f"cannot read {args.instance}: {error.strerror or error}")
    try:
        output = solve_instance(raw, with_all_scores=args.all_scores)
    except (ValueError, InvalidInstance) as error:
        return _malformed(str(error))
    json.dump(output, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def _malformed(message: str) -> int:
    one_line = " ".join(message.split())
    sys.stderr.write(f"matching-solve: invalid instance: {one_line}\n")
    return EXIT_MALFORMED


if __name__ == "__main__":
    sys.exit(main())
