"""A brief's metadata: its titles, issuer, number, date (from
SOURCE_DATE_EPOCH when set, for reproducible builds), language tag and the
page decisions its profile takes, resolved for the writers."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from ..data.schema import CaseData
from ..errors import UsageError
from ..layout import page
from ..model import Metadata
from ..templating.profiles import Profile
from ..text import formatting as fmt

#: the language tag each brief language is written with
LANG_TAGS = {"en": "en", "zh": "zh-CN"}


def source_timestamp() -> int:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None:
        return int(dt.datetime.now(dt.timezone.utc).timestamp())
    try:
        value = int(raw) if len(raw) < 30 else None
    except ValueError:
        value = None
    if value is None:
        raise UsageError(f"SOURCE_DATE_EPOCH={raw[:40]!r} is not a whole number of seconds")
    if not 0 <= value <= _LAST_DATE:
        raise UsageError(
            f"SOURCE_DATE_EPOCH={raw!r} is outside the calendar a brief can print; give "
            f"seconds since 1970 from 0 to {_LAST_DATE} (the end of 9999)"
        )
    return value


#: 9999-12-31 23:59:59 UTC, the last second ``datetime`` can show
_LAST_DATE = 253_402_300_799


def brief_metadata(
    data: CaseData,
    profile: Profile,
    audience: str,
    lang: str,
    labels: dict[str, str],
    titles: tuple[str, str],
) -> Metadata:
    """The brief's metadata: its rendered ``titles`` (title, subtitle), who
    issues it, its number and date, and what the profile decides about the
    page, resolved for the writers."""
    title, subtitle = titles
    stamp = source_timestamp()
    issuer = getattr(data, "issuer", None) or profile.issuer
    date = dt.datetime.fromtimestamp(stamp, dt.timezone.utc).date().isoformat()
    return Metadata(
        title=_unescape(title),
        subtitle=_unescape(subtitle),
        # the issuing body is the author; the source's authors are cited, not credited
        author=issuer.name.get(lang) if issuer else "",
        number=_brief_number(issuer, profile, audience, date, lang),
        contact=issuer.contact.get(lang) if issuer and issuer.contact else "",
        subject=data.title.get(lang),
        keywords=(*tuple(c.title.get(lang) for c in data.cases), data.region.get(lang)),
        lang=LANG_TAGS[lang],
        audience=audience,
        audience_label=profile.audience.get(lang),
        edition=data.edition,
        date=date,
        date_text=fmt.date_text(date, lang),
        timestamp=stamp,
        labels=tuple(sorted(labels.items())),
        layout=profile.layout,
        brand=tuple((k, v) for k, v in profile.brand.model_dump().items() if isinstance(v, str)),
        **_page_decisions(profile, lang, labels),
    )


def _brief_number(issuer: Any, profile: Profile, audience: str, date: str, lang: str) -> str:
    """The brief's number: the issuer's own if it gives one, else its series,
    the year of the brief's date and the audience's code, so the number
    never contradicts the date and no two audiences share one."""
    if issuer is None:
        return ""
    series = getattr(issuer, "series", None)
    if issuer.number or not series:
        return issuer.number or ""
    # the language closes the number: an edition in each language is a
    # document of its own, cited apart (PRO-2026-P1EN, PRO-2026-P1ZH)
    return f"{series}-{date[:4]}-{profile.code or audience}{lang.upper()}"


def _page_decisions(profile: Profile, lang: str, labels: dict[str, str]) -> dict[str, Any]:
    """What the profile decides about the page, resolved for the writers."""
    return {
        "page_size": profile.page_size,
        "margins": page.margins(profile.page_size, profile.margins.model_dump()),
        "cover": profile.cover,
        "contents": profile.contents,
        "logo": profile.logo,
        "numbering": profile.numbering,
        "page_label": page.page_label(
            profile.page_numbers, lang, labels.get("page_of", "{page} / {pages}")
        ),
    }


def _unescape(text: str) -> str:
    """Profile titles are rendered like sections (escaped for Markdown) but
    are used as plain text: drop the backslash escapes again."""
    from markdown_it.common.utils import unescapeAll

    return str(unescapeAll(text))
