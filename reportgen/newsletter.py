"""The newsletter: one email that leads with the brief's key facts and carries
the brief itself as attachments.

    data -> context -> lead (headline, figures, highlights, spotlight)
         -> text and HTML bodies (templates/newsletter/) -> MIME message -> bytes
         -> .eml / HTML file (atomic) and, when asked, SMTP

The message is built with the standard library (``email.policy.SMTP``): all
headers are 7-bit (RFC 2047 words, RFC 2231 file names) and every body part is
quoted-printable or base64, so any SMTP server takes it as it is. No Click
here: the CLI builds a ``NewsletterRequest`` and ``SmtpSettings``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import mimetypes
import os
import re
import smtplib
import socket
import ssl
import textwrap
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, getaddresses, make_msgid
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from . import formatting as fmt
from .context import Fact
from .errors import OutputError, ReportgenError, TemplateError, UsageError
from .output import check_not_input, write_atomic
from .pipeline import (
    LANG_TAGS,
    Brief,
    BriefRequest,
    output_paths,
    render_brief,
    render_outputs,
    source_timestamp,
    template_folders,
)
from .profiles import DEFAULT_AUDIENCE
from .templating import GuardedSandbox, render, text_filters

# Placeholders from the documentation domain (RFC 2606): a message written
# to a file needs addresses, but nothing should ever be sent to them.
DEFAULT_FROM = "Newsletter <newsletter@example.org>"
DEFAULT_TO = "Readers <readers@example.org>"
DEFAULT_MAX_SIZE = 10 * 1024 * 1024
PASSWORD_ENV = "REPORTGEN_SMTP_PASSWORD"
FORMATS = ("pdf", "docx")

# Explicit types for what reportgen makes: the system's mimetypes table does
# not know .docx everywhere.
KNOWN_TYPES = {
    ".pdf": ("application", "pdf", "PDF"),
    ".docx": (
        "application",
        "vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word",
    ),
}

_SIZE_UNITS = {"": 1, "b": 1, "kb": 1024, "mb": 1024**2, "gb": 1024**3}


class SendError(ReportgenError):
    """Raised when the SMTP server cannot be reached, refuses the login, the
    sender, a recipient or the message, or drops the connection."""


# --------------------------------------------------------------------------
# Requests and results


@dataclass(frozen=True)
class NewsletterRequest:
    """What to build: the CLI's options, resolved."""

    data: Path | None = None
    audience: str = DEFAULT_AUDIENCE
    lang: str = "en"
    templates: Path | None = None
    formats: tuple[str, ...] = ("pdf",)
    attach: tuple[Path, ...] = ()
    sender: str | None = None
    recipients: tuple[str, ...] = ()
    subject: str | None = None


@dataclass(frozen=True)
class Attachment:
    name: str
    payload: bytes
    maintype: str
    subtype: str
    label: str

    @property
    def size(self) -> int:
        return len(self.payload)

    @property
    def mime_type(self) -> str:
        return f"{self.maintype}/{self.subtype}"


@dataclass
class Newsletter:
    """A built message, its serialised bytes and what went into it."""

    message: EmailMessage
    payload: bytes
    text: str
    html: str
    attachments: list[Attachment]
    sender: str
    recipients: list[str]
    stem: str
    inputs: list[Path] = field(default_factory=list)


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

    @property
    def resolved_port(self) -> int:
        if self.port is not None:
            return self.port
        return {"ssl": 465, "starttls": 587}.get(self.security, 25)


# --------------------------------------------------------------------------
# Sizes


