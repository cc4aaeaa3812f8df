"""Limits that protect the machine from hostile or broken input.

Each has a default that no honest brief comes near and can be raised with an
environment variable, for the rare organisation that needs more.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import UsageError


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise UsageError(f"{name}={raw!r} is not a whole number") from None
    if value <= 0:
        raise UsageError(f"{name}={raw!r} must be positive")
    return value


@dataclass(frozen=True)
class Limits:
    data_bytes: int  # the largest data file read
    values: int  # the most values a data file may expand to
    render_seconds: int  # the longest one section may take to render
    section_chars: int  # the most characters one section may render to
    logo_bytes: int  # the largest logo file
    logo_pixels: int  # the most pixels (width x height) of a logo


def current() -> Limits:
    """The limits in force, read from the environment each time."""
    return Limits(
        data_bytes=_env_int("REPORTGEN_MAX_DATA_BYTES", 10 * 1024 * 1024),
        values=_env_int("REPORTGEN_MAX_VALUES", 1_000_000),
        render_seconds=_env_int("REPORTGEN_MAX_RENDER_SECONDS", 20),
        section_chars=_env_int("REPORTGEN_MAX_SECTION_CHARS", 2_000_000),
        logo_bytes=_env_int("REPORTGEN_MAX_LOGO_BYTES", 5 * 1024 * 1024),
        logo_pixels=_env_int("REPORTGEN_MAX_LOGO_PIXELS", 40_000_000),
    )


class TimeBudgetExceeded(Exception):
    """Raised inside code that ran past its time budget."""


@contextlib.contextmanager
def time_budget(seconds: int) -> Iterator[None]:
    """Interrupt the block after ``seconds`` with TimeBudgetExceeded.

    Uses a real-time timer signal, so it can stop a template loop that
    prints nothing; where signals are unavailable (a thread other than the
    main one, or Windows) the block runs unbounded.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimeBudgetExceeded

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
