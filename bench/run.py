"""reportgen's benchmark: one run, every comparison side by side.

    python bench/run.py            # the full run (several minutes); writes bench/results.json
    python bench/run.py --smoke    # one run each, 100 cases only (CI; well under a minute)

It measures, each time as the median of several runs of a fresh process:

- startup: a cold ``reportgen brief -f all`` (one process, every format laid
  out in turn) against the import floor (importing docx, reportlab.platypus,
  jinja2, click and yaml), and ``reportgen --help`` against importing click;
- batch: ``reportgen batch`` over the whole audience x language x format
  matrix (its spawned workers' start-up included), per brief (one audience
  in one language, both formats);
- peers on the same content: the brief's own Markdown (``-f md``) through
  pandoc to .docx, through pandoc to Typst and ``typst compile`` to PDF, and
  the .docx through LibreOffice to PDF; cold ``-f docx`` against pandoc and
  cold ``-f pdf`` against ``typst compile`` alone (the Typst made once by
  pandoc beforehand); a missing peer is reported as skipped;
- scale: synthetic data of 100, 1,000 and 10,000 cases (generated here into a
  temporary folder, never committed) rendered with an appendix table of every
  case: time and peak memory per format, pandoc's .docx time on the same
  Markdown, and the growth from 1,000 to 10,000 cases.

Every run uses a font cache and a .pyc folder of its own, in the temporary
folder: the untimed warm-up fills both, as a user's first run does (the
font cache also has a row of its own, turned off). Ratios are computed
within the same run. It is a measurement, never a test:
nothing here fails on a slow machine; the targets are reported as held or not.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "shanghai-online-drama.yaml"
SOURCES = ROOT / "seeds" / "sources.yaml"
RESULTS = ROOT / "bench" / "results.json"
PYTHON = sys.executable
REPORTGEN = [PYTHON, "-m", "reportgen"]
IMPORT_FLOOR = "import docx, reportlab.platypus, jinja2, click, yaml"
TIMEOUT = 900.0  # seconds for one command; a 10,000-case render must never take this long
BENCH_AUDIENCE = "bench-appendix"
BENCH_PROFILE = {
    "description": {"en": "Benchmark: every case in one appendix table"},
    "audience": {"en": "Benchmark readers"},
    "title": {"en": "{{ title }}"},
    "subtitle": {"en": "Appendix of all cases"},
    "sections": ["appendix-cases", "sources"],
}


# --------------------------------------------------------------------------
# Running one command


@dataclass
class Sample:
    """One timed run of a command in a fresh process."""

    seconds: float
    peak_mb: float
    ok: bool
    error: str = ""


def run_once(cmd: list[str], cwd: Path, env: dict[str, str]) -> Sample:
    """Run ``cmd`` and time it; its own peak memory comes from ``wait4``
    (RUSAGE_CHILDREN would give the largest of all children so far)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    timer = threading.Timer(TIMEOUT, lambda: os.kill(proc.pid, signal.SIGKILL))
    timer.start()
    stderr = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    if proc.stderr:
        proc.stderr.close()
    ok = proc.returncode == 0
    error = "" if ok else _last_line(stderr) or f"exit {proc.returncode}"
    return Sample(seconds, usage.ru_maxrss / 1024, ok, error)


def _last_line(stderr: bytes) -> str:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1][:300] if lines else ""


@dataclass
class Measure:
    """A row of the table: the median of several samples."""

    name: str
    seconds: float | None
    peak_mb: float | None
    runs: int
    skipped: str = ""
    samples: list[float] = field(default_factory=list)


def measure(
    name: str,
    cmd: list[str] | None,
    runs: int,
    cwd: Path,
    env: dict[str, str],
    skipped: str = "",
) -> Measure:
    """Median time and peak memory of ``runs`` runs after one untimed
    warm-up (which compiles .pyc files and fills the file cache)."""
    if cmd is None:
        return Measure(name, None, None, 0, skipped or "not available")
    warm = run_once(cmd, cwd, env)
    if not warm.ok:
        return Measure(name, None, None, 0, f"failed: {warm.error}")
    samples = [run_once(cmd, cwd, env) for _ in range(runs)]
    failed = [s for s in samples if not s.ok]
    if failed:
        return Measure(name, None, None, 0, f"failed: {failed[0].error}")
    return Measure(
        name,
        statistics.median(s.seconds for s in samples),
        max(s.peak_mb for s in samples),
        runs,
        samples=[round(s.seconds, 4) for s in samples],
    )


