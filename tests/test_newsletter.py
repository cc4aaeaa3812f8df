"""The newsletter: the .eml read back with Python's email package, the HTML
checked for what email clients block, and sending tried against real SMTP
servers on 127.0.0.1 (aiosmtpd), one that drops the connection and a port
nobody listens on."""

from __future__ import annotations

import re
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from reportgen.cli import main
from reportgen.errors import UsageError
from reportgen.newsletter import (
    NewsletterRequest,
    SendError,
    SmtpSettings,
    build_newsletter,
    human_size,
    parse_size,
    send_newsletter,
)

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402

STEM = "shanghai-online-drama-policymakers-en"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SENDER = "Editor <editor@example.org>"
RECIPIENT = "reader@example.org"
TIMEOUT = "2"  # seconds: keeps a broken server from stalling the tests


def parse(data: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(data)  # type: ignore[return-value]


def run(runner: CliRunner, *args: str, **kwargs: Any) -> Any:
    """``reportgen newsletter ARGS`` through the group, as a user runs it
    (the group turns errors into messages and exit codes)."""
    return runner.invoke(main, ["newsletter", *args], **kwargs)


def body(msg: EmailMessage, kind: str) -> str:
    part = msg.get_body((kind,))
    assert part is not None
    return part.get_content()


def attachments(msg: EmailMessage) -> list[EmailMessage]:
    return list(msg.iter_attachments())  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# The message


@pytest.fixture(scope="module")
def default_eml(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    """One default run (with the brief rendered alone for comparison), shared
    by the structure tests: rendering takes a second."""
    folder = tmp_path_factory.mktemp("eml")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1735689600")
        mp.chdir(folder)
        runner = CliRunner()
        result = run(runner, "-o", "issue.eml")
        assert result.exit_code == 0, result.output
        assert runner.invoke(main, ["brief", "-o", "brief.pdf"]).exit_code == 0
    return (folder / "issue.eml").read_bytes(), (folder / "brief.pdf").read_bytes()


def test_message_is_text_and_html_with_the_pdf_brief(default_eml: tuple[bytes, bytes]) -> None:
    raw, pdf = default_eml
    msg = parse(raw)
    assert msg.get_content_type() == "multipart/mixed"
    alternative, *files = msg.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alternative.get_payload()] == [
        "text/plain",
        "text/html",
    ]
    assert [(p.get_content_type(), p.get_filename()) for p in files] == [
        ("application/pdf", f"{STEM}.pdf")
    ]
    assert files[0].get_content_disposition() == "attachment"
    assert files[0].get_content() == pdf  # the same bytes as `reportgen brief`


def test_headers(default_eml: tuple[bytes, bytes]) -> None:
    raw, _ = default_eml
    msg = parse(raw)
    assert msg["Subject"] == "How Shanghai's online dramas go overseas"
    assert msg["Date"] == "Wed, 01 Jan 2025 00:00:00 +0000"  # SOURCE_DATE_EPOCH
    assert re.fullmatch(r"<[0-9a-f]{32}@example\.org>", msg["Message-ID"])
    assert msg["MIME-Version"] == "1.0"
    assert msg["From"] == "Newsletter <newsletter@example.org>"
    assert msg["To"] == "Readers <readers@example.org>"
    assert msg["Content-Language"] == "en"
    # SMTP-ready: 7-bit, CRLF line ends, no line over the RFC 5322 limit.
    assert raw.isascii()
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998


def test_lead_comes_from_the_data_in_both_parts(default_eml: tuple[bytes, bytes]) -> None:
    msg = parse(default_eml[0])
    text, html = body(msg, "plain"), body(msg, "html")
    facts = [
        "How Shanghai's online dramas go overseas",  # headline: the data's title
        "2,880+",  # the headline figures, compact
        "¥225.5 bn",
        "one third",
        "Companies settled in the base",
        "places Shanghai in the lead of China's online audiovisual industry",  # key messages
        'In 2023 Shanghai used the "Chinese culture going global" special fund',
        "Nothing But Thirty (三十而已)",  # the case with the most honours
        "reported to be popular on platforms such as Netflix and YouTube",  # not bought
        "more than 100 countries and regions",
        "27th Shanghai TV Festival",
        f"{STEM}.pdf",
    ]
    flat_text = " ".join(text.split())
    flat_html = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    for fact in facts:
        assert fact in flat_text, fact
        assert fact in flat_html, fact
    size = human_size(attachments(msg)[0].get_content().__len__())
    assert size in flat_text and size in flat_html


def test_html_is_email_safe(default_eml: tuple[bytes, bytes]) -> None:
    html = body(parse(default_eml[0]), "html")
    lower = html.lower()
    for banned in ("<script", "<img", "<link", "<iframe", "<object", "<style", "url(", "@import"):
        assert banned not in lower, banned
    assert not re.search(r"\b(src|href|background)\s*=", lower)
    assert not re.search(r"(https?:)?//[a-z0-9]", lower.replace("<!doctype html>", ""))
    assert not re.search(r"\son[a-z]+\s*=", lower)  # no event handlers
    assert "<table" in lower and 'role="presentation"' in lower
    assert "#1f3a5f" in lower  # the brand colour, from the profile
    assert 'style="' in lower


def test_reproducible_bytes(in_tmp: Path) -> None:
    first = build_newsletter(NewsletterRequest(formats=("docx",)))
    second = build_newsletter(NewsletterRequest(formats=("docx",)))
    assert first.payload == second.payload


def test_message_id_is_random_without_source_date_epoch(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    request = NewsletterRequest(formats=())
    first, second = build_newsletter(request), build_newsletter(request)
    assert first.message["Message-ID"] != second.message["Message-ID"]


def test_docx_and_attached_files(in_tmp: Path, runner: CliRunner) -> None:
    named = in_tmp / "简报 2025 – 第一期.pdf"
    named.write_bytes(b"%PDF-1.4 not really\n")
    other = in_tmp / "figures.bin"
    other.write_bytes(bytes(range(256)))
    result = run(
        runner, "-f", "pdf", "-f", "docx", "--attach", str(named), "--attach", str(other),
        "-o", "issue.eml",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    raw = (in_tmp / "issue.eml").read_bytes()
    msg = parse(raw)
    found = [(p.get_content_type(), p.get_filename()) for p in attachments(msg)]
    assert found == [
        ("application/pdf", f"{STEM}.pdf"),
        (DOCX, f"{STEM}.docx"),
        ("application/pdf", named.name),
        ("application/octet-stream", "figures.bin"),
    ]
    assert attachments(msg)[2].get_content() == named.read_bytes()
    assert attachments(msg)[3].get_content() == other.read_bytes()
    assert attachments(msg)[1].get_content()[:2] == b"PK"  # a zip: a real .docx
    assert re.search(rb"filename\*(0\*)?=utf-8''%", raw)  # RFC 2231 for the non-ASCII name
    # Each attachment's size is reported.
    assert f"{named.name} (application/pdf, 20 B)" in result.output
    assert "figures.bin (application/octet-stream, 256 B)" in result.output


def test_non_ascii_subject_and_addresses(in_tmp: Path, runner: CliRunner) -> None:
    result = run(
        runner, "-o", "issue.eml", "--no-brief", "--subject", "上海网络剧出海 · 第1期",
        "--from", "编辑部 <ed@example.org>", "--to", "Zoë Müller <zoe@example.org>, b@example.org",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    raw = (in_tmp / "issue.eml").read_bytes()
    assert raw.isascii()
    assert b"=?utf-8?" in raw
    msg = parse(raw)
    assert msg["Subject"] == "上海网络剧出海 · 第1期"
    assert msg["From"].addresses[0].display_name == "编辑部"
    assert [a.addr_spec for a in msg["To"].addresses] == ["zoe@example.org", "b@example.org"]
    assert msg["To"].addresses[0].display_name == "Zoë Müller"
    assert msg.get_content_type() == "multipart/mixed"
    assert attachments(msg) == []


def test_chinese_lead(in_tmp: Path) -> None:
    built = build_newsletter(NewsletterRequest(lang="zh", formats=()))
    assert built.message["Content-Language"] == "zh-CN"
    assert "2880余" in built.text and "2880余" in built.html
    assert "《三十而已》" in built.text


def test_data_is_escaped_in_html(in_tmp: Path, data_copy: Any) -> None:
    path = data_copy(lambda t: t.replace("en: How Shanghai's", "en: <script>x</script> How"))
    built = build_newsletter(NewsletterRequest(data=path, formats=()))
    assert "<script>" not in built.html
    assert "&lt;script&gt;x&lt;/script&gt; How" in built.html
    assert "<script>x</script> How" in built.text  # the text part is not HTML


def test_html_option_writes_the_body_alone(in_tmp: Path, runner: CliRunner) -> None:
    result = run(runner, "--no-brief", "-o", "issue.eml", "--html", "body.html")
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["issue.eml", "body.html"]
    html = (in_tmp / "body.html").read_text(encoding="utf-8")
    in_message = body(parse((in_tmp / "issue.eml").read_bytes()), "html")
    assert html == in_message.replace("\r\n", "\n")
    assert html.startswith("<!DOCTYPE html>")


def test_default_output_path(in_tmp: Path, runner: CliRunner) -> None:
    result = run(runner, "--no-brief")
    assert result.exit_code == 0, result.output
    assert (in_tmp / "out" / f"{STEM}.eml").is_file()


def test_refuses_to_overwrite_an_input(in_tmp: Path, runner: CliRunner) -> None:
    attached = in_tmp / "keep.pdf"
    attached.write_bytes(b"%PDF keep")
    result = run(runner, "--no-brief", "--attach", str(attached), "-o", str(attached))
    assert result.exit_code == 2
    assert "input" in result.stderr and "Traceback" not in result.output
    assert attached.read_bytes() == b"%PDF keep"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "not an address"], "not an email address"),
        (["--to", "über@exämple.org"], "ASCII"),
        (["--starttls", "--ssl", "--send", "--from", "a@b.org", "--to", "c@d.org"], "exclude"),
        (["--send"], "--send needs --from and --to"),
        (["--max-size", "ten"], "not a size"),
        (["-f", "docx", "--no-brief"], "exclude each other"),
    ],
)
def test_usage_errors(in_tmp: Path, runner: CliRunner, args: list[str], message: str) -> None:
    result = run(runner, *args, "-o", "x.eml")
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert not (in_tmp / "x.eml").exists()


