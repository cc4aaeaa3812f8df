"""A batch worker's time per brief once it has started (run by run.py).

    python bench/warm.py OUTPUT_FOLDER [ROUNDS]

It does what a ``reportgen batch`` worker does, in one process: the worker's
start-up (``_init_worker`` loads the data), then ``_render_item`` for every
audience x language with both formats. The first round is the start-up's
tail (templates compiled, fonts registered); the rounds after it are timed,
brief by brief. It prints one JSON object: the median, fastest and slowest
time per brief and how many were timed. Nothing is written to disk.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    output = Path(argv[0])
    rounds = int(argv[1]) if len(argv) > 1 else 3
    started = time.perf_counter()
    from reportgen import batch
    from reportgen.files import resources
    from reportgen.pipeline import LANGS, template_folders
    from reportgen.templating.profiles import find_profiles

    batch._init_worker(resources.default_data())
    audiences = tuple(find_profiles(template_folders(None)))
    request = batch.BatchRequest(audiences, LANGS, ("pdf", "docx"), output)
    items = batch.item_requests(request)
    times: list[float] = []
    for round_ in range(rounds + 1):
        for item in items:
            result = batch._render_item(item)
            if result.error:
                print(json.dumps({"error": result.error.splitlines()[0]}))
                return 1
            if round_:  # round 0 is the worker finishing its start-up
                times.append(result.seconds)
        if not round_:
            warmed = time.perf_counter() - started
    print(
        json.dumps(
            {
                "per_brief": statistics.median(times),
                "fastest": min(times),
                "slowest": max(times),
                "timed": len(times),
                "briefs": len(items),
                "startup_and_first_round": warmed,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
