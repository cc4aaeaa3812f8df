"""``reportgen check``: everything that can be wrong before a brief goes out.

Checks the data against the schema, every template (syntax, variables the
context does not provide, a render of every audience), the profiles, the
length budgets, numbers in the narrative that do not come from the data,
and, given the original text, that each numeric fact occurs in the
paragraph it cites. Findings are collected, never raised one by one.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import jinja2
from jinja2 import meta as jinja_meta

from . import errors
from . import model as m
from .data.loader import load_yaml, read_text
from .data.schema import CaseData, Cite, Quantity
from .data.validate import load_case_data
from .errors import InputError, ReportgenError, TemplateError, ValidationError
from .model.markup import parse
from .pipeline import LANGS, Brief, BriefRequest, render_brief, template_folders
from .templating import coverage
from .templating.claims import typed_claims
from .templating.context import build_context
from .templating.environment import make_environment
from .templating.errors import explain_syntax, missing_figure
from .templating.labels import load_labels
from .templating.needs import figure_read, section_needs
from .templating.profiles import find_profiles
from .templating.sandbox import read_template_file
from .text import formatting as fmt
from .text.script import is_han


@dataclass
class Finding:
    """One problem: where to fix it, and what is wrong. ``level`` is
    'error' (check fails) or 'warning' (reported, check passes)."""

    where: str
    message: str
    level: str = "error"

    def __str__(self) -> str:
        return f"{self.where}: {self.level}: {self.message}"


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    #: what data each section template reads, one line each (for the user)
    needs: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    def summary(self) -> str:
        errors, warnings = len(self.errors), len(self.findings) - len(self.errors)
        verdict = "clean" if not errors else "failed"
        return (
            f"check {verdict}: {errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)} ({', '.join(self.checked)})"
        )


@dataclass(frozen=True)
class SourceText:
    """An original text given with ``--source-text [ID=]FILE``."""

    source_id: str | None
    path: Path


def run_check(data: Path | None, templates: Path | None, source_texts: list[SourceText]) -> Report:
    """Run every check and return the findings."""
    from .files import resources

    report = Report()
    data_path = data or resources.default_data()
    folders = template_folders(templates)
    try:
        case_data = load_case_data(data_path)
    except ValidationError as exc:
        # every data problem a finding of its own, and the figure ids the
        # templates use checked too: all mistakes in one run
        report.findings += [Finding(p.where or str(data_path), p.message) for p in exc.located]
        report.findings += list(_template_findings(folders, None, _raw_figure_ids(data_path)))
        report.checked += ["data", "templates"]
        return report
    except InputError as exc:
        where = errors.where(exc.file or data_path, exc.line, exc.column)
        report.findings.append(Finding(where, exc.message.removeprefix(f"{where}: ")))
        report.checked.append("data")
        return report
    except ReportgenError as exc:
        report.findings.append(Finding(str(data_path), str(exc)))
        report.checked.append("data")
        return report
    report.checked.append("data")
    report.findings += list(_template_findings(folders, case_data, set(case_data.figures)))
    report.checked.append("templates")
    env = make_environment(folders, "en", load_labels(folders, "en"))
    report.needs = [str(needs) for needs in section_needs(env, folders)]
    static = {f"{f.where}: {f.message}" for f in report.findings}
    report.findings += [
        finding
        for finding in _audience_findings(data_path, templates, folders, case_data)
        if finding.message not in static  # found statically: reported once
    ]
    report.checked.append(f"{len(find_profiles(folders))} audiences")
    for text in source_texts:
        report.findings += list(_source_text_findings(case_data, text))
        report.checked.append(f"source text {text.path.name}")
    return report


# --------------------------------------------------------------------------
# Templates: syntax and undeclared variables


#: what ``pipeline.render_brief`` adds to the data's context
_PIPELINE_NAMES = {"labels", "tone", "audience", "brief_title", "brief_number", "date"}


def _raw_figure_ids(data_path: Path) -> set[str] | None:
    """The figure ids of a data file the schema refused, when it has any."""
    figures = load_yaml(data_path).data.get("figures")
    return set(figures) if isinstance(figures, dict) else None


def _template_findings(
    folders: list[Path], data: CaseData | None, figure_ids: set[str] | None
) -> Iterator[Finding]:
    """Syntax, variables the context lacks (when the data could be read)
    and figure ids the data lacks, for every section template."""
    labels = load_labels(folders, "en")
    env = make_environment(folders, "en", labels)
    known = None
    if data is not None:
        known = set(build_context(data, "en")) | _PIPELINE_NAMES | set(env.globals)
    seen: set[str] = set()
    for folder in folders:
        for path in sorted((folder / "sections").rglob("*.j2")):
            name = path.relative_to(folder).as_posix()
            if name in seen:
                continue  # overlaid by an earlier folder
            seen.add(name)
            yield from _one_template(env, path, known, figure_ids)


def _one_template(
    env: jinja2.Environment, path: Path, known: set[str] | None, figure_ids: set[str] | None
) -> Iterator[Finding]:
    try:
        source = read_template_file(path)  # a link out of the folder or a FIFO: refused
    except UnicodeDecodeError:
        yield Finding(str(path), "is not UTF-8; save the template as UTF-8")
        return
    except TemplateError as exc:
        yield Finding(str(path), exc.message.removeprefix(f"{path}: "))
        return
    try:
        ast = env.parse(source, filename=str(path))
        # compiling finds unknown filters and tests, which parsing does not
        undeclared = jinja_meta.find_undeclared_variables(ast)
    except jinja2.TemplateSyntaxError as exc:
        yield Finding(f"{path}:{exc.lineno}", explain_syntax(exc, sorted(env.filters)))
        return
    for claim in typed_claims(source):
        yield Finding(f"{path}:{claim.line}", claim.message, "warning")
    if figure_ids is not None:
        yield from _figure_findings(path, ast, figure_ids)
    for name in sorted(undeclared - known) if known is not None else []:
        line = _first_line(source, name)
        yield Finding(f"{path}:{line}", f"uses '{name}', which the data does not provide")


def _figure_findings(path: Path, ast: jinja2.nodes.Template, ids: set[str]) -> Iterator[Finding]:
    """``figures.X`` (or ``figures["X"]``) where the data has no figure X."""
    for node in ast.find_all((jinja2.nodes.Getattr, jinja2.nodes.Getitem)):
        key = figure_read(node)
        if key is not None and key not in ids:
            yield Finding(f"{path}:{node.lineno}", missing_figure(key, ids))


def _first_line(source: str, name: str) -> int:
    for number, text in enumerate(source.splitlines(), 1):
        if re.search(rf"\b{re.escape(name)}\b", text):
            return number
    return 1


# --------------------------------------------------------------------------
# Audiences: profiles, renders, budgets, orphan figures


def _audience_findings(
    data_path: Path, templates: Path | None, folders: list[Path], data: CaseData
) -> Iterator[Finding]:
    allowed = _data_numbers(data)
    untranslated: dict[str, str] = {}  # data path -> language
    for name, path in find_profiles(folders).items():
        for lang in _languages(folders):
            request = BriefRequest(data=data_path, audience=name, lang=lang, templates=templates)
            try:
                with warnings.catch_warnings():
                    # listed below, field by field, with the line to complete
                    warnings.simplefilter("ignore", coverage.LanguageCoverageWarning)
                    brief = render_brief(request, data)
            except ReportgenError as exc:
                yield Finding(f"{path} ({lang})", str(exc))
                continue
            untranslated.update(dict.fromkeys(brief.state.untranslated, lang))
            yield from _budget_findings(path, lang, brief)
            # the brief's own date (in the suggested citation) is not a figure
            dated = {_normal(n) for n in _NUMBER.findall(brief.document.meta.date)}
            # nor are deadlines counted from it ('by the end of May 2027')
            for r in data.recommendations:
                if r.within_months:
                    due = fmt.end_of_month_after(brief.document.meta.date, r.within_months, lang)
                    dated |= {_normal(n) for n in _NUMBER.findall(due)}
            yield from _orphan_findings(path, lang, brief.document, allowed | dated)
    yield from _coverage_findings(data_path, untranslated)


def _coverage_findings(data_path: Path, untranslated: dict[str, str]) -> Iterator[Finding]:
    """One warning per text field a brief printed in English for want of
    text in its language, at the field's line in the data."""
    if not untranslated:
        return
    marks = load_yaml(data_path).marks

    def line_of(field_path: str) -> tuple[int, int]:
        line, column = marks.find(coverage.path_parts(field_path))
        return (line or 0, column or 0)

    for field_path in sorted(untranslated, key=line_of):
        lang = untranslated[field_path]
        yield Finding(
            marks.where(coverage.path_parts(field_path)),
            f"{field_path} has no {lang} text, so the {lang} brief prints it in English; "
            f"add '{lang}:' beside 'en:'",
            "warning",
        )


