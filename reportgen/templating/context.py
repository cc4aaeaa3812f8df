"""The template context: the validated data, localised and cross-linked.

Templates see plain objects: text already in the brief's language (with the
other language at hand, ``case.title.zh``), organisation ids resolved to
organisations, and every quantity as a ``Fact`` that knows its data path,
so filters can format it, cite it and record where it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from pydantic import BaseModel

from ..data.schema import CaseData, Cite, LocalText, Quantity


class LText(str):
    """A string in the brief's language that remembers both languages."""

    en: str
    zh: str
    #: the data path, for "add zh: to ..." warnings
    _path: str

    def __new__(cls, text: LocalText, lang: str, path: str = "") -> LText:
        obj = super().__new__(cls, text.get(lang))
        obj.en, obj.zh = text.en, text.zh or ""
        obj._path = path
        return obj


class Node:
    """A record in the context: attribute access for templates."""

    # ``_path`` (where the record is in the data, for error messages) is a
    # slot, so ``vars(node)`` stays the record's own fields; the sandbox
    # hides names starting with '_' from templates.
    __slots__ = ("__dict__", "_path")

    def __init__(self, **fields: Any) -> None:
        self.__dict__.update(fields)
        self._path = ""

    def __repr__(self) -> str:
        return f"Node({', '.join(sorted(self.__dict__))})"


@dataclass(frozen=True)
class Fact:
    """A quantity from the data, with the path it was read from."""

    path: str
    label: str
    value: Decimal | Fraction
    unit: str
    qualifier: str
    year: int | None
    noun: str
    cite: Cite
    qualifier_word: str = ""

    def __str__(self) -> str:
        # A figure printed without a filter (inside join, format, ~) would show
        # its repr: refuse, and the template error names the line.
        raise TypeError(
            f"'{self.path}' is a figure: print it through a filter, e.g. "
            f"{{{{ {self.path} | figure }}}}"
        )


def _convert(value: Any, lang: str, path: str) -> Any:
    if isinstance(value, LocalText):
        return LText(value, lang, path)
    if isinstance(value, Quantity):
        return _fact(value, lang, path)
    if isinstance(value, Cite):
        return value
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        return _at(
            path,
            Node(
                **{name: _convert(getattr(value, name), lang, f"{path}.{name}") for name in fields}
            ),
        )
    if isinstance(value, list):
        return [_convert(item, lang, f"{path}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, dict):
        items = value.items()
        return _at(
            path, Node(**{key: _convert(item, lang, f"{path}.{key}") for key, item in items})
        )
    return value


def _at(path: str, node: Node) -> Node:
    node._path = path
    return node


def _fact(quantity: Quantity, lang: str, path: str) -> Fact:
    return Fact(
        path=path,
        label=LText(quantity.label, lang, f"{path}.label"),
        value=quantity.number,
        unit=quantity.unit.value,
        qualifier=quantity.qualifier.value,
        year=quantity.year,
        noun=LText(quantity.noun, lang, f"{path}.noun") if quantity.noun else "",
        cite=quantity.cite,
        qualifier_word=quantity.qualifier_word.get(lang, ""),
    )


def _key_figures(data: CaseData, figures: Node) -> list[Fact]:
    """The figures marked ``headline`` (else the first three): the ones a
    key-figures box shows, in data order."""
    marked = [key for key, q in data.figures.items() if q.headline]
    return [getattr(figures, key) for key in marked or list(data.figures)[:3]]


def _unique(items: Any) -> list[Any]:
    """Organisations in first-seen order, each once."""
    seen: dict[str, Any] = {}
    for item in items:
        seen.setdefault(item.id, item)
    return list(seen.values())


def build_context(data: CaseData, lang: str) -> dict[str, Any]:
    """The variables every section template may use."""
    top = {name: _convert(getattr(data, name), lang, name) for name in type(data).model_fields}
    orgs = {org.id: org for org in top["organisations"]}
    top["base"].members = [orgs[ref] for ref in top["base"].members]
    for policy in top["policies"]:
        policy.beneficiaries = [orgs[ref] for ref in policy.beneficiaries]
    for case in top["cases"]:
        case.producer = orgs.get(case.producer) if case.producer else None
        for deal in case.deals:
            deal.platform = orgs[deal.platform]
        for seen in case.availability:
            seen.platform = orgs[seen.platform]
    cases = {case.id: case for case in top["cases"]}
    for concept in top["distribution_models"] + top["themes"]:
        concept.case = cases.get(concept.case) if concept.case else None
    top["orgs"] = _at("orgs", Node(**{key.replace("-", "_"): org for key, org in orgs.items()}))
    top["producers"] = [o for o in top["organisations"] if o.role == "producer"]
    top["platforms"] = [o for o in top["organisations"] if o.role == "platform"]
    top["overseas_platforms"] = [o for o in top["platforms"] if o.market == "overseas"]
    top["domestic_platforms"] = [o for o in top["platforms"] if o.market == "domestic"]
    # most distinguished first: a spotlight picks the first
    top["cases_by_honours"] = sorted(top["cases"], key=lambda case: -len(case.honours))
    # a purchase is the firmest fact of going abroad: a digest leads with it
    top["cases_bought"] = [case for case in top["cases"] if case.deals]
    top["figure_list"] = list(vars(top["figures"]).values())
    top["key_figures"] = _key_figures(data, top["figures"])
    top["buyers"] = _unique(d.platform for c in top["cases"] for d in c.deals)
    top["popular_on"] = _unique(a.platform for c in top["cases"] for a in c.availability)
    top["lang"] = lang
    return top
