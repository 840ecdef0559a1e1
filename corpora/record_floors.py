#!/usr/bin/env python3
"""Turns a `sluice replay --json` result (stdin) into corpora/floors.json (stdout): each measured entity's
precision and recall, rounded down and lowered by a margin, become its floors; the injection true- and
false-positive rates likewise. Floors are a regression guard for CI, not a target: record them from a
measured run after a deliberate change, and say why in the commit.

    sluice replay --json --threshold 0.5 corpora/pii/*.jsonl corpora/injection/*.jsonl \\
        | python3 corpora/record_floors.py > corpora/floors.json
"""

import json
import math
import sys

MARGIN = 0.02


def down(value):
    return max(0.0, math.floor((value - MARGIN) * 100) / 100)


def main():
    result = json.load(sys.stdin)
    floors = {"entities": {}, "injection": {}}
    for kind, c in sorted(result["entities"].items()):
        if c["gold"] == 0 or c["tp"] == 0:
            continue  # nothing found yet: no floor to guard
        floors["entities"][kind] = {"precision": down(c["precision"]), "recall": down(c["recall"])}
    inj = result["injection"]
    if inj["attacks"] > 0 and inj["attacks_flagged"] > 0:
        floors["injection"] = {
            "threshold": inj["threshold"],
            "tpr_min": down(inj["tpr"]),
            "fpr_max": min(1.0, math.ceil((inj["fpr"] + MARGIN) * 100) / 100),
        }
    json.dump(floors, sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