def parse_size(text: str) -> int:
    """'10MB', '500 KB', '2048' -> bytes (binary units: 1 MB = 1,048,576)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?[bB]?)\s*", text)
    if not match or match.group(2).lower() not in _SIZE_UNITS:
        raise UsageError(f"--max-size {text!r} is not a size; write e.g. 10MB, 500KB or 2048")
    return int(float(match.group(1)) * _SIZE_UNITS[match.group(2).lower()])


def human_size(size: int, lang: str = "en") -> str:
    """1536 -> '1.5 KB'; binary units, as mail clients show them."""
    if size < 1024:
        return f"{fmt.number(size, lang)} B"
    value = size / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{fmt.number(round(value, 1), lang)} {unit}"
        value /= 1024
    return f"{fmt.number(round(value, 1), lang)} GB"


def check_size(newsletter: Newsletter, max_size: int, force: bool) -> None:
    """Refuse a message over the budget unless forced; warn near it, because
    many servers reject large mail only after the upload."""
    size = len(newsletter.payload)
    if size > max_size:
        text = f"the message is {human_size(size)}, over the budget of {human_size(max_size)}"
        if not force:
            raise UsageError(
                f"{text}; attach fewer or smaller files, raise --max-size, or pass --force"
            )
        warnings.warn(f"{text}; sending anyway (--force)", UserWarning, stacklevel=2)
    elif size > max_size * 0.8:
        warnings.warn(
            f"the message is {human_size(size)}, close to the budget of {human_size(max_size)}",
            UserWarning,
            stacklevel=2,
        )


# --------------------------------------------------------------------------
# Addresses


def parse_addresses(values: tuple[str, ...] | list[str], option: str) -> list[Address]:
    """Addresses as the user wrote them ('Name <a@b.org>', several per value
    allowed). Display names may be any language; the address itself must be
    ASCII because we do not require SMTPUTF8 of the server."""
    found: list[Address] = []
    for name, addr in getaddresses(list(values)):
        if not addr or addr.count("@") != 1 or not addr.isascii() or " " in addr:
            raise UsageError(
                f"{option} {', '.join(values)!r}: not an email address; "
                "write name@example.org or 'Name <name@example.org>' (ASCII address)"
            )
        try:
            found.append(Address(display_name=name, addr_spec=addr))
        except (ValueError, IndexError) as exc:
            raise UsageError(f"{option} {addr!r}: not a valid address ({exc})") from None
    if not found:
        raise UsageError(f"{option}: no address given")
    return found


# --------------------------------------------------------------------------
# Attachments


def _attachment(name: str, payload: bytes) -> Attachment:
    suffix = Path(name).suffix.lower()
    if suffix in KNOWN_TYPES:
        maintype, subtype, label = KNOWN_TYPES[suffix]
        return Attachment(name, payload, maintype, subtype, label)
    guessed, encoding = mimetypes.guess_type(name, strict=False)
    # A compressed file (.tar.gz) must not be labelled as what it unpacks to.
    if guessed is None or encoding is not None or "/" not in guessed:
        guessed = "application/octet-stream"
    maintype, subtype = guessed.split("/", 1)
    return Attachment(name, payload, maintype, subtype, suffix.lstrip(".").upper() or "file")


def read_attachment(path: Path) -> Attachment:
    try:
        payload = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot attach it ({exc.strerror})") from exc
    return _attachment(path.name, payload)


def fresh_attachments(brief: Brief, request: BriefRequest) -> list[Attachment]:
    """The briefs rendered in memory, named as ``reportgen brief`` names them."""
    payloads = render_outputs(brief, request)
    paths = output_paths(request, brief.data)
    return [_attachment(paths[fmt_].name, payloads[fmt_]) for fmt_ in paths]


def _check_unique(attachments: list[Attachment]) -> None:
    seen: set[str] = set()
    for item in attachments:
        if item.name in seen:
            raise UsageError(
                f"two attachments are named {item.name!r}; rename one, "
                "or leave out the fresh brief with --no-brief"
            )
        seen.add(item.name)


# --------------------------------------------------------------------------
# The lead and the bodies


def lead_context(brief: Brief, lang: str, attachments: list[Attachment]) -> dict[str, Any]:
    """The template variables: the brief's whole context, plus the lead."""
    context = dict(brief.context)
    profile = brief.profile
    ranked = context["cases_by_honours"]  # most honours first, data order on a tie
    context.update(
        headline=context["title"],
        key_figures=context["figure_list"][:3],
        highlights=context["policies"][:3],
        spotlight=ranked[0] if ranked else None,
        attachments=attachments,
        brand=profile.brand,
        audience=brief.document.meta.audience,
        audience_label=profile.audience.get(lang),
        edition=brief.data.edition,
        date=brief.document.meta.date,
        lang_tag=LANG_TAGS[lang],
    )
    return context


def _finalize(value: Any) -> Any:
    if isinstance(value, Fact):
        raise jinja2.TemplateRuntimeError(
            f"'{value.path}' is a figure: print it through a filter, e.g. | compact or | figure"
        )
    return "" if value is None else value


