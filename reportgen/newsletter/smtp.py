"""Sending mail over SMTP: connection, TLS, login, retries with back-off on
temporary (4xx) failures, and one clear message for everything else.

Standard library only; the CLI imports it when the command runs.
"""

from __future__ import annotations

import ipaddress
import re
import smtplib
import socket
import ssl
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..errors import ReportgenError, UsageError

# Placeholders from the documentation domain (RFC 2606): a message written
# to a file needs addresses, but nothing should ever be sent to them.
DEFAULT_FROM = "Newsletter <newsletter@example.org>"
DEFAULT_TO = "Readers <readers@example.org>"


_SIZE_UNITS = {"": 1, "b": 1, "kb": 1024, "mb": 1024**2, "gb": 1024**3}


def parse_size(text: str) -> int:
    """'10MB', '500 KB', '2048' -> bytes (binary units: 1 MB = 1,048,576)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?[bB]?)\s*", text)
    if not match or match.group(2).lower() not in _SIZE_UNITS:
        raise UsageError(f"--max-size {text!r} is not a size; write e.g. 10MB, 500KB or 2048")
    return int(float(match.group(1)) * _SIZE_UNITS[match.group(2).lower()])


class SendError(ReportgenError):
    """Raised when the SMTP server cannot be reached, refuses the login, the
    sender, a recipient or the message, or drops the connection."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "localhost"
    port: int | None = None
    security: str = "none"  # "none", "starttls" or "ssl"
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # never printed
    timeout: float = 30.0
    attempts: int = 4
    backoff: float = 1.0
    deadline: float = 300.0  # seconds for a whole exchange (REPORTGEN_MAX_SMTP_SECONDS)

    @property
    def resolved_port(self) -> int:
        if self.port is not None:
            return self.port
        return {"ssl": 465, "starttls": 587}.get(self.security, 25)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class DeadlinePassed(TimeoutError):
    """The whole SMTP exchange ran past its deadline."""


_DEADLINE_TEXT = "the deadline of the exchange passed"


class _DeadlineFile:
    """The reply stream of an SMTP connection, read against one deadline:
    each line may take at most the per-step timeout and at most what is
    left of the exchange. A server that sends a continuation line every
    half second would otherwise hold the client forever, because every
    single read finishes well within its timeout."""

    def __init__(self, sock: socket.socket, timeout: float, deadline: float) -> None:
        self.sock, self.timeout, self.deadline = sock, timeout, deadline
        self.stream = sock.makefile("rb")

    def readline(self, size: int = -1) -> bytes:
        left = self.deadline - time.monotonic()
        if left <= 0:
            # smtplib turns any OSError here into SMTPServerDisconnected,
            # keeping only the text: the text says what happened
            raise DeadlinePassed(_DEADLINE_TEXT)
        self.sock.settimeout(min(self.timeout, left))
        try:
            return bytes(self.stream.readline(size))
        except TimeoutError:
            if left < self.timeout:  # it was the deadline, not the server's pause
                raise DeadlinePassed(_DEADLINE_TEXT) from None
            raise

    def close(self) -> None:
        self.stream.close()


class _DeadlineMixin(smtplib.SMTP):
    """Reads every reply through ``_DeadlineFile``; ``deadline`` is set
    before connecting (the greeting counts too)."""

    deadline: float = float("inf")
    #: the host TLS checks the certificate against; set by ``SMTP.__init__``
    #: and by ``_connect``, private to smtplib and so absent from its stubs
    _host: str

    def getreply(self) -> tuple[int, bytes]:
        if self.file is None and self.sock is not None:
            self.file = _DeadlineFile(self.sock, self.timeout, self.deadline)
        return super().getreply()


class _SMTP(_DeadlineMixin, smtplib.SMTP):
    pass


class _SMTP_SSL(_DeadlineMixin, smtplib.SMTP_SSL):
    pass


def _connect(settings: SmtpSettings, deadline: float) -> smtplib.SMTP:
    host, port = settings.host, settings.resolved_port
    context = ssl.create_default_context()
    client: _DeadlineMixin
    if settings.security == "ssl":
        client = _SMTP_SSL(timeout=settings.timeout, context=context)
    else:
        client = _SMTP(timeout=settings.timeout)
    client.deadline = deadline
    client._host = host  # what TLS checks the certificate against, as __init__ would set
    try:
        code, greeting = client.connect(host, port)
        if code != 220:  # what smtplib checks when it connects in __init__
            raise smtplib.SMTPConnectError(code, greeting)
        client.ehlo_or_helo_if_needed()
        if settings.security == "starttls":
            client.starttls(context=context)
            client.ehlo()
        if settings.user:
            client.login(settings.user, settings.password or "")
    except BaseException:
        _close(client)
        raise
    return client


