"""``reportgen newsletter``: options in, one message out (a file, an SMTP
server, or both). The logic lives in ``reportgen.newsletter``."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from ..errors import UsageError
from ..files import limits
from ..writers import formats as registry
from .options import audience_option, data_option, lang_option, templates_option

#: where the CLI reads the SMTP password: never an option (shell history)
PASSWORD_ENV = "REPORTGEN_SMTP_PASSWORD"


def _password(user: str | None) -> str | None:
    """From the environment, else a hidden prompt: never an option, so it
    never shows in the shell history or the process list."""
    if not user:
        return None
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env is not None:
        return from_env
    if not _has_terminal():
        raise UsageError(f"no terminal to ask the SMTP password of {user!r} on; set {PASSWORD_ENV}")
    try:
        return str(click.prompt(f"SMTP password for {user}", hide_input=True, err=True))
    except click.Abort:  # Ctrl-C or end of input at the prompt
        raise KeyboardInterrupt from None


def _has_terminal() -> bool:
    """Whether a prompt can be answered: without a terminal (cron, CI) a
    prompt would read the password from whatever stdin holds, or hang."""
    return sys.stdin.isatty()


def _check_header_values(
    sender: str | None, recipients: tuple[str, ...], subject: str | None
) -> None:
    """A CR or LF in an address or the subject would start a new header
    or SMTP command (``--to 'a@x\r\nRCPT TO:<victim@y>'``): refuse it."""
    values = [("--from", sender), ("--subject", subject)]
    values += [("--to", r) for r in recipients]
    for option, value in values:
        if value and ("\r" in value or "\n" in value):
            raise UsageError(
                f"{option} {value.splitlines()[0][:60]!r}...: holds a line break; "
                "give one address (or subject) on one line"
            )


def _security(starttls: bool, use_ssl: bool) -> str:
    if starttls and use_ssl:
        raise UsageError("--starttls and --ssl exclude each other; pick the one the server uses")
    return "starttls" if starttls else "ssl" if use_ssl else "none"


@click.command()
@audience_option
@lang_option
@data_option
@templates_option
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(registry.ATTACHABLE),
    help=f"Attach a fresh brief in this format; repeat for several. [default: {registry.DEFAULT}]",
)
@click.option("--no-brief", is_flag=True, help="Attach no fresh brief, only --attach files.")
@click.option(
    "--attach",
    "attach",
    multiple=True,
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Attach an existing file; repeat for several.",
)
@click.option(
    "--from",
    "sender",
    default=None,
    help="Sender address. [default: a placeholder at example.org]",
)
@click.option(
    "--to",
    "recipients",
    multiple=True,
    help="Recipient address; repeat for several. [default: a placeholder at example.org]",
)
@click.option("--subject", default=None, help="Subject. [default: the data's title]")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Write the message here (.eml). [default: out/<slug>-<audience>-<lang>.eml "
    "unless sending]",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Also write the HTML body alone, for a newsletter platform.",
)
@click.option(
    "--max-size",
    default="10MB",
    show_default=True,
    help="Size budget for the whole message, e.g. 10MB, 500KB.",
)
@click.option("--force", is_flag=True, help="Build and send a message over the size budget.")
@click.option("--send", is_flag=True, help="Send the message by SMTP.")
@click.option("--smtp-host", default="localhost", show_default=True, help="SMTP server.")
@click.option(
    "--smtp-port",
    type=int,
    default=None,
    help="SMTP port. [default: 465 with --ssl, 587 with --starttls, else 25]",
)
@click.option("--starttls", is_flag=True, help="Upgrade the connection with STARTTLS.")
@click.option("--ssl", "use_ssl", is_flag=True, help="Connect with TLS from the start.")
@click.option(
    "--smtp-user",
    default=None,
    help=f"Log in as this user; the password comes from ${PASSWORD_ENV} or a prompt.",
)
@click.option(
    "--smtp-timeout",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="Seconds to wait for the server at each step.",
)
@click.option(
    "--retries",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="Retries after a temporary (4xx) failure, with doubling delays from 1 s.",
)
def newsletter(**options: Any) -> None:
    """Build a newsletter email: a lead made from the data (headline, key
    figures, highlights, a case spotlight) with the brief attached. Writes
    it as .eml, and sends it with --send. Prints each file written."""
    run(Options(**options))


@dataclass(frozen=True)
class Options:
    """The command's options, typed (Click passes them by these names)."""

    audience: str
    lang: str
    data: Path | None
    templates: Path | None
    formats: tuple[str, ...]
    no_brief: bool
    attach: tuple[Path, ...]
    sender: str | None
    recipients: tuple[str, ...]
    subject: str | None
    output: Path | None
    html_path: Path | None
    max_size: str
    force: bool
    send: bool
    smtp_host: str
    smtp_port: int | None
    starttls: bool
    use_ssl: bool
    smtp_user: str | None
    smtp_timeout: float
    retries: int


def run(options: Options) -> None:
    """Check the options, build the message, write it, send it if asked."""
    from ..newsletter.smtp import parse_size  # not loaded for --help
    from ..text.formatting import human_size

    budget = parse_size(options.max_size)
    _check_header_values(options.sender, options.recipients, options.subject)
    if options.no_brief and options.formats:
        raise UsageError("--no-brief and -f exclude each other")
    if options.send and (not options.sender or not options.recipients):
        raise UsageError("--send needs --from and --to: the defaults are placeholders")
    _security(options.starttls, options.use_ssl)  # refused with or without --send
    # Ask for the password first, not after a second of rendering.
    settings = _smtp_settings(options) if options.send else None
    # imported here: the pipeline is not loaded for --help or a usage error
    from ..newsletter import build_newsletter, check_size, send_newsletter, write_outputs

    built = build_newsletter(_request(options))
    for item in built.attachments:
        click.echo(f"attachment: {item.name} ({item.mime_type}, {human_size(item.size)})", err=True)
    click.echo(f"message: {human_size(len(built.payload))} (budget {human_size(budget)})", err=True)
    check_size(built, budget, options.force)

    output = options.output
    if output is None and not options.send:
        output = Path("out") / f"{built.stem}.eml"
    # Written before sending, so a failed send loses nothing.
    for path in write_outputs(built, output, options.html_path):
        click.echo(str(path))
    if settings is not None:
        delivered = send_newsletter(built, settings, notify=lambda m: click.echo(m, err=True))
        click.echo(
            f"sent to {', '.join(delivered)} via {settings.host}:{settings.resolved_port}",
            err=True,
        )


def _smtp_settings(options: Options) -> Any:
    from ..newsletter.smtp import SmtpSettings

    return SmtpSettings(
        host=options.smtp_host,
        port=options.smtp_port,
        security=_security(options.starttls, options.use_ssl),
        user=options.smtp_user,
        password=_password(options.smtp_user),
        timeout=options.smtp_timeout,
        attempts=options.retries + 1,
        deadline=limits.current().smtp_seconds,
    )


def _request(options: Options) -> Any:
    from ..newsletter import NewsletterRequest

    return NewsletterRequest(
        data=options.data,
        audience=options.audience,
        lang=options.lang,
        templates=options.templates,
        formats=() if options.no_brief else (options.formats or (registry.DEFAULT,)),
        attach=options.attach,
        sender=options.sender,
        recipients=options.recipients,
        subject=options.subject,
    )
