"""Formatting numbers, amounts, shares, lists and ordinals for English and
Chinese text. Pure functions; ``templating`` exposes them as Jinja filters.

English follows house style for briefs ("225.5 billion yuan", "2,880",
"one third"); Chinese uses 亿/万 units and Chinese fractions
("2255亿元", "2880余家", "三分之一").
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

Number = int | float | Decimal | Fraction

_EN_SMALL = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_EN_DENOMINATORS = {
    2: ("half", "halves"),
    3: ("third", "thirds"),
    4: ("quarter", "quarters"),
    5: ("fifth", "fifths"),
    10: ("tenth", "tenths"),
}
_ZH_DIGITS = "零一二三四五六七八九十"


def is_zh(lang: str) -> bool:
    return lang.lower().startswith("zh")


def _plain(value: Number) -> str:
    """The shortest exact decimal text of ``value``: 18, 225.5, 1.7."""
    if isinstance(value, Fraction):
        dec = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.0001"))
    else:
        dec = value if isinstance(value, Decimal) else Decimal(str(value))
    return format(dec.normalize(), "f")


def _fixed(value: Number, places: int) -> str:
    """``value`` with exactly ``places`` decimals: 0.50, 2.500."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    dec = value if isinstance(value, Decimal) else Decimal(str(value))
    return format(dec.quantize(Decimal(1).scaleb(-places)), "f")


def number(value: Number, lang: str = "en", places: int | None = None) -> str:
    """A number for running text: thousands separators in English only.
    ``places``: exactly that many decimals (the ticks of one chart axis
    share one precision: 0.25, 0.50, 0.75), else as many as it has."""
    text = _plain(value) if places is None else _fixed(value, places)
    if is_zh(lang):
        return text
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{int(whole.lstrip('-')):,}"
    return sign + grouped + (f".{frac}" if frac else "")


def share(value: Number, lang: str = "en") -> str:
    """A share as words: 'one third', '三分之一'; else a percentage."""
    frac = Fraction(value).limit_denominator(12)
    if (
        abs(float(frac) - float(value)) < 0.005
        and frac.denominator in _EN_DENOMINATORS
        and 0 < frac < 1
    ):
        if is_zh(lang):
            return f"{_ZH_DIGITS[frac.denominator]}分之{_ZH_DIGITS[frac.numerator]}"
        singular, plural = _EN_DENOMINATORS[frac.denominator]
        if frac.numerator == 1:
            return f"one {singular}" if frac.denominator != 2 else "one half"
        return f"{_EN_SMALL[frac.numerator]} {plural}"
    percent = number(Decimal(str(float(value) * 100)).quantize(Decimal("0.1")), lang)
    return f"{percent}%"


