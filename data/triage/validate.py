#!/usr/bin/env python3
"""Validate the triage TSV files (stdlib only).

Checks: UTF-8, LF line endings, no empty lines, exactly one TAB per line,
known labels, no duplicate texts within or across files, per-label minimums.
Prints a Markdown table of counts per label. Exit code 1 on any failure.

usage: python3 data/triage/validate.py [--table]
"""
import os
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))

CATEGORIES = [
    "welfare", "housing", "health", "sanitation", "jobs", "safety", "culture",
    "tourism", "district_program", "finance", "crime_victim", "mental_health",
    "neighbour_dispute", "legal", "tax", "other",
]
CRISIS = ["crisis", "none"]

# file -> (allowed labels, minimum per label, exact count per label or None)
FILES = {
    "train.tsv": (CATEGORIES, 90, None),
    "test.tsv": (CATEGORIES, 30, 30),
    "crisis_train.tsv": (CRISIS, 150, None),
    "crisis_test.tsv": (CRISIS, 60, None),
}


def norm(text):
    return "".join(text.split())


def main():
    errors = []
    seen = {}  # normalised text -> (file, line number)
    counts = {}
    for name, (labels, minimum, exact) in FILES.items():
        path = os.path.join(HERE, name)
        if not os.path.exists(path):
            errors.append(f"{name}: missing")
            continue
        raw = open(path, "rb").read()
        if b"\r" in raw:
            errors.append(f"{name}: contains CR characters (must be LF only)")
        if not raw.endswith(b"\n"):
            errors.append(f"{name}: last line must end with LF")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            errors.append(f"{name}: not UTF-8 ({e})")
            continue
        if text.startswith("\ufeff"):
            errors.append(f"{name}: has a BOM")
        c = Counter()
        for i, line in enumerate(text.split("\n")[:-1], 1):
            where = f"{name}:{i}"
            if not line.strip():
                errors.append(f"{where}: empty line")
                continue
            if line.count("\t") != 1:
                errors.append(f"{where}: expected exactly one TAB, got {line.count(chr(9))}")
                continue
            label, body = line.split("\t")
            if label not in labels:
                errors.append(f"{where}: unknown label {label!r}")
            if body != body.strip() or not body.strip():
                errors.append(f"{where}: text empty or has leading/trailing whitespace")
            key = norm(body)
            if key in seen:
                errors.append(f"{where}: duplicate of {seen[key][0]}:{seen[key][1]} ({body})")
            else:
                seen[key] = (name, i)
            c[label] += 1
        for label in labels:
            if c[label] < minimum:
                errors.append(f"{name}: label {label} has {c[label]} lines, minimum {minimum}")
            if exact is not None and c[label] != exact:
                errors.append(f"{name}: label {label} has {c[label]} lines, expected exactly {exact}")
        counts[name] = c

    if "--table" in sys.argv:
        print("| label | train.tsv | test.tsv |")
        print("| --- | ---: | ---: |")
        for label in CATEGORIES:
            print(f"| {label} | {counts.get('train.tsv', {}).get(label, 0)} | {counts.get('test.tsv', {}).get(label, 0)} |")
        print(f"| **total** | {sum(counts.get('train.tsv', Counter()).values())} | {sum(counts.get('test.tsv', Counter()).values())} |")
        print()
        print("| label | crisis_train.tsv | crisis_test.tsv |")
        print("| --- | ---: | ---: |")
        for label in CRISIS:
            print(f"| {label} | {counts.get('crisis_train.tsv', {}).get(label, 0)} | {counts.get('crisis_test.tsv', {}).get(label, 0)} |")
        print(f"| **total** | {sum(counts.get('crisis_train.tsv', Counter()).values())} | {sum(counts.get('crisis_test.tsv', Counter()).values())} |")
    else:
        for name, c in counts.items():
            print(name, sum(c.values()), dict(sorted(c.items())))

    for e in errors:
        print("ERROR", e, file=sys.stderr)
    if errors:
        print(f"{len(errors)} error(s)", file=sys.stderr)
        return 1
    print("OK", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
