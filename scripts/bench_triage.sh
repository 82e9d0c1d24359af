#!/usr/bin/env bash
# The triage classifier against fastText (Debian's `fasttext`), trained and tested on the same
# split of data/triage: top-1 / top-3 accuracy on test.tsv, training time, classification
# throughput (texts per second, one thread), latency of one text, model file size.
# Usage: scripts/bench_triage.sh BUILD_DIR RESULTS_DIR   (bench.sh calls it; it prints a table)
#
# CareDesk runs in process (caredesk_triage_bench, Google Benchmark). fastText runs as the
# `fasttext` command, one thread, a fixed seed and the settings below: its training time is
# the whole `fasttext supervised` process; its throughput is `fasttext predict` over the test
# texts repeated kRepeat times, less the time of the same command on one text (loading the
# model), so neither includes process start-up. Each is trained twice: on train.tsv alone, and
# on train.tsv plus CareDesk's built-in lexicon as TrainTriage sees it (triage_lexicon.hpp and
# the rules' keywords), so both models see the same words.
set -euo pipefail

build="$1"
results="$2"
die() {
  printf 'bench_triage.sh: %s\n' "$*" >&2
  exit 1
}
command -v fasttext >/dev/null || die "'fasttext' is missing (make deps installs it)"
[ -x "$build/bench/caredesk_triage_bench" ] || die "$build/bench/caredesk_triage_bench is missing"
mkdir -p "$results"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf '\n==> %s\n' "triage classifier (caredesk_triage_bench; fastText input in $work)" >&2
CAREDESK_TRIAGE_DATA="${CAREDESK_TRIAGE_DATA:-data/triage}" CAREDESK_TRIAGE_OUT="$work" \
  "$build/bench/caredesk_triage_bench" --benchmark_out="$results/triage.json" \
  --benchmark_out_format=json

printf '\n==> %s\n' "fastText on the same split" >&2
python3 - "$results" "$work" <<'PY'
import json
import os
import re
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

results, work = Path(sys.argv[1]), Path(sys.argv[2])
# -bucket 2^18 as CareDesk's hash space (the default 2,000,000 makes an 800 MB .bin).
SETTINGS = ["-minn", "1", "-maxn", "4", "-wordNgrams", "2", "-bucket", "262144", "-dim", "100",
            "-epoch", "50",
            "-lr", "0.5", "-loss", "softmax", "-thread", "1", "-seed", "1", "-verbose", "0"]
REPEAT = 200
version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "fasttext"], capture_output=True,
                         text=True).stdout or "?"


def run(args):
    begin = time.perf_counter()
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return time.perf_counter() - begin, out


test = work / "test.ft"
texts = [line.split(" ", 1)[1] for line in test.read_text().splitlines()]
(work / "many.txt").write_text("".join(t + "\n" for t in texts) * REPEAT)
(work / "one.txt").write_text(texts[0] + "\n")
fasttext = {}
for name in ("train", "train_lexicon"):
    model = work / f"ft_{name}"
    train_s, _ = run(["fasttext", "supervised", "-input", str(work / f"{name}.ft"), "-output",
                      str(model)] + SETTINGS)
    _, p1 = run(["fasttext", "test", f"{model}.bin", str(test), "1"])
    _, p3 = run(["fasttext", "test", f"{model}.bin", str(test), "3"])
    top1 = float(re.search(r"P@1\s+([\d.]+)", p1).group(1))
    top3 = float(re.search(r"R@3\s+([\d.]+)", p3).group(1))  # one label per line: top-3 accuracy
    many_s, _ = run(["fasttext", "predict", f"{model}.bin", str(work / "many.txt"), "3"])
    one_s, _ = run(["fasttext", "predict", f"{model}.bin", str(work / "one.txt"), "3"])
    n = len(texts) * REPEAT
    per_text_s = max(many_s - one_s, 1e-9) / n
    fasttext[name] = {"train_s": train_s, "top1": top1, "top3": top3,
                      "texts_per_s": 1 / per_text_s, "mean_us": per_text_s * 1e6,
                      "model_bytes": os.path.getsize(f"{model}.bin")}
(results / "fasttext.json").write_text(json.dumps({"version": version, "settings": SETTINGS,
                                                   "runs": fasttext}, indent=2))

ours = {}
for b in json.loads((results / "triage.json").read_text())["benchmarks"]:
    key = "/".join(p for p in b["name"].split("/") if ":" not in p and p != "manual_time")
    ours[key] = b
rows = []


def row(variant, metric, value):
    rows.append((variant, metric, value))


def pct(v):
    return f"{100 * v:.1f}%"


lines = int(ours["triage/train/lexicon"]["train_lines"])
tests = int(ours["triage/train/lexicon"]["test_lines"])
for key, label in (("triage/train/lexicon", "CareDesk, train.tsv + built-in lexicon (shipped)"),
                   ("triage/train/no_lexicon", "CareDesk, train.tsv only")):
    b = ours[key]
    if b.get("error_occurred"):
        row(label, "top-1 / top-3", "FAILED: " + b.get("error_message", "?"))
        continue
    row(label, "top-1 / top-3 accuracy", f"{pct(b['top1'])} / {pct(b['top3'])}")
    row(label, "training time",
        f"{b['train_s']:.2f} s (categories: 4 x (5 folds + final), crisis: 5 folds + final)")
    row(label, "model file", f"{b['model_bytes'] / 1e6:.2f} MB (both classifiers)")
    row(label, "crisis recall / false alarms", f"{pct(b['crisis_recall'])} / {pct(b['false_alarms'])}")
cat, assess = ours["triage/categories"], ours["triage/assess"]
label = "CareDesk (shipped model)"
row(label, "categories of one text: texts/s", f"{cat['ops_per_s']:,.0f} (1 thread)")
row(label, "categories of one text: p50 / p99", f"{cat['p50_us']:.1f} / {cat['p99_us']:.1f} us")
row(label, "POST /triage's Assess: texts/s", f"{assess['ops_per_s']:,.0f} (1 thread)")
row(label, "POST /triage's Assess: p50 / p99",
    f"{assess['p50_us']:.1f} / {assess['p99_us']:.1f} us (categories + crisis rules + crisis model)")
for name, label in (("train", f"fastText {version}, train.tsv only"),
                    ("train_lexicon", f"fastText {version}, train.tsv + the same lexicon")):
    f = fasttext[name]
    row(label, "top-1 / top-3 accuracy", f"{pct(f['top1'])} / {pct(f['top3'])}")
    row(label, "training time", f"{f['train_s']:.2f} s (the whole process, categories only)")
    row(label, "model file", f"{f['model_bytes'] / 1e6:.2f} MB (.bin)")
    row(label, "categories of one text: texts/s",
        f"{f['texts_per_s']:,.0f} (1 thread; mean {f['mean_us']:.1f} us, no per-text p50/p99 "
        "from the CLI)")


def width(text):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


header = ("triage classifier", "metric", "value")
widths = [max(width(r[i]) for r in rows + [header]) for i in range(3)]


def line(r):
    return "| " + " | ".join(c + " " * (w - width(c)) for c, w in zip(r, widths)) + " |"


print()
print(line(header))
print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
for r in rows:
    print(line(r))
print()
print(f"split: data/triage/train.tsv ({lines} lines) for training, test.tsv ({tests} lines, "
      "held out) for the accuracy; crisis figures on crisis_test.tsv.")
print("fastText settings: " + " ".join(SETTINGS) + f"; throughput over {REPEAT} x the test "
      "texts, less model loading.")
PY