def _languages(folders: list[Path]) -> list[str]:
    """English always; other languages when a folder has templates for them."""
    langs = ["en"]
    for lang in LANGS[1:]:
        if any((folder / "sections" / lang).is_dir() for folder in folders):
            langs.append(lang)
    return langs


#: Chinese characters per English word, roughly, in translated briefs: the
#: budgets are set in English words and a Chinese section is held to the same
CJK_CHARS_PER_WORD = 1.6


def _words(text: str) -> int:
    cjk = sum(1 for ch in text if is_han(ch))  # the one rule in text.script
    latin = len(re.findall(r"[A-Za-z0-9][\w'’.,-]*", text))
    return latin + round(cjk / CJK_CHARS_PER_WORD)


def _block_text(block: m.Document | m.Block) -> str:
    return " ".join(node.text for node in m.walk(block) if isinstance(node, m.Text))


def _budget_findings(path: Path, lang: str, brief: Brief) -> Iterator[Finding]:
    """Sections whose words run over the profile's budget (warnings)."""
    budget = brief.profile.budget
    for name, markdown in brief.sections:
        limit = budget.get(name)
        if not limit:
            continue
        words = _words(_block_text(parse(markdown, brief.document.meta, brief.state.charts)))
        if words > limit:
            yield Finding(
                f"{path} ({lang})",
                f"section '{name}' runs to {words} words, over its budget of {limit}",
                "warning",
            )