def _series(title: Any, lang: str) -> str:
    """A series title with its Chinese original, as plain text."""
    if fmt.is_zh(lang):
        return f"《{title}》"
    original = getattr(title, "zh", "")
    return f"{title} ({original})" if original else str(title)


def _wrap(text: str, width: int, indent: str, lang: str) -> str:
    """Wrap English at spaces; leave Chinese alone, since it has no spaces
    to break at and mail clients wrap it well themselves."""
    if fmt.is_zh(lang):
        return text
    return textwrap.fill(
        text, width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )


def make_environment(folders: list[Path], lang: str) -> SandboxedEnvironment:
    """Templates are user files like the section templates: the same guarded
    sandbox, strict, and HTML-escaped for the .html.j2 ones only (the text
    part is not HTML)."""
    env = GuardedSandbox(
        loader=jinja2.FileSystemLoader([str(f) for f in folders]),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html.j2",), default_for_string=False, default=False
        ),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
    )
    env.filters.update(text_filters(lang))
    env.filters.update(
        join=lambda items, word=None: fmt.join_list([str(i) for i in items], lang, word),
        series=lambda title: _series(title, lang),
        filesize=lambda n: human_size(int(n), lang),
        wrap=lambda text, width=72, indent="": _wrap(str(text), width, indent, lang),
    )
    return env


def _body_template(folders: list[Path], kind: str, lang: str) -> str:
    """A language-specific body (newsletter/zh/email.txt.j2) when a folder
    has one, else the shared one."""
    for candidate in (f"newsletter/{lang}/email.{kind}.j2", f"newsletter/email.{kind}.j2"):
        if any((folder / candidate).is_file() for folder in folders):
            return candidate
    raise TemplateError(f"no template newsletter/email.{kind}.j2 in the templates folders")


# --------------------------------------------------------------------------
# The message


def _digest(headers: dict[str, str], text: str, html: str, attachments: list[Attachment]) -> str:
    """A hash of everything the message says: the source of its Message-ID
    (when reproducible) and of its MIME boundaries, so equal inputs give
    byte-identical .eml files."""
    hasher = hashlib.sha256()
    for key, value in sorted(headers.items()):
        hasher.update(f"{key}\0{value}\0".encode())
    for part in (text, html):
        hasher.update(part.encode("utf-8") + b"\0")
    for item in attachments:
        hasher.update(f"{item.name}\0{item.mime_type}\0".encode())
        hasher.update(hashlib.sha256(item.payload).digest())
    return hasher.hexdigest()


def compose(
    *,
    sender: Address,
    recipients: list[Address],
    subject: str,
    text: str,
    html: str,
    attachments: list[Attachment],
    lang_tag: str,
    timestamp: int,
    reproducible: bool,
) -> EmailMessage:
    """multipart/mixed [ multipart/alternative [ text/plain, text/html ], files... ]"""
    msg = EmailMessage(policy=SMTP)
    date = format_datetime(dt.datetime.fromtimestamp(timestamp, dt.timezone.utc))
    headers = {
        "From": str(sender),
        "To": ", ".join(str(r) for r in recipients),
        "Subject": subject,
        "Date": date,
    }
    digest = _digest(headers, text, html, attachments)
    domain = sender.domain or "reportgen.invalid"
    msg["From"] = sender
    msg["To"] = recipients
    msg["Subject"] = subject
    msg["Date"] = date
    msg["Message-ID"] = f"<{digest[:32]}@{domain}>" if reproducible else make_msgid(domain=domain)
    # Quoted-printable keeps the text readable in the raw message and needs no
    # 8BITMIME support from the server.
    msg.set_content(text, subtype="plain", cte="quoted-printable")
    msg.add_alternative(html, subtype="html", cte="quoted-printable")
    msg.make_mixed()
    for item in attachments:
        msg.add_attachment(
            item.payload, maintype=item.maintype, subtype=item.subtype, filename=item.name
        )
    # Set last: make_mixed() moves every Content-* header into the subpart.
    msg["Content-Language"] = lang_tag
    # "=_" never occurs in quoted-printable or base64 text, so these
    # boundaries cannot collide with a body.
    msg.set_boundary(f"=_mixed_{digest[:24]}")
    msg.get_payload(0).set_boundary(f"=_alt_{digest[:24]}")
    return msg