def ratio(a: Measure, b: Measure) -> float | None:
    if a.seconds is None or b.seconds is None or b.seconds == 0:
        return None
    return a.seconds / b.seconds


# --------------------------------------------------------------------------
# Peers


@dataclass(frozen=True)
class Peers:
    """Commands for the peer tools, or None where one is missing."""

    pandoc: str | None
    pandoc_origin: str
    typst: bool
    soffice: str | None

    def describe(self) -> dict[str, Any]:
        return {
            "pandoc": self.pandoc,
            "pandoc_origin": self.pandoc_origin,
            "pandoc_version": _version([self.pandoc, "--version"]) if self.pandoc else None,
            "typst": _typst_version() if self.typst else None,
            "soffice": self.soffice,
        }


def find_peers() -> Peers:
    """pandoc from pypandoc_binary (the ``bench`` extra) else the system's;
    typst from the ``typst`` package; soffice where LibreOffice is installed."""
    pandoc, origin = None, "missing"
    try:
        import pypandoc

        pandoc, origin = pypandoc.get_pandoc_path(), "pypandoc_binary"
    except (ImportError, OSError):
        pandoc = shutil.which("pandoc")
        origin = "system" if pandoc else "missing"
    try:
        import typst  # noqa: F401

        has_typst = True
    except ImportError:
        has_typst = False
    return Peers(pandoc, origin, has_typst, shutil.which("soffice"))


def _version(cmd: list[str]) -> str | None:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.splitlines()[0] if out.stdout else None


def _typst_version() -> str:
    from importlib.metadata import version

    return f"typst (Python package) {version('typst')}"


def pandoc_docx(peers: Peers, md: Path, out: Path) -> list[str] | None:
    return [peers.pandoc, str(md), "-o", str(out)] if peers.pandoc else None


def typst_pdf(peers: Peers, md: Path, out: Path) -> list[str] | None:
    """Markdown -> Typst (pandoc) -> PDF (typst), in one shell pipeline so
    both steps count, as they would for a user."""
    if not (peers.pandoc and peers.typst):
        return None
    typ = out.with_suffix(".typ")
    script = (
        f"{_q(peers.pandoc)} {_q(md)} -t typst -s -o {_q(typ)} && "
        f"{_q(PYTHON)} -c {_q(_TYPST_COMPILE)} {_q(typ)} {_q(out)}"
    )
    return ["/bin/sh", "-c", script]


_TYPST_COMPILE = "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2])"


def typst_source(peers: Peers, md: Path, typ: Path, env: dict[str, str]) -> Path | None:
    """The brief as Typst, made once by pandoc (untimed), or None when
    pandoc (3.1.2 or later writes Typst) or typst is missing."""
    if not (peers.pandoc and peers.typst):
        return None
    cmd = [peers.pandoc, str(md), "-t", "typst", "-s", "-o", str(typ)]
    done = subprocess.run(cmd, env=env, capture_output=True, timeout=TIMEOUT, check=False)
    return typ if done.returncode == 0 else None


def typst_compile(typ: Path, out: Path) -> list[str]:
    """``typst compile`` alone, through the Python package (the bench extra)."""
    return [PYTHON, "-c", _TYPST_COMPILE, str(typ), str(out)]


def soffice_pdf(peers: Peers, docx: Path, folder: Path) -> list[str] | None:
    if not peers.soffice:
        return None
    profile = f"file://{folder / 'lo-profile'}"  # its own profile: no clash with a running one
    return [
        peers.soffice,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(folder / "lo"),
        str(docx),
    ]


def _q(value: object) -> str:
    import shlex

    return shlex.quote(str(value))


# --------------------------------------------------------------------------
# Synthetic data


def synthetic_data(n: int, folder: Path) -> Path:
    """The Shanghai fixture with ``n`` generated cases, valid for the schema:
    producers and platforms are the fixture's, every fact cites paragraph 8."""
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    data["slug"] = f"bench-{n}"
    data["sources_from"] = str(SOURCES)
    orgs = data["organisations"]
    producers = [o["id"] for o in orgs if o["role"] == "producer"]
    platforms = [o["id"] for o in orgs if o["role"] == "platform"]
    data["cases"] = [_case(i, producers, platforms) for i in range(1, n + 1)]
    _drop_case_references(data, {case["id"] for case in data["cases"]})
    path = folder / f"bench-{n}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _drop_case_references(data: dict[str, Any], ids: set[str]) -> None:
    """The fixture's own cases are replaced: an entry elsewhere (a theme)
    that names one of them names none instead."""
    for value in data.values():
        for item in value if isinstance(value, list) else ():
            if isinstance(item, dict) and item.get("case") not in (None, *ids):
                del item["case"]


