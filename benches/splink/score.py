#!/usr/bin/env python3
"""Precision / recall / F1 of predicted pairs against planted duplicates.

    python score.py --truth truth.csv --pairs pairs.csv [--threshold 0.5]

truth.csv: rid_a,rid_b,kind    pairs.csv: rid_l,rid_r,match_probability
Pairs are unordered; pairs below --threshold are ignored. Prints one JSON
object: precision, recall and F1 overall, and per kind the number of planted
pairs, how many were found, and recall.  Precision (hence F1) has no per-kind
value: a false positive is not a planted pair, so it has no kind.
"""
import argparse
import csv
import json
from collections import Counter


def pair(a, b):
    a, b = int(a), int(b)
    return (a, b) if a < b else (b, a)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--truth", required=True)
    ap.add_argument("--pairs", required=True)
    ap.add_argument("--threshold", type=float, default=0.5)
    args = ap.parse_args()

    truth = {}
    with open(args.truth, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            truth[pair(row["rid_a"], row["rid_b"])] = row.get("kind") or "unknown"

    predicted = set()
    with open(args.pairs, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            p = row.get("match_probability")
            if p not in (None, "") and float(p) < args.threshold:
                continue
            predicted.add(pair(row["rid_l"], row["rid_r"]))

    tp = sum(1 for p in predicted if p in truth)
    fp = len(predicted) - tp
    fn = len(truth) - tp
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    per_kind_total = Counter(truth.values())
    per_kind_found = Counter(k for p, k in truth.items() if p in predicted)
    per_kind = {
        k: {"truth": per_kind_total[k], "found": per_kind_found[k],
            "recall": round(per_kind_found[k] / per_kind_total[k], 4)}
        for k in sorted(per_kind_total)
    }
    print(json.dumps({
        "threshold": args.threshold,
        "truth_pairs": len(truth), "predicted_pairs": len(predicted),
        "tp": tp, "fp": fp, "fn": fn,
        "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
        "per_kind": per_kind,
    }, indent=1))


if __name__ == "__main__":
    main()
