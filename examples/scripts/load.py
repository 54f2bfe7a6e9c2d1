"""Prints the report of the summary written by the transform step of examples/etl.jorm."""

import json
import sys


def main() -> None:
    path = sys.argv[1]
    with open(path) as f:
        summary = json.load(f)
    print(f"report of {path}:")
    for region, total in sorted(summary["totals"].items()):
        print(f"  {region:<6} {total:>5}")
    print(f"  {'total':<6} {sum(summary['totals'].values()):>5}")


if __name__ == "__main__":
    main()
