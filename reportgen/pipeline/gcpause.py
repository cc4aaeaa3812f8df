"""The cyclic garbage collector paused while one brief is made.

CPython's collector runs after every few hundred new container objects,
and each run of its oldest generation walks every live object. A brief
holds its data, tokens, model and layout alive until it is written, so
the collector finds almost nothing yet walks millions of objects again
and again: at 10,000 cases it took about half the run (measured with
``bench/run.py``'s synthetic data: ``-f md`` 9.3 s -> 4.9 s, ``-f pdf``
22.7 s -> 15.2 s, peak memory 337 -> 369 MB). Most of what a brief
discards is freed by reference counting at once; the few reference cycles
(Platypus flowables and their frames) wait until the collector is back
on after the brief, which a batch worker reaches after every brief.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Run the block with the collector off; it is on again afterwards if
    it was on before (a caller that turned it off keeps it off)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