def _bodies(
    brief: Brief, request: NewsletterRequest, attachments: list[Attachment]
) -> tuple[str, str, str]:
    """The subject, the text body and the HTML body."""
    folders = template_folders(request.templates)
    env = make_environment(folders, request.lang)
    context = lead_context(brief, request.lang, attachments)
    # One line: a line break in a header would end it (or inject another).
    subject = " ".join((request.subject or str(context["headline"])).split())
    if not subject:
        raise UsageError("--subject: the subject is empty")
    context["subject"] = subject
    text = render(env, _body_template(folders, "txt", request.lang), context, brief.state)
    html = render(env, _body_template(folders, "html", request.lang), context, brief.state)
    return subject, text, html


def build_newsletter(request: NewsletterRequest) -> Newsletter:
    """Render the briefs, the lead and the message; nothing touches the disk
    except reading the inputs."""
    unknown = [f for f in request.formats if f not in FORMATS]
    if unknown:
        raise UsageError(f"unknown attachment format {unknown[0]!r}; known: {', '.join(FORMATS)}")
    # Addresses first: a typo there should not cost a brief's rendering.
    sender = parse_addresses([request.sender or DEFAULT_FROM], "--from")
    if len(sender) != 1:
        raise UsageError("--from: give exactly one address")
    recipients = parse_addresses(list(request.recipients) or [DEFAULT_TO], "--to")
    brief_request = BriefRequest(
        data=request.data,
        audience=request.audience,
        lang=request.lang,
        templates=request.templates,
        formats=tuple(dict.fromkeys(request.formats)),
    )
    brief = render_brief(brief_request)
    attachments = fresh_attachments(brief, brief_request) if request.formats else []
    attachments += [read_attachment(path) for path in request.attach]
    _check_unique(attachments)

    subject, text, html = _bodies(brief, request, attachments)
    message = compose(
        sender=sender[0],
        recipients=recipients,
        subject=subject,
        text=text,
        html=html,
        attachments=attachments,
        lang_tag=LANG_TAGS[request.lang],
        timestamp=source_timestamp(),
        reproducible="SOURCE_DATE_EPOCH" in os.environ,
    )
    return Newsletter(
        message=message,
        payload=message.as_bytes(policy=SMTP),
        text=text,
        html=html,
        attachments=attachments,
        sender=sender[0].addr_spec,
        recipients=[r.addr_spec for r in recipients],
        stem=f"{brief.data.slug}-{request.audience}-{request.lang}",
        inputs=[*brief.inputs, *request.attach],
    )


def write_outputs(newsletter: Newsletter, eml: Path | None, html: Path | None) -> list[Path]:
    """Write the .eml and the HTML body; refuse to overwrite an input."""
    targets = [(path, data) for path, data in ((eml, newsletter.payload), (html, None)) if path]
    if eml is not None and html is not None and eml.resolve() == html.resolve():
        raise OutputError(f"{eml}: the .eml and --html cannot be the same file")
    for path, _ in targets:
        check_not_input(path, newsletter.inputs)
    written = []
    for path, data in targets:
        write_atomic(path, data if data is not None else newsletter.html.encode("utf-8"))
        written.append(path)
    return written


# --------------------------------------------------------------------------
# Sending


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    host, port = settings.host, settings.resolved_port
    context = ssl.create_default_context()
    if settings.security == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            host, port, timeout=settings.timeout, context=context
        )
    else:
        client = smtplib.SMTP(host, port, timeout=settings.timeout)
    try:
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
    """One connection, one transaction; the recipients it refused."""
    client = _connect(settings)
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
            f"({_reply(exc.smtp_code, exc.smtp_error)}); check --smtp-user and {PASSWORD_ENV}"
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError) or (
        isinstance(exc, smtplib.SMTPException) and "not supported" in str(exc)
    ):
        return f"the SMTP server {where_} does not support this: {exc}"
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return (
            f"the SMTP server {where_} refused the sender ({_reply(exc.smtp_code, exc.smtp_error)})"
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


def send_newsletter(
    newsletter: Newsletter,
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
    pending = list(newsletter.recipients)
    delivered: list[str] = []
    failed: dict[str, str] = {}
    for attempt in range(1, settings.attempts + 1):
        try:
            refused = _deliver_once(newsletter.payload, newsletter.sender, pending, settings)
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
