"""The case-data schema: what a data file may hold, typed and documented.

Every model forbids unknown keys, so a misspelt key is an error rather than
silently dropped data. Every fact carries a ``cite`` (source id and
paragraph), so any figure in a brief can be traced to its source passage.
``reportgen schema`` prints this as JSON Schema for editors.
"""

from __future__ import annotations

import types
import typing
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
Year = Annotated[int, Field(ge=1900, le=2100)]
#: a key templates use as an attribute: figures.market_size
Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=80)]
FractionText = Annotated[str, StringConstraints(pattern=r"^\d+/[1-9]\d*$")]


def type_options(annotation: Any) -> list[Any]:
    """The alternatives of a union or Annotated type, flattened: what a field
    may hold, for code that walks the schema (did-you-mean, table columns)."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return type_options(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [opt for arg in typing.get_args(annotation) for opt in type_options(arg)]
    return [annotation]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _text_from_str(value: object) -> object:
    return {"en": value} if isinstance(value, str) else value


class LocalText(Model):
    """Text in English and, where it is certain, Chinese. A plain string is
    English."""

    en: Annotated[str, StringConstraints(min_length=1)]
    zh: str | None = None

    def get(self, lang: str) -> str:
        return (self.zh if lang.startswith("zh") else None) or self.en


Text = Annotated[LocalText, BeforeValidator(_text_from_str)]


class Cite(Model):
    """Where a fact comes from: a source of the register and a paragraph of
    it (paragraphs are numbered from 1; headings count)."""

    source: Slug | None = Field(
        None, description="source id; the data's default_source if left out"
    )
    paragraph: Annotated[int, Field(ge=1)]


class Unit(str, Enum):
    # The member is named as the data spells the unit, which shadows str.count
    # on the members; nothing here counts substrings of a unit.
    count = "count"  # type: ignore[assignment]
    yuan = "yuan"
    billion_yuan = "billion_yuan"
    share = "share"


class Qualifier(str, Enum):
    exact = "exact"
    more_than = "more_than"
    about = "about"
    at_least = "at_least"


class Quantity(Model):
    """A number with its unit, year and source."""

    label: Text = Field(description="what the number measures, short: 'annual tax revenue'")
    value: Decimal | FractionText = Field(description="the number; a share may be a fraction '1/3'")
    unit: Unit
    qualifier: Qualifier = Qualifier.exact
    # The Chinese original words "more than" three ways (逾, 突破, 超过); a
    # brief should keep the source's word rather than level them all to one.
    qualifier_word: dict[str, str] = Field(
        default_factory=dict,
        description="the source's own word for the qualifier, by language: {zh: 逾}",
    )
    year: Year | None = None
    noun: Text | None = Field(None, description="what is counted: 'companies'")
    headline: bool = Field(
        False, description="one of the key figures boxed on page one (else the first three)"
    )
    cite: Cite

    @property
    def number(self) -> Decimal | Fraction:
        return Fraction(self.value) if isinstance(self.value, str) else self.value


class Event(Model):
    """One dated step on the timeline."""

    year: Year
    event: Text
    cite: Cite


class Approval(Model):
    year: Year
    by: Text
    cite: Cite


class Base(Model):
    """The industry base (the park) the brief is about."""

    name: Text
    short_name: Text
    distinction: Text = Field(description="what makes it notable, as a noun phrase")
    approved: Approval
    ecosystem: list[Text] = Field(
        default_factory=list, description="links of the industry chain it covers"
    )
    chain: Text | None = Field(
        None,
        description=(
            "how far the chain has formed, with the source's own qualifier, as a "
            "verb phrase: 'has initially formed a full industry chain'"
        ),
    )
    members: list[Slug] = Field(
        default_factory=list, description="organisation ids of notable companies settled there"
    )
    cite: Cite


class Organisation(Model):
    id: Slug
    name: Text
    role: Literal["producer", "platform", "regulator", "event"]
    market: Literal["domestic", "overseas"] | None = None
    cite: Cite


class Policy(Model):
    """A policy instrument: a fund, a database, a mechanism, a plan."""

    id: Slug
    name: Text
    kind: Literal["fund", "database", "mechanism", "preferential_policy", "service_plan", "event"]
    year: Year | None = Field(
        None, description="the year it was set up, only where the source says so"
    )
    summary: Text = Field(description="what it does, as a verb phrase: 'funds translation ...'")
    supports: list[Text] = Field(default_factory=list, description="what it pays for or provides")
    beneficiaries: list[Slug] = Field(default_factory=list, description="organisation ids")
    aim: Text | None = None
    cite: Cite


class Deal(Model):
    """What happened between a series and a platform: it bought the rights.
    Only a recorded purchase is a deal; a platform where a series is merely
    reported to be popular or available is an ``Availability``."""

    platform: Slug = Field(description="organisation id of the buyer")
    rights: Text | None = Field(
        None, description="the rights bought, as a noun phrase, where the source names them"
    )
    note: Text | None = Field(
        None, description="what followed, as a participle: 'broadcast worldwide'"
    )
    cite: Cite


class Availability(Model):
    """A platform a series is reported to be popular on or available on: a
    weaker fact than a deal, worded as such ('popular on YouTube')."""

    platform: Slug = Field(description="organisation id of the platform")
    kind: Literal["popular", "available"] = "popular"
    cite: Cite


class Honour(Model):
    """An award, a ranking or a listing a series achieved."""

    kind: Literal["award", "ranking", "listing"]
    title: Text
    event: Text | None = None
    edition: Annotated[int, Field(ge=1)] | None = None
    place: Text | None = None
    year: Year | None = None
    cite: Cite


class Remake(Model):
    status: Text
    interest: Text | None = Field(None, description="who has shown interest in the rights")
    cite: Cite


class Case(Model):
    """One series that went overseas."""

    id: Slug
    title: Text
    genre: Text | None = None
    producer: Slug | None = Field(None, description="organisation id")
    deals: list[Deal] = Field(default_factory=list, description="purchases by platforms")
    availability: list[Availability] = Field(
        default_factory=list, description="platforms it is reported to be popular or available on"
    )
    reach: Quantity | None = None
    honours: list[Honour] = Field(default_factory=list)
    remake: Remake | None = None
    cite: Cite


class Named(Model):
    """A named thing with its source: a channel of distribution."""

    id: Slug
    name: Text
    cite: Cite


class Concept(Named):
    """A named idea the brief explains: a distribution model, a theme."""

    description: Text | None = Field(
        None,
        description="what the source says of it; left out where the source only names it",
    )
    case: Slug | None = Field(
        None,
        description=(
            "the id of the case the source reports it for (a theme seen in one "
            "series), so the brief names that series rather than generalising"
        ),
    )


class Claim(Model):
    """Something the brief argues: either the source's own claim (``cite``)
    or the issuing office's judgement (``basis: judgement``), never both and
    never neither, so a reader can always tell evidence from assessment."""

    text: Text
    cite: Cite | None = None
    basis: Literal["judgement"] | None = Field(
        None, description="'judgement': the issuing office's own assessment, not the source's"
    )
    audiences: list[Slug] = Field(
        default_factory=list,
        description=(
            "the audiences whose brief prints it (profile names: policymakers, "
            "international); every audience when left out"
        ),
    )
    languages: list[Literal["en", "zh"]] = Field(
        default_factory=list,
        description=(
            "the editions that print it (en, zh): a note about the English "
            "translation means nothing to a Chinese reader; every edition when left out"
        ),
    )

    @model_validator(mode="after")
    def _cited_or_judged(self) -> Claim:
        if (self.cite is None) == (self.basis is None):
            raise ValueError(
                "give either cite: {paragraph: N} (the source says it) or "
                "basis: judgement (the office's own assessment), not "
                + ("both" if self.cite else "neither")
            )
        return self


class Recommendation(Claim):
    """A recommendation: what to do, who should act and by when."""

    owner: Text = Field(description="who should act: 'the municipal film bureau'")
    timeframe: Text = Field(description="by when: 'before the next funding round'")
    within_months: int | None = Field(
        None,
        ge=1,
        le=120,
        description=(
            "a deadline this many months after the brief's date: printed as a "
            "calendar month ('by the end of May 2027') instead of the timeframe"
        ),
    )


class Issuer(Model):
    """The body that issues the brief: named on page one, in the file's
    author field and in the suggested citation (never the source's authors)."""

    name: Text
    contact: Text | None = Field(None, description="an address, telephone or e-mail")
    number: str | None = Field(
        None, description="the brief's number, printed as given: '2025-03' (wins over series)"
    )
    series: str | None = Field(
        None,
        description=(
            "the prefix of the office's brief numbers: 'PRO' numbers a brief "
            "PRO-2026-P1, with the year of its date and the audience profile's code"
        ),
    )


class Subject(Model):
    """What the brief counts: the noun for one and for several ('series',
    'films', 'games'), and the Chinese measure word ('部', '款')."""

    singular: Text
    plural: Text
    measure: str = Field("个", description="the Chinese measure word: 部 for series and films")


class Author(Model):
    """A source's author. Notes cite the family name: ``family`` when given,
    else the last word of a Western name or the first character(s) of a
    Chinese one; a romanised Chinese name (Liu Boyang) needs ``family``."""

    name: Text
    family: Text | None = Field(
        None, description="the family name notes cite: 'Liu' for 'Liu Boyang'"
    )
    affiliation: Text


class Source(Model):
    """A publication in the source register."""

    id: Slug
    title: Text | None = Field(None, description="left out when the record has none")
    original_title: str | None = Field(
        None,
        description=(
            "the title in the source's own language, as published (a Chinese "
            "article's Chinese title); the entry prints it as given, with "
            "`description` as its translation in English"
        ),
    )
    description: Text | None = Field(
        None,
        description=(
            "what the piece is, in the project's own words, for a record with no "
            "title; printed in square brackets, never as a title"
        ),
    )
    note: Text | None = Field(
        None,
        description="what a reader of the notes must know: 'paragraphs of the English translation'",
    )
    publication: Text
    year: Year
    issue: str | int | None = None
    column: Text | None = None
    series: Text | None = None
    authors: list[Author] = Field(min_length=1)
    paragraphs: Annotated[int, Field(ge=1)] = Field(description="how many paragraphs the text has")
    text_location: str = Field(description="where the text can be found")


class SourceRegister(Model):
    sources: list[Source] = Field(min_length=1)


class CaseData(Model):
    """A data file: the facts one brief is made from."""

    schema_version: Literal[1] = 1
    slug: Slug = Field(description="names the output files")
    title: Text = Field(description="the subject of the brief")
    region: Text
    edition: str = Field(description="the data edition, e.g. '2025-02'")
    sources_from: str | None = Field(
        None, description="a source register YAML, relative to this file"
    )
    sources: list[Source] = Field(default_factory=list)
    default_source: Slug | None = None
    issuer: Issuer | None = Field(None, description="the office that issues the brief")
    subject: Subject = Field(
        default_factory=lambda: Subject(
            singular=LocalText(en="series", zh="剧集"),
            plural=LocalText(en="series", zh="剧集"),
            measure="部",
        ),
        description="the noun for what the cases are",
    )
    key_messages: list[Claim] = Field(
        default_factory=list,
        max_length=20,
        description="three to five for each audience's page one (tag them with audiences)",
    )
    findings: list[Claim] = Field(default_factory=list)
    limits: list[Claim] = Field(default_factory=list, description="limits of the evidence")
    recommendations: list[Recommendation] = Field(default_factory=list)
    base: Base
    figures: dict[Key, Quantity] = Field(description="key figures by id")
    timeline: list[Event] = Field(default_factory=list)
    policies: list[Policy] = Field(default_factory=list)
    organisations: list[Organisation] = Field(default_factory=list)
    cases: list[Case] = Field(default_factory=list)
    cases_from: str | None = Field(
        None, description="a .xlsx or .csv table of more cases, relative to this file"
    )
    cases_sheet: str | None = Field(None, description="the workbook sheet (default: the first)")
    channels: list[Named] = Field(
        default_factory=list, description="media the series reach viewers through"
    )
    distribution_models: list[Concept] = Field(default_factory=list)
    themes: list[Concept] = Field(default_factory=list)

    @model_validator(mode="after")
    def _five_key_messages_a_page(self) -> CaseData:
        # page one holds three to five: count what each audience would print
        shared = [k for k in self.key_messages if not k.audiences]
        tags = {tag for k in self.key_messages for tag in k.audiences}
        for tag in sorted(tags) or [""]:
            count = len(shared) + sum(tag in k.audiences for k in self.key_messages)
            if count > 5:
                whom = f"the {tag} brief" if tag else "a brief"
                raise ValueError(
                    f"key_messages: {whom} would print {count} on page one; keep "
                    "five at most (tag each with the audiences it is for)"
                )
        return self

    @model_validator(mode="after")
    def _concepts_name_known_cases(self) -> CaseData:
        # a theme tied to a case the data does not hold would print nothing
        # where the brief promises a series
        ids = {case.id for case in self.cases}
        for key in ("distribution_models", "themes"):
            for i, item in enumerate(getattr(self, key)):
                if item.case and item.case not in ids:
                    known = ", ".join(sorted(ids)) or "none"
                    raise ValueError(
                        f"{key}[{i}].case: no case has id '{item.case}'; case ids: {known}"
                    )
        return self

    def source_id(self, cite: Cite) -> str | None:
        """The source a cite points at: its own, the default, or the only one."""
        if cite.source:
            return cite.source
        if self.default_source:
            return self.default_source
        return self.sources[0].id if len(self.sources) == 1 else None