def _close(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


def _deliver_once(
    payload: bytes, sender: str, recipients: list[str], settings: SmtpSettings
) -> dict[str, tuple[int, bytes]]:
    """One connection, one transaction, within one deadline; the
    recipients it refused."""
    deadline = time.monotonic() + settings.deadline
    client = _connect(settings, deadline)
    try:
        try:
            refused = client.sendmail(sender, recipients, payload)
        except smtplib.SMTPRecipientsRefused as exc:
            refused = exc.recipients
    finally:
        _close(client)
    return dict(refused)


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}".strip()


def _temporary(code: int) -> bool:
    return 400 <= code < 500


def _explain(exc: BaseException, settings: SmtpSettings) -> str:
    """One clear sentence for a failure; never includes the password."""
    where_ = f"{settings.host}:{settings.resolved_port}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return (
            f"the SMTP server {where_} refused the login of {settings.user!r} "
            f"({_reply(exc.smtp_code, exc.smtp_error)}); check --smtp-user and the password"
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError) or (
        isinstance(exc, smtplib.SMTPException) and "not supported" in str(exc)
    ):
        return f"the SMTP server {where_} does not support this: {exc}"
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return (
            f"the SMTP server {where_} refused the sender ({_reply(exc.smtp_code, exc.smtp_error)})"
        )
    if isinstance(exc, DeadlinePassed) or _DEADLINE_TEXT in str(exc):
        return (
            f"the SMTP server {where_} did not finish within {settings.deadline:g} s in all; "
            "try again later (or raise REPORTGEN_MAX_SMTP_SECONDS)"
        )
    if isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code == -1:
        answer = _reply(0, exc.smtp_error).removeprefix("0 ")[:80]
        return (
            f"{where_} does not speak SMTP (it answered {answer!r}); check --smtp-host "
            "and --smtp-port"
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected) and "timed out" in str(exc):
        # smtplib reports a read timeout as a disconnection
        return f"the SMTP server {where_} did not answer within {settings.timeout:g} s"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return (
            f"the SMTP server {where_} closed the connection unexpectedly; check the port "
            "and whether it needs --ssl or --starttls"
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        reply = _reply(exc.smtp_code, exc.smtp_error)
        return f"the SMTP server {where_} refused the message ({reply})"
    if isinstance(exc, ssl.SSLError):
        return (
            f"TLS with {where_} failed ({exc.reason or exc}); check the port and "
            "whether the server wants --ssl (port 465) or --starttls (port 587)"
        )
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return f"the SMTP server {where_} did not answer within {settings.timeout:g} s"
    if isinstance(exc, socket.gaierror):
        return f"cannot find the SMTP server {settings.host!r} ({exc.strerror}); check --smtp-host"
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        return (
            f"cannot reach the SMTP server {where_} ({reason}); check --smtp-host and --smtp-port"
        )
    return f"sending through {where_} failed: {exc}"


def send_message(
    payload: bytes,
    sender: str,
    recipients: list[str],
    settings: SmtpSettings,
    notify: Callable[[str], None] = lambda _: None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[str]:
    """Deliver the message; returns the recipients that accepted it.

    Temporary failures (4xx) are retried with doubling delays, only for the
    recipients they concern, so nobody gets the message twice. Anything
    permanent, or retries running out, raises SendError.
    """
    if settings.user and settings.security == "none" and not _is_loopback(settings.host):
        warnings.warn(
            "logging in without TLS sends the password unencrypted; use --starttls or --ssl",
            UserWarning,
            stacklevel=2,
        )
    pending = list(recipients)
    delivered: list[str] = []
    failed: dict[str, str] = {}
    for attempt in range(1, settings.attempts + 1):
        refused: Mapping[str, tuple[int, bytes | str]]
        try:
            refused = _deliver_once(payload, sender, pending, settings)
        except smtplib.SMTPResponseException as exc:
            if not _temporary(exc.smtp_code) or attempt == settings.attempts:
                raise SendError(_explain(exc, settings)) from None
            refused = {r: (exc.smtp_code, exc.smtp_error) for r in pending}
        except (smtplib.SMTPException, OSError) as exc:
            raise SendError(_explain(exc, settings)) from None
        delivered += [r for r in pending if r not in refused]
        pending = [r for r, (code, _) in refused.items() if _temporary(code)]
        failed.update({r: _reply(c, t) for r, (c, t) in refused.items() if not _temporary(c)})
        if not pending or attempt == settings.attempts:
            break
        delay = settings.backoff * 2 ** (attempt - 1)
        reasons = "; ".join(sorted({_reply(*refused[r]) for r in pending}))
        notify(f"temporary failure ({reasons}); retrying in {delay:g} s")
        sleep(delay)
    failed.update(
        {r: f"{_reply(*refused[r])}, still after {settings.attempts} tries" for r in pending}
    )
    if failed:
        refused_text = "; ".join(f"{r}: {why}" for r, why in failed.items())
        got = f"; delivered to {', '.join(delivered)}" if delivered else ""
        raise SendError(f"the SMTP server did not accept the message for {refused_text}{got}")
    return delivered
