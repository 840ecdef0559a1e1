#!/usr/bin/env python3
"""Prints Markdown tables from a `sluice replay --json` result (stdin), for docs/accuracy.md:

    sluice replay --json corpora/pii/*.jsonl | python3 corpora/accuracy_tables.py
"""

import json
import sys


def entity_table(result, targets=None):
    rows = ["| entity | gold | TP | FP | FN | precision | recall | F1 | exact boundaries |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for kind, c in sorted(result["entities"].items()):
        rows.append("| %s | %d | %d | %d | %d | %.3f | %.3f | %.3f | %.3f |" % (
            kind, c["gold"], c["tp"], c["fp"], c["fn"], c["precision"], c["recall"], c["f1"], c["exact_rate"]))
    t = result["entities_total"]
    rows.append("| **all (micro)** | %d | %d | %d | %d | %.3f | %.3f | %.3f | %.3f |" % (
        t["gold"], t["tp"], t["fp"], t["fn"], t["precision"], t["recall"], t["f1"], t["exact_rate"]))
    out = "\n".join(rows) + "\n"
    if result["not_in_catalog"]:
        out += "\nLabelled but produced by no rule (not scored): " + ", ".join(
            "%s %d" % kv for kv in sorted(result["not_in_catalog"].items())) + ".\n"
    if result["unlabelled_predictions"]:
        out += "\nPredicted types the file never labels (not scored): " + ", ".join(
            "%s %d" % kv for kv in sorted(result["unlabelled_predictions"].items())) + ".\n"
    return out


def rate_table(title, rate_name, rates):
    rows = ["| %s | lines | flagged | %s |" % (title, rate_name), "|---|---:|---:|---:|"]
    for name, c in sorted(rates.items()):
        rows.append("| %s | %d | %d | %.3f |" % (name, c["lines"], c["flagged"], c["rate"]))
    return "\n".join(rows) + "\n"


def injection_tables(result):
    inj = result["injection"]
    if inj["attacks"] + inj["benign"] == 0:
        return ""
    out = "At threshold %.2f: TPR **%.3f** (%d/%d attacks), FPR **%.3f** (%d/%d benign lines).\n\n" % (
        inj["threshold"], inj["tpr"], inj["attacks_flagged"], inj["attacks"], inj["fpr"], inj["benign_flagged"],
        inj["benign"])
    if inj["attack_categories"]:
        out += rate_table("attack category", "TPR", inj["attack_categories"]) + "\n"
    if len(inj["attack_languages"]) > 1:
        out += rate_table("attack language", "TPR", inj["attack_languages"]) + "\n"
    if inj["benign_categories"]:
        out += rate_table("benign category", "FPR", inj["benign_categories"]) + "\n"
    out += "| threshold | " + " | ".join("%.2f" % p["threshold"] for p in inj["roc"][::2]) + " |\n"
    out += "|---|" + "---:|" * len(inj["roc"][::2]) + "\n"
    out += "| TPR | " + " | ".join("%.3f" % p["tpr"] for p in inj["roc"][::2]) + " |\n"
    out += "| FPR | " + " | ".join("%.3f" % p["fpr"] for p in inj["roc"][::2]) + " |\n"
    best = inj["best_at_fpr_budget"]
    out += "\nLowest threshold with FPR ≤ %.2f: %.2f (TPR %.3f, FPR %.3f).\n" % (
        best["fpr_budget"], best["threshold"], best["tpr"], best["fpr"])
    return out


def main():
    result = json.load(sys.stdin)
    if result["entities"]:
        sys.stdout.write(entity_table(result))
    sys.stdout.write(injection_tables(result))


if __name__ == "__main__":
    main()