def test_duplicate_attachment_names(in_tmp: Path, runner: CliRunner) -> None:
    twin = in_tmp / f"{STEM}.pdf"
    twin.write_bytes(b"%PDF")
    result = run(runner, "--attach", str(twin), "-o", "x.eml")
    assert result.exit_code == 2
    assert "two attachments are named" in result.stderr


# --------------------------------------------------------------------------
# The size budget


def test_parse_and_show_sizes() -> None:
    assert parse_size("10MB") == 10 * 1024 * 1024
    assert parse_size("500 kb") == 500 * 1024
    assert parse_size("2048") == 2048
    assert human_size(999) == "999 B"
    assert human_size(1536) == "1.5 KB"
    assert human_size(10 * 1024 * 1024) == "10 MB"
    with pytest.raises(UsageError):
        parse_size("-1MB")


def test_over_budget_is_refused(in_tmp: Path, runner: CliRunner) -> None:
    result = run(runner, "--max-size", "50KB", "-o", "issue.eml")
    assert result.exit_code == 2
    assert "over the budget of 50 KB" in result.stderr and "--force" in result.stderr
    assert not (in_tmp / "issue.eml").exists()


@pytest.mark.filterwarnings("always")
def test_over_budget_with_force_warns(in_tmp: Path, runner: CliRunner) -> None:
    result = run(runner, "--max-size", "50KB", "--force", "-o", "issue.eml")
    assert result.exit_code == 0, result.output
    assert "warning: the message is" in result.stderr and "(--force)" in result.stderr
    assert (in_tmp / "issue.eml").is_file()