def yuan(value: Number, lang: str = "en") -> str:
    """An amount of yuan: '1,200 yuan', '450 million yuan' (a large round
    sum in words, as 'billion yuan' is); in Chinese with 万/亿 units."""
    amount = Decimal(str(value))
    if is_zh(lang):
        return _zh_large(amount) + "元"
    for size, word in ((Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million")):
        # only where the words are exact: 450,123,456 yuan keeps its digits
        if abs(amount) >= size and (amount / size) == (amount / size).quantize(Decimal("0.01")):
            return f"{number(amount / size, lang)} {word} yuan"
    return f"{number(value, lang)} yuan"


def billion_yuan(value: Number, lang: str = "en") -> str:
    """'225.5 billion yuan'; in Chinese 225.5 billion is 2255亿元."""
    if is_zh(lang):
        return _zh_large(Decimal(str(value)) * Decimal(10) ** 9) + "元"
    return f"{number(value, lang)} billion yuan"


def _zh_large(value: Decimal) -> str:
    """亿 from 10^8 and 万 from 10^4: 2.255e11 -> 2255亿."""
    for size, unit in ((Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万")):
        if abs(value) >= size:
            return _plain(value / size) + unit
    return _plain(value)


def compact(value: Number, unit: str, qualifier: str, lang: str = "en") -> str:
    """A short form for key-figure boxes: '2,880+', '225.5 bn yuan', '1/3';
    in Chinese '2880余', '2255亿元', '三分之一'."""
    if unit == "share":
        return share(value, lang)
    plus = qualifier in ("more_than", "at_least")
    if unit == "billion_yuan":
        text = billion_yuan(value, lang) if is_zh(lang) else f"¥{number(value, lang)} bn"
    elif unit == "yuan":
        text = yuan(value, lang) if is_zh(lang) else _en_large_yuan(Decimal(str(value)))
    else:
        text = number(value, lang)
    if qualifier == "about":
        return ("约" if is_zh(lang) else "c. ") + text
    if not plus:
        return text
    if is_zh(lang):
        return text + "余" if unit == "count" else "超" + text
    return text + "+"


def _en_large_yuan(value: Decimal) -> str:
    for size, word in ((Decimal(10) ** 9, "bn"), (Decimal(10) ** 6, "m")):
        if abs(value) >= size:
            return f"¥{_plain(value / size)} {word}"
    return f"¥{number(value)}"


def amount(value: Number, unit: str, lang: str = "en") -> str:
    """A value in its unit: '225.5 billion yuan', '2255亿元', 'one third', '2,880'."""
    if unit == "billion_yuan":
        return billion_yuan(value, lang)
    if unit == "yuan":
        return yuan(value, lang)
    if unit == "share":
        return share(value, lang)
    return number(value, lang)


_QUALIFIERS = {
    "en": {"more_than": "more than {}", "about": "about {}", "at_least": "at least {}"},
    "zh": {"more_than": "超过{}", "about": "约{}", "at_least": "至少{}"},
}


def figure(
    value: Number, unit: str, qualifier: str, noun: str = "", lang: str = "en", word: str = ""
) -> str:
    """The amount with its qualifier and, for counts, what is counted:
    'more than 2,880 companies', '2880余家企业', 'more than 1.7 billion yuan'.
    ``word`` is the source's own qualifier ('逾'), printed instead of the
    default so the brief says "more than" as the source does."""
    text = amount(value, unit, lang)
    zh = is_zh(lang)
    if word and qualifier != "exact":
        text = f"{word}{text}" if zh else f"{word} {text}"
        return text + ((noun if zh else f" {noun}") if unit == "count" and noun else "")
    if unit == "count" and zh and qualifier == "more_than":
        return f"{text}余{noun}"
    text = _QUALIFIERS["zh" if zh else "en"].get(qualifier, "{}").format(text)
    if unit == "count" and noun:
        text += noun if zh else f" {noun}"
    return text


def printed_forms(value: Number, unit: str, qualifier: str) -> list[str]:
    """Every text the figure filters can print for a value, in every
    language: what ``check`` accepts as coming from the data."""
    forms = []
    for lang in ("en", "zh"):
        forms += [
            number(value, lang),
            amount(value, unit, lang),
            compact(value, unit, qualifier, lang),
        ]
    return forms


def capfirst(text: str) -> str:
    """Upper-case the first letter only (Jinja's ``capitalize`` lowers the
    rest), past any opening quote: '"one company, one policy"' starts a
    sentence as '"One company, one policy"'."""
    lead = len(text) - len(text.lstrip("\"'“‘「『《(（"))
    return text[:lead] + text[lead : lead + 1].upper() + text[lead + 1 :]


def ordinal(value: int, lang: str = "en") -> str:
    """27 -> '27th' / '第27'."""
    if is_zh(lang):
        return f"第{value}"
    suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
    return f"{value}{suffix}"


def join_list(items: list[str], lang: str = "en", conjunction: str | None = None) -> str:
    """'A, B and C' / 'A、B和C'."""
    items = [str(item) for item in items]
    if is_zh(lang):
        return _join_zh(items, conjunction if conjunction is not None else "和")
    word = conjunction if conjunction is not None else "and"
    if len(items) <= 1:
        return "".join(items)
    # a last item with its own "and" ('communication and distribution') needs
    # the serial comma, or the list reads as 'B and communication'
    serial = "," if len(items) > 2 and f" {word} " in items[-1] else ""
    return ", ".join(items[:-1]) + f"{serial} {word} " + items[-1]


def _join_zh(items: list[str], word: str) -> str:
    """A、B和C; titles in 《》 side by side need no 、 (GB/T 15834)."""
    if len(items) <= 1:
        return "".join(items)
    text = items[0]
    for item in items[1:-1]:
        text += ("" if text.endswith("》") and item.startswith("《") else "、") + item
    return text + word + items[-1]


def labelled(label: str, text: str, lang: str = "en") -> str:
    """'Source: Liu and Jiang 2025' / '资料来源：刘、江（2025）': a label and
    what it labels, parted by the language's colon (full width in Chinese)."""
    return f"{label}：{text}" if is_zh(lang) else f"{label}: {text}"


def join_clauses(items: list[str], lang: str = "en") -> str:
    """'2005: A; 2010: B' / '2005：A；2010：B': items that may hold commas
    or colons of their own, one after another, parted by the language's
    semicolon (full width in Chinese)."""
    return ("；" if is_zh(lang) else "; ").join(items)


_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def date_text(iso: str, lang: str) -> str:
    """The date as a reader of ``lang`` writes it: 2026年1月1日, 1 January 2026."""
    day = dt.date.fromisoformat(iso)
    if is_zh(lang):
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"


def end_of_month_after(iso: str, months: int, lang: str = "en") -> str:
    """'By the end of May 2027' / '2027年5月底前': the month ``months`` after
    the date ``iso``. Officials track a calendar month, not 'within six
    months of this brief', and the month's end leaves no doubt which day."""
    start = dt.date.fromisoformat(iso)
    index = start.year * 12 + start.month - 1 + months
    y, m = divmod(index, 12)
    if is_zh(lang):
        return f"{y}年{m + 1}月底前"
    return f"by the end of {_MONTH_NAMES[m]} {y}"


def year(value: int, lang: str = "en") -> str:
    return f"{value}年" if is_zh(lang) else str(value)


def plural(
    value: int, singular: str, plural_form: str | None = None, measure: str = "", lang: str = "en"
) -> str:
    """A count with its noun, agreeing in number: 'one series', 'two themes',
    'three routes'; in Chinese the measure word instead: '三部剧集'."""
    if is_zh(lang):
        return f"{count_word(value, lang)}{measure}{singular}"
    return f"{count_word(value, lang)} {noun_for(value, singular, plural_form)}"


def noun_for(value: int, singular: str, plural_form: str | None = None) -> str:
    """The English noun for ``value`` things: singular for one, else plural
    (given, or the singular with an s)."""
    if value == 1:
        return singular
    return plural_form if plural_form is not None else singular + "s"


def count_word(value: int, lang: str = "en") -> str:
    """Small counts as words in English running text: 3 -> 'three'."""
    if not is_zh(lang) and 0 <= value < len(_EN_SMALL):
        return _EN_SMALL[value]
    if is_zh(lang) and 0 <= value <= 10:
        return "两" if value == 2 else _ZH_DIGITS[value]  # 两部, not 二部
    return number(value, lang)


def human_size(size: int, lang: str = "en") -> str:
    """1536 -> '1.5 KB'; binary units, as mail clients show them."""
    if size < 1024:
        return f"{number(size, lang)} B"
    value = size / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{number(round(value, 1), lang)} {unit}"
        value /= 1024
    return f"{number(round(value, 1), lang)} GB"
