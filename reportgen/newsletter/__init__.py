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
import mimetypes
import os
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

from ..errors import OutputError, TemplateError, UsageError
from ..files import limits
from ..files.safe_io import read_bounded
from ..pipeline import (
    Brief,
    BriefRequest,
    output_paths,
    render_brief,
    render_outputs,
    template_folders,
)
from ..pipeline.metadata import LANG_TAGS, source_timestamp
from ..pipeline.output import check_not_input, stem, write_files
from ..templating.environment import Escaping, localised, make_environment, render
from ..templating.profiles import DEFAULT_AUDIENCE
from ..text.formatting import human_size
from ..writers import formats as registry
from .smtp import (
    DEFAULT_FROM,
    DEFAULT_TO,
    SendError,
    SmtpSettings,
    parse_size,
    send_message,
)

__all__ = [
    "DEFAULT_FROM",
    "DEFAULT_TO",
    "SendError",
    "SmtpSettings",
    "human_size",
    "parse_size",
    "send_newsletter",
]

DEFAULT_MAX_SIZE = 10 * 1024 * 1024


# --------------------------------------------------------------------------
# Requests and results


@dataclass(frozen=True)
class NewsletterRequest:
    """What to build: the CLI's options, resolved."""

    data: Path | None = None
    audience: str = DEFAULT_AUDIENCE
    lang: str = "en"
    templates: Path | None = None
    formats: tuple[str, ...] = (registry.DEFAULT,)
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


def send_newsletter(
    newsletter: Newsletter,
    settings: SmtpSettings,
    notify: Callable[[str], None] = lambda _: None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[str]:
    """Deliver ``newsletter``; returns the recipients that accepted it."""
    return send_message(
        newsletter.payload, newsletter.sender, newsletter.recipients, settings, notify, sleep
    )


# --------------------------------------------------------------------------
# Sizes


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
    # the registry's types for what reportgen makes: the system's mimetypes
    # table does not know .docx everywhere
    known = registry.by_extension(suffix)
    if known is not None:
        return Attachment(name, payload, known.maintype, known.subtype, known.label)
    guessed, encoding = mimetypes.guess_type(name, strict=False)
    # A compressed file (.tar.gz) must not be labelled as what it unpacks to.
    if guessed is None or encoding is not None or "/" not in guessed:
        guessed = "application/octet-stream"
    maintype, subtype = guessed.split("/", 1)
    return Attachment(name, payload, maintype, subtype, suffix.lstrip(".").upper() or "file")


def read_attachment(path: Path) -> Attachment:
    """A file to attach: a regular file only (a FIFO would block, /dev/zero
    never ends), read no further than the attachment limit."""
    payload = read_bounded(
        path,
        limits.current().attachment_bytes,
        "the attachment",
        "REPORTGEN_MAX_ATTACHMENT_BYTES",
        lambda message: UsageError(f"{path}: {message}"),
    )
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
        key_figures=context["key_figures"],
        highlights=context["key_messages"][:3],
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
    alternative = next(msg.iter_parts())  # the first part: text and HTML
    alternative.set_boundary(f"=_alt_{digest[:24]}")
    return msg


def _bodies(
    brief: Brief, request: NewsletterRequest, attachments: list[Attachment]
) -> tuple[str, str, str]:
    """The subject, the text body and the HTML body."""
    folders = template_folders(request.templates)
    context = lead_context(brief, request.lang, attachments)
    # One line: a line break in a header would end it (or inject another).
    subject = " ".join((request.subject or str(context["headline"])).split())
    if not subject:
        raise UsageError("--subject: the subject is empty")
    context["subject"] = subject
    text, html = (_body(folders, kind, request.lang, context, brief) for kind in ("txt", "html"))
    return subject, text, html


def _body(folders: list[Path], kind: str, lang: str, context: dict[str, Any], brief: Brief) -> str:
    """One body: ``email.txt.j2`` as plain text, ``email.html.j2`` with
    every printed value HTML-escaped; a language's own template first."""
    escaping: Escaping = "html" if kind == "html" else "plain"
    env = make_environment(folders, lang, {}, escaping)
    missing = TemplateError(f"no template newsletter/email.{kind}.j2 in the templates folders")
    names = localised("newsletter", f"email.{kind}.j2", lang)
    return render(env, names, context, brief.state, missing)


def build_newsletter(request: NewsletterRequest) -> Newsletter:
    """Render the briefs, the lead and the message; nothing touches the disk
    except reading the inputs."""
    unknown = [f for f in request.formats if f not in registry.ATTACHABLE]
    if unknown:
        known = ", ".join(registry.ATTACHABLE)
        raise UsageError(f"unknown attachment format {unknown[0]!r}; known: {known}")
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
        stem=stem(brief.data.slug, request.audience, request.lang),
        inputs=[*brief.inputs, *request.attach],
    )


def write_outputs(newsletter: Newsletter, eml: Path | None, html: Path | None) -> list[Path]:
    """Write the .eml and the HTML body; refuse to overwrite an input."""
    targets = [(path, data) for path, data in ((eml, newsletter.payload), (html, None)) if path]
    if eml is not None and html is not None and eml.resolve() == html.resolve():
        raise OutputError(f"{eml}: the .eml and --html cannot be the same file")
    for path, _ in targets:
        check_not_input(path, newsletter.inputs)
    html_bytes = newsletter.html.encode("utf-8")
    # all or nothing: both targets are checked before either is written
    write_files({path: data if data is not None else html_bytes for path, data in targets})
    return [path for path, _ in targets]