def _case(i: int, producers: list[str], platforms: list[str]) -> dict[str, Any]:
    cite = {"paragraph": 8}
    case: dict[str, Any] = {
        "id": f"case-{i:05d}",
        "title": {"en": f"Synthetic Series {i}"},
        "producer": producers[i % len(producers)],
        "deals": [
            {"platform": platforms[i % len(platforms)], "rights": "global streaming", "cite": cite},
            {"platform": platforms[(i * 7 + 3) % len(platforms)], "rights": "Asia", "cite": cite},
        ],
        "cite": cite,
    }
    if i % 2:
        case["reach"] = {
            "label": "countries and regions reached",
            "value": 10 + i % 90,
            "unit": "count",
            "qualifier": "more_than",
            "noun": "countries and regions",
            "cite": cite,
        }
    return case


def bench_templates(folder: Path) -> Path:
    """A templates overlay with the bench-only audience (appendix, sources)."""
    audiences = folder / "templates" / "audiences"
    audiences.mkdir(parents=True, exist_ok=True)
    (audiences / f"{BENCH_AUDIENCE}.yaml").write_text(
        yaml.safe_dump(BENCH_PROFILE, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return folder / "templates"


# --------------------------------------------------------------------------
# The sections


Rows = list[dict[str, Any]]


class Bench:
    def __init__(self, runs: int, sizes: list[int], work: Path, peers: Peers) -> None:
        self.runs, self.sizes, self.work, self.peers = runs, sizes, work, peers
        self.env = {
            **os.environ,
            "SOURCE_DATE_EPOCH": "1735689600",
            "PYTHONUNBUFFERED": "1",
            # compiled modules and parsed fonts kept as an installed copy keeps
            # them, but here, never in the user's folders or the source tree
            "PYTHONPYCACHEPREFIX": str(work / "pycache"),
            "REPORTGEN_CACHE_DIR": str(work / "cache"),
        }
        for name in (
            "PYTHONPROFILEIMPORTTIME",
            "PYTHONDONTWRITEBYTECODE",
            "REPORTGEN_NO_CACHE",
        ):
            self.env.pop(name, None)

    def m(
        self,
        name: str,
        cmd: list[str] | None,
        skipped: str = "",
        env: dict[str, str] | None = None,
    ) -> Measure:
        result = measure(name, cmd, self.runs, self.work, {**self.env, **(env or {})}, skipped)
        _progress(result)
        return result

    def brief_cmd(self, *args: str) -> list[str]:
        return [*REPORTGEN, "brief", *args]

    def startup(self) -> dict[str, Any]:
        out = self.work / "startup"
        floor = self.m("import floor", [PYTHON, "-c", IMPORT_FLOOR])
        cold = self.m("reportgen brief -f all", self.brief_cmd("-f", "all", "-o", str(out)))
        click = self.m("import click", [PYTHON, "-c", "import click"])
        helped = self.m("reportgen --help", [*REPORTGEN, "--help"])
        uncached = self.m(
            "reportgen brief -f all, font cache off",
            self.brief_cmd("-f", "all", "-o", str(out)),
            env={"REPORTGEN_NO_CACHE": "1"},
        )
        return {
            "rows": [asdict(x) for x in (floor, cold, click, helped)],
            "brief_over_floor": ratio(cold, floor),
            "help_over_click": ratio(helped, click),
            "uncached": asdict(uncached),
            "uncached_over_floor": ratio(uncached, floor),
        }

    def batch(self) -> dict[str, Any]:
        out = self.work / "batch"
        result = self.m("reportgen batch (all)", [*REPORTGEN, "batch", "-q", "-o", str(out)])
        items = _batch_items(out / "manifest.json")
        per_brief = result.seconds / items if result.seconds and items else None
        mds = self.matrix_markdown()
        docx_each = [
            self.m(f"pandoc .docx {md.stem}", pandoc_docx(self.peers, md, md.with_suffix(".docx")))
            for md in mds
        ]
        pdf_each = [
            self.m(
                f"pandoc+typst .pdf {md.stem}", typst_pdf(self.peers, md, md.with_suffix(".pdf"))
            )
            for md in mds
        ]
        peer = _per_brief_sum(docx_each, pdf_each)
        return {
            "rows": [asdict(result)],
            "items": items,
            "jobs": os.cpu_count(),
            "per_brief": per_brief,
            "peer_rows": [asdict(x) for x in docx_each + pdf_each],
            "peer_per_brief": peer,
            "per_brief_over_peer": per_brief / peer if per_brief and peer else None,
        }

    def matrix_markdown(self) -> list[Path]:
        """Each brief of the matrix as Markdown (what the peers convert)."""
        folder = self.work / "matrix-md"
        cmd = [*REPORTGEN, "batch", "-q", "-f", "pdf", "-o", str(self.work / "matrix-pdf")]
        names = _batch_names(cmd, self.work, self.env)
        paths = []
        for audience, lang in names:
            target = folder / f"{audience}-{lang}.md"
            args = ["-f", "md", "-a", audience, "-l", lang, "-o", str(target)]
            subprocess.run(
                self.brief_cmd(*args),
                cwd=self.work,
                env=self.env,
                check=True,
                capture_output=True,
                timeout=TIMEOUT,
            )
            paths.append(target)
        return paths

    def peers_section(self) -> dict[str, Any]:
        """The policymakers brief (the full one) by reportgen and by its peers."""
        folder = self.work / "peers"
        md, docx = folder / "brief.md", folder / "brief.docx"
        for fmt, path in (("md", md), ("docx", docx)):
            subprocess.run(
                self.brief_cmd("-f", fmt, "-o", str(path)),
                cwd=self.work,
                env=self.env,
                check=True,
                capture_output=True,
                timeout=TIMEOUT,
            )
        typ = typst_source(self.peers, md, folder / "brief.typ", self.env)
        rows = [
            self.m("reportgen .docx", self.brief_cmd("-f", "docx", "-o", str(folder / "r.docx"))),
            self.m("reportgen .pdf", self.brief_cmd("-f", "pdf", "-o", str(folder / "r.pdf"))),
            self.m(
                "pandoc md -> .docx",
                pandoc_docx(self.peers, md, folder / "p.docx"),
                "pandoc not installed (pip install pypandoc_binary)",
            ),
            self.m(
                "typst compile (Typst made by pandoc)",
                typst_compile(typ, folder / "c.pdf") if typ else None,
                "pandoc 3 or typst not installed (pip install pypandoc_binary typst)",
            ),
            self.m(
                "pandoc md -> Typst -> .pdf",
                typst_pdf(self.peers, md, folder / "t.pdf"),
                "pandoc or typst not installed (pip install pypandoc_binary typst)",
            ),
            self.m(
                "LibreOffice .docx -> .pdf",
                soffice_pdf(self.peers, docx, folder),
                "soffice not installed",
            ),
        ]
        return {
            "rows": [asdict(x) for x in rows],
            "docx_over_pandoc": ratio(rows[0], rows[2]),
            "pdf_over_typst": ratio(rows[1], rows[3]),
        }

    def scale(self) -> dict[str, Any]:
        templates = bench_templates(self.work)
        per_size: dict[str, Any] = {}
        for n in self.sizes:
            per_size[str(n)] = self.scale_one(n, templates)
        return {"sizes": per_size, "growth_1000_to_10000": _growth(per_size)}

    def scale_one(self, n: int, templates: Path) -> dict[str, Any]:
        folder = self.work / f"scale-{n}"
        folder.mkdir(parents=True, exist_ok=True)
        data = synthetic_data(n, folder)
        base = ["-d", str(data), "-t", str(templates), "-a", BENCH_AUDIENCE]
        rows = {
            fmt: self.m(
                f"{n:,} cases: reportgen .{fmt}",
                self.brief_cmd(*base, "-f", fmt, "-o", str(folder / f"r.{fmt}")),
            )
            for fmt in ("md", "docx", "pdf")
        }
        md = folder / "r.md"  # written by the .md runs above
        rows["pandoc-docx"] = self.m(
            f"{n:,} cases: pandoc md -> .docx",
            pandoc_docx(self.peers, md, folder / "p.docx"),
            "pandoc not installed",
        )
        out = {k: asdict(v) for k, v in rows.items()}
        out["over_pandoc_docx"] = {
            fmt: ratio(rows[fmt], rows["pandoc-docx"]) for fmt in ("docx", "pdf")
        }
        return out


def _per_brief_sum(docx_each: list[Measure], pdf_each: list[Measure]) -> float | None:
    """pandoc .docx + Typst .pdf, per brief, over the matrix."""
    if not docx_each or any(x.seconds is None for x in docx_each + pdf_each):
        return None
    total = sum(x.seconds or 0 for x in docx_each + pdf_each)
    return total / len(docx_each)


def _batch_items(manifest: Path) -> int:
    """Briefs (audience x language) in a batch run, from its manifest."""
    if not manifest.is_file():
        return 0
    outputs = json.loads(manifest.read_text(encoding="utf-8"))["outputs"]
    return len({(o["audience"], o["lang"]) for o in outputs})


def _batch_names(cmd: list[str], cwd: Path, env: dict[str, str]) -> list[tuple[str, str]]:
    """The (audience, language) of every brief the batch makes; none when
    it fails (the peers' rows are then left out, and the run goes on: a
    measurement reports, it never stops half way)."""
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, timeout=TIMEOUT)
    manifest = Path(cmd[-1]) / "manifest.json"
    if proc.returncode != 0 or not manifest.is_file():
        print(f"  batch for the peers' Markdown failed: {_last_line(proc.stderr)}", file=sys.stderr)
        return []
    outputs = json.loads(manifest.read_text(encoding="utf-8"))["outputs"]
    return sorted({(o["audience"], o["lang"]) for o in outputs})


def _growth(per_size: dict[str, Any]) -> dict[str, float | None]:
    small, large = per_size.get("1000"), per_size.get("10000")
    if not small or not large:
        return {}
    out: dict[str, float | None] = {}
    for fmt in ("md", "docx", "pdf", "pandoc-docx"):
        a, b = small[fmt]["seconds"], large[fmt]["seconds"]
        out[fmt] = b / a if a and b else None
    return out


def _progress(result: Measure) -> None:
    shown = f"{result.seconds:.3f} s" if result.seconds is not None else result.skipped
    print(f"  {result.name:<46} {shown}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Targets and the table


Check = tuple[str, float | None, float, str]  # name, value, limit, unit


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets, each held or not (None: not measured)."""
    start, batch, scale = results["startup"], results["batch"], results["scale"]
    peers = results["peers"]
    checks: list[Check] = [
        ("cold brief -f all (one process) / import floor", start["brief_over_floor"], 2.5, "x"),
        ("cold brief -f docx / pandoc .docx", peers.get("docx_over_pandoc"), 1.0, "x"),
        ("cold brief -f pdf / typst compile", peers.get("pdf_over_typst"), 3.0, "x"),
        ("--help / import click", start["help_over_click"], 1.5, "x"),
        ("batch per brief / (pandoc-docx + Typst-PDF)", batch["per_brief_over_peer"], 0.7, "x"),
    ]
    large = scale["sizes"].get("10000")
    if large:
        for fmt in ("docx", "pdf"):
            checks.append(
                (f"10,000 cases .{fmt} / pandoc .docx", large["over_pandoc_docx"][fmt], 2.0, "x")
            )
            checks.append((f"10,000 cases .{fmt} peak memory", large[fmt]["peak_mb"], 500, "MB"))
        for fmt in ("docx", "pdf"):
            checks.append(
                (f"growth 1,000 -> 10,000 .{fmt}", scale["growth_1000_to_10000"].get(fmt), 11, "x")
            )
    return [
        {
            "target": name,
            "value": value,
            "limit": limit,
            "unit": unit,
            "holds": None if value is None else value <= limit,
        }
        for name, value, limit, unit in checks
    ]


def _fmt(value: float | None, unit: str = "s") -> str:
    if value is None:
        return "–"
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:.2f}×"


def table(results: dict[str, Any]) -> str:
    """The results as one Markdown table (the README pastes it)."""
    lines = ["| measurement | time | peak memory | compared |", "|:--|--:|--:|:--|"]

    def row(r: dict[str, Any], compared: str = "") -> None:
        time_text = _fmt(r["seconds"]) if r["seconds"] is not None else f"skipped: {r['skipped']}"
        lines.append(f"| {r['name']} | {time_text} | {_fmt(r['peak_mb'], 'MB')} | {compared} |")

    start = results["startup"]
    floor, cold, click, helped = start["rows"]
    row(floor)
    row(cold, f"{_fmt(start['brief_over_floor'], 'x')} the import floor")
    row(click)
    row(helped, f"{_fmt(start['help_over_click'], 'x')} import click")
    if "uncached" in start:
        row(start["uncached"], f"{_fmt(start['uncached_over_floor'], 'x')} the import floor")
    batch = results["batch"]
    row(batch["rows"][0], f"{batch['items']} briefs × 2 formats, {batch['jobs']} CPUs")
    lines.append(
        f"| batch, per brief (.docx + .pdf) | {_fmt(batch['per_brief'])} | | "
        f"{_fmt(batch['per_brief_over_peer'], 'x')} pandoc-docx + Typst-PDF per brief "
        f"({_fmt(batch['peer_per_brief'])}) |"
    )
    peers = results["peers"]
    compared = {
        "reportgen .docx": f"{_fmt(peers.get('docx_over_pandoc'), 'x')} pandoc .docx",
        "reportgen .pdf": f"{_fmt(peers.get('pdf_over_typst'), 'x')} typst compile",
    }
    for r in peers["rows"]:
        row(r, compared.get(r["name"], "policymakers brief, en"))
    for size in results["scale"]["sizes"].values():
        for fmt in ("md", "docx", "pdf", "pandoc-docx"):
            over = size["over_pandoc_docx"].get(fmt)
            row(size[fmt], f"{_fmt(over, 'x')} pandoc .docx" if over is not None else "")
    for fmt, g in results["scale"]["growth_1000_to_10000"].items():
        lines.append(f"| growth 1,000 → 10,000 cases, {fmt} | | | {_fmt(g, 'x')} |")
    lines += ["", "| target | value | limit | holds |", "|:--|--:|--:|:--|"]
    for t in results["targets"]:
        unit = t["unit"]
        held = {True: "yes", False: "**no**", None: "not measured"}[t["holds"]]
        lines.append(f"| {t['target']} | {_fmt(t['value'], unit)} | {t['limit']} {unit} | {held} |")
    return "\n".join(lines)


# --------------------------------------------------------------------------
# Main


def machine(peers: Peers) -> dict[str, Any]:
    from importlib.metadata import version

    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "reportgen": version("reportgen") if _installed("reportgen") else None,
        "python-docx": version("python-docx"),
        "reportlab": version("reportlab"),
        "peers": peers.describe(),
    }


def _installed(name: str) -> bool:
    from importlib.metadata import PackageNotFoundError, version

    try:
        version(name)
    except PackageNotFoundError:
        return False
    return True


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="one run each, 100 cases only")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument(
        "--sizes", default="100,1000,10000", help="comma-separated case counts for the scale test"
    )
    parser.add_argument("--scale-runs", type=int, default=3, help="runs per scale measurement")
    parser.add_argument("-o", "--output", type=Path, help="results JSON [bench/results.json]")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    runs = 1 if args.smoke else args.runs
    sizes = [100] if args.smoke else [int(s) for s in args.sizes.split(",")]
    output = args.output or (
        Path(tempfile.gettempdir()) / "reportgen-bench-smoke.json" if args.smoke else RESULTS
    )
    peers = find_peers()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="reportgen-bench-") as tmp:
        bench = Bench(runs, sizes, Path(tmp), peers)
        results: dict[str, Any] = {
            "command": "python bench/run.py" + (" --smoke" if args.smoke else "")
        }
        results["machine"] = machine(peers)
        results["runs"] = runs
        sections: dict[str, Callable[[], dict[str, Any]]] = {
            "startup": bench.startup,
            "batch": bench.batch,
            "peers": bench.peers_section,
        }
        for name, section in sections.items():
            print(f"{name}:", file=sys.stderr, flush=True)
            results[name] = section()
        print("scale:", file=sys.stderr, flush=True)
        bench.runs = 1 if args.smoke else args.scale_runs
        results["scale"] = bench.scale()
        results["scale_runs"] = bench.runs
    results["targets"] = targets(results)
    results["seconds"] = round(time.perf_counter() - started, 1)
    text = table(results)
    results["table"] = text
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(text)
    print(f"\nwritten to {output} ({results['seconds']} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
