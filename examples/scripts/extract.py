"""Writes deterministic sample sales records as CSV (the extract step of examples/etl.jorm)."""

import argparse
import csv
import os

REGIONS = ["north", "south", "east", "west"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True, help="CSV file to write")
    parser.add_argument("--rows", type=int, default=20, help="number of records")
    args = parser.parse_args()
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "region", "amount"])
        for i in range(args.rows):
            writer.writerow([i + 1, REGIONS[i % len(REGIONS)], (i * 37) % 100 + 1])
    print(f"wrote {args.rows} records to {args.out}")


if __name__ == "__main__":
    main()