# A number not glued to a word or a decimal point before it (CJK text may
# stand right before a number, so \w, which matches CJK, will not do).
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.])\d[\d,]*(?:\.\d+)?")


def _normal(number: str) -> str:
    return number.replace(",", "").rstrip(".")


def _data_numbers(data: CaseData) -> set[str]:
    """Every number the data holds, as text, in every form a filter prints."""
    # The validated data, not the file: cases may come from a spreadsheet.
    found = {_normal(n) for n in _NUMBER.findall(data.model_dump_json())}
    for quantity in _quantities(data):
        for text in fmt.printed_forms(
            quantity.number, quantity.unit.value, quantity.qualifier.value
        ):
            found |= {_normal(n) for n in _NUMBER.findall(text)}
    return found


def _quantities(data: CaseData) -> Iterator[Quantity]:
    yield from data.figures.values()
    yield from (case.reach for case in data.cases if case.reach)


def _orphan_findings(
    path: Path, lang: str, doc: m.Document, allowed: set[str]
) -> Iterator[Finding]:
    """Numbers in the narrative that no data value explains: a figure typed
    into a template, or a sum a template worked out on its own."""
    reported: set[str] = set()
    for block in doc.blocks:
        if isinstance(block, m.Chart):
            continue  # axis ticks are scale marks, not figures
        for number in _NUMBER.findall(_block_text(block)):
            key = _normal(number)
            if key not in allowed and key not in reported:
                reported.add(key)
                yield Finding(
                    f"{path} ({lang})",
                    f"the figure '{number}' in the brief does "
                    "not come from the data; take it from the data or remove it",
                )


# --------------------------------------------------------------------------
# Source text: each numeric fact must occur in its cited paragraph


def paragraphs_of(path: Path) -> list[str]:
    """The paragraphs of a plain text: its non-empty lines, from 1."""
    text = read_text(path, "source text")
    return [line.strip() for line in text.splitlines() if line.strip()]


def _numeric_facts(data: CaseData) -> Iterator[tuple[str, list[str], Cite]]:
    """(data path, how the figure can be written, cite) for each number."""
    for key, q in data.figures.items():
        yield f"figures.{key}", _spellings(q.number), q.cite
        if q.year:
            yield f"figures.{key}.year", [str(q.year)], q.cite
    for i, case in enumerate(data.cases):
        if case.reach:
            yield f"cases[{i}].reach", _spellings(case.reach.number), case.reach.cite
        for j, h in enumerate(case.honours):
            if h.edition:
                yield f"cases[{i}].honours[{j}].edition", [str(h.edition)], h.cite
            if h.year:
                yield f"cases[{i}].honours[{j}].year", [str(h.year)], h.cite
    for i, event in enumerate(data.timeline):
        yield f"timeline[{i}].year", [str(event.year)], event.cite
    yield "base.approved.year", [str(data.base.approved.year)], data.base.approved.cite


def _spellings(value: Decimal | Fraction) -> list[str]:
    if isinstance(value, Fraction):
        return [f"{value.numerator}/{value.denominator}", fmt.share(value)]
    return sorted({fmt.number(value), fmt.number(value, "zh")})


def _source_text_findings(data: CaseData, text: SourceText) -> Iterator[Finding]:
    source_ids = {s.id for s in data.sources}
    wanted = text.source_id or (next(iter(source_ids)) if len(source_ids) == 1 else None)
    if wanted is None or wanted not in source_ids:
        registered = ", ".join(sorted(source_ids))
        problem = (
            f"no source has id '{wanted}'"
            if wanted
            else "the data has several sources; name one as ID=FILE"
        )
        yield Finding(str(text.path), f"{problem}; registered: {registered}")
        return
    try:
        paragraphs = paragraphs_of(text.path)
    except ReportgenError as exc:
        yield Finding(str(text.path), str(exc))
        return
    for path, spellings, cite in _numeric_facts(data):
        if data.source_id(cite) != wanted:
            continue
        where = f"{text.path}, paragraph {cite.paragraph}"
        if cite.paragraph > len(paragraphs):
            yield Finding(
                where, f"{path} cites a paragraph the text does not have (it has {len(paragraphs)})"
            )
            continue
        paragraph = paragraphs[cite.paragraph - 1]
        if not any(_occurs(s, paragraph) for s in spellings):
            yield Finding(
                where,
                f"{path}: the figure {spellings[0]} does not occur in the "
                "paragraph it cites; correct the data or the citation",
            )


def _occurs(figure: str, paragraph: str) -> bool:
    """``figure`` as a whole number in ``paragraph`` (2,880 or 2880)."""
    pattern = re.escape(figure).replace(",", ",?")
    if "," not in figure and figure.isdigit() and len(figure) > 3:
        pattern = ",?".join(re.escape(ch) for ch in figure)
    return re.search(rf"(?<![\d.]){pattern}(?![\d]|\.\d)", paragraph) is not None