@pytest.mark.filterwarnings("always")
def test_close_to_budget_warns(in_tmp: Path, runner: CliRunner) -> None:
    result = run(runner, "--no-brief", "--max-size", "10KB", "-o", "issue.eml")
    assert result.exit_code == 0, result.output
    assert "close to the budget of 10 KB" in result.stderr


# --------------------------------------------------------------------------
# Sending


def free_port() -> int:
    """A port that was free a moment ago (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sink:
    """An aiosmtpd handler that keeps what it receives; ``rcpt_replies``
    are answered to RCPT TO in turn before accepting."""

    def __init__(self, rcpt_replies: list[str] | None = None) -> None:
        self.envelopes: list[Any] = []
        self.rcpt_replies = list(rcpt_replies or [])
        self.logins: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        if self.rcpt_replies:
            return self.rcpt_replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.envelopes.append(envelope)
        return "250 Message accepted"


def _authenticator(user: str, password: str, sink: Sink) -> Any:
    def check(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == user.encode()
            and auth_data.password == password.encode()
        )
        if ok:
            sink.logins.append(user)
        # handled=False: aiosmtpd then answers 535 itself
        return AuthResult(success=ok, handled=False)

    return check


@pytest.fixture
def smtp_server() -> Iterator[Any]:
    """Start aiosmtpd servers on 127.0.0.1: ``start(sink, **options)``."""
    started: list[Any] = []

    def start(sink: Sink, **kwargs: Any) -> int:
        port = free_port()
        controller = aiosmtpd_controller.Controller(sink, hostname="127.0.0.1", port=port, **kwargs)
        controller.start()
        started.append(controller)
        return port

    yield start
    for controller in started:
        controller.stop()


def send_args(port: int, *extra: str) -> list[str]:
    return [
        "--send", "--smtp-host", "127.0.0.1", "--smtp-port", str(port),
        "--smtp-timeout", TIMEOUT, "--from", SENDER, "--to", RECIPIENT, *extra,
    ]  # fmt: skip


def test_send_delivers_the_message(in_tmp: Path, runner: CliRunner, smtp_server: Any) -> None:
    sink = Sink()
    port = smtp_server(sink)
    result = run(runner, *send_args(port, "-o", "issue.eml"))
    assert result.exit_code == 0, result.output
    assert f"sent to {RECIPIENT} via 127.0.0.1:{port}" in result.stderr
    (envelope,) = sink.envelopes
    assert envelope.mail_from == "editor@example.org"
    assert envelope.rcpt_tos == [RECIPIENT]
    received = parse(envelope.original_content)
    written = (in_tmp / "issue.eml").read_bytes()
    assert envelope.original_content.replace(b"\r\n", b"\n") == written.replace(b"\r\n", b"\n")
    assert body(received, "plain").startswith("Shanghai")
    (pdf,) = attachments(received)
    assert pdf.get_filename() == f"{STEM}.pdf"


def test_send_logs_in_with_the_password_from_the_environment(
    in_tmp: Path, runner: CliRunner, smtp_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sink = Sink()
    port = smtp_server(
        sink, authenticator=_authenticator("editor", "s3cret-pw", sink), auth_require_tls=False
    )
    monkeypatch.setenv("REPORTGEN_SMTP_PASSWORD", "s3cret-pw")
    result = run(runner, *send_args(port, "--no-brief", "--smtp-user", "editor"))
    assert result.exit_code == 0, result.output
    assert sink.logins == ["editor"] and len(sink.envelopes) == 1
    assert "s3cret-pw" not in result.output
    assert not (in_tmp / "out").exists()  # sending without -o writes nothing


def test_send_prompts_for_the_password_without_echo(
    in_tmp: Path, runner: CliRunner, smtp_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sink = Sink()
    port = smtp_server(
        sink, authenticator=_authenticator("editor", "typed-pw", sink), auth_require_tls=False
    )
    monkeypatch.delenv("REPORTGEN_SMTP_PASSWORD", raising=False)
    # CliRunner's stdin is no terminal; the prompt is only offered on one
    monkeypatch.setattr("reportgen.cli.newsletter_command._has_terminal", lambda: True)
    result = run(
        runner, *send_args(port, "--no-brief", "--smtp-user", "editor"), input="typed-pw\n"
    )
    assert result.exit_code == 0, result.output
    assert "SMTP password for editor" in result.output
    assert "typed-pw" not in result.output
    assert sink.logins == ["editor"]


def test_rejected_login_is_a_clear_error_and_keeps_the_eml(
    in_tmp: Path, runner: CliRunner, smtp_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sink = Sink()
    port = smtp_server(
        sink, authenticator=_authenticator("editor", "right", sink), auth_require_tls=False
    )
    monkeypatch.setenv("REPORTGEN_SMTP_PASSWORD", "wrong-pw")
    result = run(runner, *send_args(port, "--no-brief", "--smtp-user", "editor", "-o", "k.eml"))
    assert result.exit_code == 2
    assert "refused the login of 'editor'" in result.stderr
    assert "535" in result.stderr
    assert "wrong-pw" not in result.output
    assert "Traceback" not in result.output
    assert (in_tmp / "k.eml").is_file()  # nothing lost
    assert sink.envelopes == []


def test_dropped_connection_is_a_clear_error(in_tmp: Path, runner: CliRunner) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]

    def drop() -> None:
        conn, _ = listener.accept()
        conn.close()

    thread = threading.Thread(target=drop, daemon=True)
    thread.start()
    try:
        result = run(runner, *send_args(port, "--no-brief", "-o", "d.eml"))
    finally:
        thread.join(5)
        listener.close()
    assert result.exit_code == 2
    assert "closed the connection unexpectedly" in result.stderr
    assert "Traceback" not in result.output
    assert (in_tmp / "d.eml").is_file()


def test_silent_server_times_out_clearly(in_tmp: Path, runner: CliRunner) -> None:
    # The kernel completes the handshake on a listening socket that never
    # accepts, so the client connects and then waits for a greeting in vain.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        args = send_args(port, "--no-brief")
        args[args.index("--smtp-timeout") + 1] = "0.3"
        result = run(runner, *args)
    assert result.exit_code == 2
    assert f"127.0.0.1:{port} did not answer within 0.3 s" in result.stderr


def test_closed_port_is_a_clear_error(in_tmp: Path, runner: CliRunner) -> None:
    port = free_port()
    result = run(runner, *send_args(port, "-o", "issue.eml"))
    assert result.exit_code == 2
    assert f"cannot reach the SMTP server 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not a crash
    assert (in_tmp / "issue.eml").is_file()


def test_ssl_against_a_plain_server_is_a_clear_error(
    in_tmp: Path, runner: CliRunner, smtp_server: Any
) -> None:
    port = smtp_server(Sink())
    result = run(runner, *send_args(port, "--no-brief", "--ssl"))
    assert result.exit_code == 2
    assert f"TLS with 127.0.0.1:{port} failed" in result.stderr


def test_permanent_refusal_is_not_retried(in_tmp: Path, smtp_server: Any) -> None:
    sink = Sink(["550 5.1.1 no such mailbox"])
    port = smtp_server(sink)
    built = build_newsletter(NewsletterRequest(formats=(), sender=SENDER, recipients=(RECIPIENT,)))
    slept: list[float] = []
    settings = SmtpSettings(host="127.0.0.1", port=port, timeout=2)
    with pytest.raises(SendError, match=r"550 5\.1\.1 no such mailbox"):
        send_newsletter(built, settings, sleep=slept.append)
    assert slept == [] and sink.envelopes == []


def test_temporary_failures_are_retried_with_back_off(in_tmp: Path, smtp_server: Any) -> None:
    sink = Sink(["451 4.7.1 try again later", "452 4.2.2 mailbox busy"])
    port = smtp_server(sink)
    built = build_newsletter(NewsletterRequest(formats=(), sender=SENDER, recipients=(RECIPIENT,)))
    slept: list[float] = []
    notes: list[str] = []
    settings = SmtpSettings(host="127.0.0.1", port=port, timeout=2, backoff=0.5)
    delivered = send_newsletter(built, settings, notify=notes.append, sleep=slept.append)
    assert delivered == [RECIPIENT]
    assert slept == [0.5, 1.0]  # doubling
    assert "451 4.7.1 try again later" in notes[0]
    assert len(sink.envelopes) == 1


def test_temporary_failures_give_up_after_the_retries(in_tmp: Path, smtp_server: Any) -> None:
    sink = Sink(["421 4.3.0 busy"] * 3)
    port = smtp_server(sink)
    built = build_newsletter(NewsletterRequest(formats=(), sender=SENDER, recipients=(RECIPIENT,)))
    slept: list[float] = []
    settings = SmtpSettings(host="127.0.0.1", port=port, timeout=2, attempts=2)
    with pytest.raises(SendError, match="421"):
        send_newsletter(built, settings, sleep=slept.append)
    assert slept == [1.0]


@pytest.fixture
def tls_files(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (openssl makes it in ~50 ms)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def test_starttls_and_login(
    in_tmp: Path,
    runner: CliRunner,
    smtp_server: Any,
    tls_files: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cert, key = tls_files
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    sink = Sink()
    port = smtp_server(
        sink,
        tls_context=context,
        require_starttls=True,
        authenticator=_authenticator("editor", "pw", sink),
    )
    monkeypatch.setenv("REPORTGEN_SMTP_PASSWORD", "pw")
    # An untrusted certificate is refused, clearly...
    result = run(runner, *send_args(port, "--no-brief", "--starttls", "--smtp-user", "editor"))
    assert result.exit_code == 2
    assert "CERTIFICATE_VERIFY_FAILED" in result.stderr or "certificate" in result.stderr
    # ...and a trusted one works (ssl's default context reads SSL_CERT_FILE).
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    result = run(runner, *send_args(port, "--no-brief", "--starttls", "--smtp-user", "editor"))
    assert result.exit_code == 0, result.output
    assert sink.logins == ["editor"] and len(sink.envelopes) == 1


def test_a_line_break_cannot_inject_a_header(in_tmp: Path) -> None:
    built = build_newsletter(
        NewsletterRequest(formats=(), subject="Issue 1\r\nBcc: spy@example.org")
    )
    assert built.message["Subject"] == "Issue 1 Bcc: spy@example.org"
    assert parse(built.payload)["Bcc"] is None
