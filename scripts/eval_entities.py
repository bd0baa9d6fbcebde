"""Measure the entity index against the hand-annotated documents (issue 18).

    python scripts/eval_entities.py            # P/R per document and overall
    python scripts/eval_entities.py --errors   # also every wrong entry (+) and miss (-)
    python scripts/eval_entities.py --json

Documents absent from this machine (``../shared`` missing) are skipped and listed.
``docs/entities.md`` says how the gold was annotated.
"""

from __future__ import annotations

import argparse
import json
import sys

from redline.eval.entities import evaluate, format_report, overall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list wrong entries and misses")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    scores, skipped = evaluate()
    if args.json:
        out = {"documents": [s.as_dict() for s in scores],
               "overall": overall(scores).as_dict(), "skipped": skipped}
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        print(format_report(scores, skipped, errors=args.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
