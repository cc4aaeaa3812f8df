"""Limits that protect the machine from hostile or broken input.

Each has a default that no honest brief comes near and can be raised with an
environment variable, for the rare organisation that needs more. Every value
is also capped from above: a limit too large for the machinery that enforces
it (a timer of 10^11 seconds overflows ``setitimer``) is a usage error, not a
traceback.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import UsageError

#: the largest value any limit may be raised to (about 10^15: bytes of a
#: petabyte, or 31 million years of seconds; setitimer takes far more)
_CEILING = 10**15
#: timers run on ``setitimer``, which refuses values past about 10^8 s
_SECONDS_CEILING = 10**7


def _env_int(name: str, default: int, ceiling: int = _CEILING) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    text = raw.strip()
    # checked before int(): Python refuses to convert over 4,300 digits
    if not text.isdigit() or len(text) > len(str(ceiling)):
        if text.lstrip("+-").isdigit() and not text.startswith("-"):
            raise UsageError(f"{name}={raw[:40]!r} is too large; use at most {ceiling:,}")
        raise UsageError(f"{name}={raw[:40]!r} must be a positive whole number, e.g. {default}")
    value = int(text)
    if value <= 0:
        raise UsageError(f"{name}={raw!r} must be positive, e.g. {default}")
    if value > ceiling:
        raise UsageError(f"{name}={raw!r} is too large; use at most {ceiling:,}")
    return value


#: name -> (environment variable, default, ceiling); the README lists them
SETTINGS: dict[str, tuple[str, int, int]] = {
    "data_bytes": ("REPORTGEN_MAX_DATA_BYTES", 10 * 1024**2, _CEILING),
    "values": ("REPORTGEN_MAX_VALUES", 1_000_000, _CEILING),
    "render_seconds": ("REPORTGEN_MAX_RENDER_SECONDS", 20, _SECONDS_CEILING),
    "section_chars": ("REPORTGEN_MAX_SECTION_CHARS", 2_000_000, _CEILING),
    "string_chars": ("REPORTGEN_MAX_STRING_CHARS", 2_000_000, _CEILING),
    "template_depth": ("REPORTGEN_MAX_TEMPLATE_DEPTH", 50, 500),
    "template_bytes": ("REPORTGEN_MAX_TEMPLATE_BYTES", 1024**2, _CEILING),
    "logo_bytes": ("REPORTGEN_MAX_LOGO_BYTES", 5 * 1024**2, _CEILING),
    "logo_pixels": ("REPORTGEN_MAX_LOGO_PIXELS", 40_000_000, _CEILING),
    "font_bytes": ("REPORTGEN_MAX_FONT_BYTES", 100 * 1024**2, _CEILING),
    "docx_bytes": ("REPORTGEN_MAX_DOCX_BYTES", 20 * 1024**2, _CEILING),
    "unzipped_bytes": ("REPORTGEN_MAX_UNZIPPED_BYTES", 100 * 1024**2, _CEILING),
    "attachment_bytes": ("REPORTGEN_MAX_ATTACHMENT_BYTES", 50 * 1024**2, _CEILING),
    "table_rows": ("REPORTGEN_MAX_TABLE_ROWS", 10_000, _CEILING),
    "table_columns": ("REPORTGEN_MAX_TABLE_COLUMNS", 200, _CEILING),
    "cell_chars": ("REPORTGEN_MAX_CELL_CHARS", 32_767, _CEILING),
    "word_chars": ("REPORTGEN_MAX_WORD_CHARS", 5_000, _CEILING),
    "layout_seconds": ("REPORTGEN_MAX_LAYOUT_SECONDS", 120, _SECONDS_CEILING),
    "smtp_seconds": ("REPORTGEN_MAX_SMTP_SECONDS", 300, _SECONDS_CEILING),
}


@dataclass(frozen=True)
class Limits:
    data_bytes: int  # the largest data file (YAML, CSV, workbook, source text) read
    values: int  # the most values a data file may expand to
    render_seconds: int  # the longest one section may take to render
    section_chars: int  # the most characters one section may render to
    string_chars: int  # the longest string a template may build
    template_depth: int  # the deepest nesting of macro calls, includes, extends, imports
    template_bytes: int  # the largest template file
    logo_bytes: int  # the largest logo file
    logo_pixels: int  # the most pixels (width x height) of a logo
    font_bytes: int  # the largest font file
    docx_bytes: int  # the largest reference .docx
    unzipped_bytes: int  # the most a .docx or .xlsx may declare it unpacks to
    attachment_bytes: int  # the largest file attached to a newsletter
    table_rows: int  # the most non-empty rows of a cases table
    table_columns: int  # the most columns of a cases table
    cell_chars: int  # the longest cell of a cases table (Excel's own limit)
    word_chars: int  # the longest unbreakable run of text a brief may lay out
    layout_seconds: int  # the longest one writer may take to lay out a brief
    smtp_seconds: int  # the longest one SMTP exchange may take in all


def current() -> Limits:
    """The limits in force, read from the environment each time."""
    return Limits(
        **{key: _env_int(env, default, top) for key, (env, default, top) in SETTINGS.items()}
    )


class TimeBudgetExceeded(Exception):
    """Raised inside code that ran past its time budget."""


@contextlib.contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` with TimeBudgetExceeded.

    Uses a real-time timer signal, so it can stop a template loop that
    prints nothing; where signals are unavailable (a thread other than the
    main one, or Windows) the block runs unbounded. An enclosing budget
    stays in force: the inner one never extends it.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return
    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    if outer_left and outer_left < seconds:
        yield  # the outer budget ends first and is already armed
        return

    def expire(signum: int, frame: object) -> None:
        raise TimeBudgetExceeded

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left:
            # re-arm the outer budget for what remains of it
            remaining = outer_left - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(remaining, 0.001))
