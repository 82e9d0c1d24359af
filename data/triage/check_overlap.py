#!/usr/bin/env python3
"""Held-out check for the triage data (stdlib only).

A test line must not share a run of N (default 8) or more consecutive
characters with any train line, after removing all whitespace. Runs that are
made of a short list of everyday phrases (COMMON below, e.g. "어떻게해야",
"알고싶어요") or official program/agency names (DOMAIN_TERMS, e.g.
"국민취업지원제도") are masked first and cannot be part of a flagged run.

Pairs checked:  test.tsv vs train.tsv, crisis_test.tsv vs crisis_train.tsv,
and (cross) test.tsv vs crisis_train.tsv, crisis_test.tsv vs train.tsv.

usage: python3 data/triage/check_overlap.py [-n 8] [--stats]
Exit code 1 if any test line shares an N-character run with a train line.
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# Everyday phrases that may legitimately recur (whitespace removed).
COMMON = [
    "어떻게해야하나요", "어떻게해야할지", "어떻게해야돼요", "어떻게해야", "어떻게하나요",
    "어떻게돼요", "어떻게되나요", "알고싶어요", "알고싶습니다", "궁금해요", "궁금합니다",
    "알려주세요", "도와주세요", "있을까요", "있나요", "신청하고싶어요", "받을수있나요",
    "받을수있을까요", "할수있나요", "어디서해요", "어디로가야", "상담받고싶어요",
    "싶은데요", "싶은데", "해주세요", "같아요", "모르겠어요", "좋겠어요",
]
# Official names of programs and agencies: domain vocabulary that any line about
# the program will contain, so they are masked like the phrases above.
DOMAIN_TERMS = [
    "청년디지털서포터즈", "국민취업지원제도", "금융복지상담센터", "층간소음이웃사이센터",
    "전세피해지원센터", "정신건강복지센터", "범죄피해자지원센터", "치매안심센터",
    "여성새로일하기센터", "신용회복위원회", "법률구조공단", "무엇이든상담창구",
]
MASK = "\x00"


def load(name):
    rows = []
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        for line in f:
            label, text = line.rstrip("\n").split("\t")
            rows.append((label, text))
    return rows


def normalise(text):
    s = "".join(text.split())
    for p in sorted(COMMON + DOMAIN_TERMS, key=len, reverse=True):
        s = s.replace(p, MASK * len(p))
    return s


def grams(s, n):
    return {s[i:i + n] for i in range(len(s) - n + 1) if MASK not in s[i:i + n]}


def longest_shared(a, b):
    """Longest common substring of a and b without MASK (simple DP)."""
    best, end = 0, 0
    prev = [0] * (len(b) + 1)
    for i in range(1, len(a) + 1):
        cur = [0] * (len(b) + 1)
        ai = a[i - 1]
        if ai != MASK:
            for j in range(1, len(b) + 1):
                if ai == b[j - 1]:
                    cur[j] = prev[j - 1] + 1
                    if cur[j] > best:
                        best, end = cur[j], i
        prev = cur
    return a[end - best:end]


def check(test_name, train_name, n, stats):
    test, train = load(test_name), load(train_name)
    train_norm = [normalise(t) for _, t in train]
    index = {}
    for k, s in enumerate(train_norm):
        for g in grams(s, n):
            index.setdefault(g, k)
    bad = 0
    for i, (label, text) in enumerate(test, 1):
        s = normalise(text)
        hits = [g for g in grams(s, n) if g in index]
        if hits:
            bad += 1
            k = index[hits[0]]
            run = longest_shared(s, train_norm[k])
            print(f"  {test_name}:{i} [{label}] shares {len(run)} chars '{run}' with "
                  f"{train_name}:{k + 1}\n      test : {text}\n      train: {train[k][1]}")
    print(f"{test_name} vs {train_name}: {bad} of {len(test)} test lines share a "
          f"{n}+ character run")
    if stats:
        for m in (5, 6, 7):
            idx = set()
            for s in train_norm:
                idx |= grams(s, m)
            c = sum(1 for _, t in test if grams(normalise(t), m) & idx)
            print(f"    (info) lines sharing a {m}-char run: {c} of {len(test)}")
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=8)
    ap.add_argument("--stats", action="store_true", help="also report 5/6/7-char overlap")
    a = ap.parse_args()
    pairs = [("test.tsv", "train.tsv"), ("crisis_test.tsv", "crisis_train.tsv"),
             ("test.tsv", "crisis_train.tsv"), ("crisis_test.tsv", "train.tsv")]
    total = 0
    for t, tr in pairs:
        if os.path.exists(os.path.join(HERE, t)) and os.path.exists(os.path.join(HERE, tr)):
            total += check(t, tr, a.n, a.stats)
    print("FAIL" if total else "PASS", f"({total} overlapping test lines)")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
