"""Source notes: numbering what the brief cites and writing the citations.

Templates cite facts with the ``cite`` filter, which returns a Markdown
footnote reference (``[^liu-jiang-2025-p3]``); one note per source and
paragraph, in order of first use. After rendering, the pipeline appends the
note texts as footnote definitions, and the Sources section lists every
publication used with the paragraphs it was cited for.

Citation style (author-date, as in the Chicago manual):
  note:  Liu and Jiang 2025, para. 3.
  entry: Liu Boyang and Jiang Hai. 2025. Shanghai Propaganda Newsletter
         (上海宣传通讯), no. 2. Column "This Issue's Planning". Series ...
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..data.schema import Author, CaseData, Cite, Source
from ..text.formatting import is_zh, join_list
from ..text.mdtext import MarkdownSafe, escape, markup
from ..text.script import is_han

#: two-character Chinese family names (复姓): 欧阳修 is cited as 欧阳
_COMPOUND_FAMILIES = frozenset(
    (  # noqa: SIM905 - a row of names reads better than a column of 32 strings
        "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 轩辕 端木 "
        "独孤 南宫 西门 呼延 申屠 澹台 公冶 太史 闻人 万俟 赫连 钟离 宗政 濮阳 百里 东郭"
    ).split()
)


def family_name(author: Author, lang: str) -> str:
    """The name a note cites an author by: ``family`` when the data gives
    it; else, for a name in Chinese characters, its first character (two
    for a compound family name), and for any other name its last word, so
    that a Western author is never cited by a given name."""
    if author.family is not None:
        return author.family.get(lang)
    name = author.name.get(lang).strip()
    if name and is_han(name[0]):
        return name[:2] if name[:2] in _COMPOUND_FAMILIES else name[:1]
    return name.split()[-1] if name.split() else name


@dataclass
class SourceUse:
    """A source cited in the brief and the paragraphs cited from it."""

    source: Source
    paragraphs: list[int] = field(default_factory=list)


class Citations:
    """Collects the notes of one brief as its templates render."""

    def __init__(self, data: CaseData, lang: str) -> None:
        self.lang = lang
        self.data = data
        self.sources = {source.id: source for source in data.sources}
        self.notes: dict[str, tuple[str, int]] = {}  # label -> (source id, paragraph)

    def reference(self, cites: list[Cite]) -> str:
        """Footnote references for ``cites``, deduplicated, in order."""
        labels: list[str] = []
        for cite in cites:
            source_id = self.data.source_id(cite) or ""
            label = f"{source_id}-p{cite.paragraph}"
            self.notes.setdefault(label, (source_id, cite.paragraph))
            if label not in labels:
                labels.append(label)
        return "".join(f"[^{label}]" for label in labels)

    def definitions(self) -> str:
        """Markdown footnote definitions for every note used so far."""
        # note texts hold data (author names): escaped, so they stay text
        lines = [f"[^{label}]: {escape(self.note_text(*key))}" for label, key in self.notes.items()]
        return "\n\n".join(lines)

    def used(self) -> list[SourceUse]:
        """The sources cited so far, in order of first use."""
        uses: dict[str, SourceUse] = {}
        for source_id, paragraph in self.notes.values():
            use = uses.setdefault(source_id, SourceUse(self.sources[source_id]))
            if paragraph not in use.paragraphs:
                use.paragraphs.append(paragraph)
        for use in uses.values():
            use.paragraphs.sort()
        return list(uses.values())

    # -- citation style ---------------------------------------------------

    def short_authors(self, source: Source) -> str:
        families = [family_name(author, self.lang) for author in source.authors]
        if len(families) > 2:
            return families[0] + ("等" if is_zh(self.lang) else " et al.")
        if is_zh(self.lang):
            return "、".join(families)  # Latin names: 、 reads better than 和
        return join_list(families, self.lang)

    def note_text(self, source_id: str, paragraph: int) -> str:
        return self.locator_text(source_id, [paragraph]) + ("。" if is_zh(self.lang) else ".")

    def locator_text(self, source_id: str, paragraphs: list[int]) -> str:
        """'Liu and Jiang 2025, paras. 3 and 4' (no final stop)."""
        source = self.sources[source_id]
        who, where = self.short_authors(source), self.paragraphs_words(paragraphs)
        if is_zh(self.lang):
            return f"{who}（{source.year}），{where}"
        return f"{who} {source.year}, {where}"

    def paragraphs_words(self, paragraphs: list[int]) -> str:
        """'para. 3', 'paras. 3 and 4', '第3、4段'."""
        numbers = [str(p) for p in paragraphs]
        if is_zh(self.lang):
            return f"第{'、'.join(numbers)}段"
        word = "para." if len(numbers) == 1 else "paras."
        return f"{word} {join_list(numbers, self.lang)}"

    def paragraphs_text(self, use: SourceUse) -> str:
        if is_zh(self.lang):
            # "引用第…段": the list ends in 段, so no line opens with a bare
            # number before 。 that reads as a note mark
            return "引用第" + "、".join(str(p) for p in use.paragraphs) + "段"
        return f"Cited: {self.paragraphs_words(use.paragraphs)}"

    def entry(self, source: Source) -> MarkdownSafe:
        """The full bibliographic entry of ``source`` as Markdown."""
        if is_zh(self.lang):
            return self.entry_zh(source)
        lang = self.lang
        names = join_list([author.name.get(lang) for author in source.authors], lang)
        parts = [markup("{}. {}.", names, source.year)]
        if source.original_title and source.description:
            # the title as published, then what it says in English, bracketed
            parts.append(
                markup("{} \\[{}\\].", source.original_title, source.description.get(lang))
            )
        elif source.original_title:
            parts.append(markup("{}.", source.original_title))
        elif source.title:
            parts.append(markup("“{}.”", source.title.get(lang)))
        elif source.description:  # no title on record: say what it is, in brackets
            parts.append(markup("\\[{}.\\]", source.description.get(lang)))
        issue = f", no. {source.issue}" if source.issue is not None else ""
        # the italic run holds the English name only: the Chinese name and its
        # parentheses stay upright, outside it
        original = f" (《{source.publication.zh}》)" if source.publication.zh else ""
        parts.append(markup("*{}*{}{}.", source.publication.get(lang), original, issue))
        if source.column:
            parts.append(markup("Column “{}”.", source.column.get(lang)))
        if source.series:
            parts.append(markup("Series “{}”.", source.series.get(lang)))
        return MarkdownSafe(" ".join(parts))

    def entry_zh(self, source: Source) -> MarkdownSafe:
        """GB/T 7714-2015 for a journal article, in the source's language:
        作者. 题名[J]. 刊名, 年(期). The column and series follow, as the
        standard allows for information that helps find the item."""
        names = [_gbt_name(author) for author in source.authors]
        if len(names) > 3:  # the standard lists three, then 等
            names = [*names[:3], "等"]
        parts = [markup("{}.", ", ".join(names))]
        if source.original_title:
            parts.append(markup("{}\\[J\\].", source.original_title))
        elif source.title:
            parts.append(markup("{}\\[J\\].", source.title.get("zh")))
        elif source.description:
            parts.append(markup("［{}］\\[J\\].", source.description.get("zh")))
        issue = f"({source.issue})" if source.issue is not None else ""
        parts.append(markup("{}, {}{}.", source.publication.get("zh"), source.year, issue))
        extras = []
        if source.column:
            extras.append(markup("“{}”栏目", source.column.get("zh")))
        if source.series and source.series.zh:
            extras.append(markup("“{}”系列", source.series.zh))
        elif source.series:
            # a Latin name keeps Latin punctuation: no CJK quote marks round
            # it, and its apostrophe stays typographic (’)
            extras.append(markup("系列文章 {} 之一", source.series.en.replace("'", "’")))
        tail = " " + "，".join(extras) + "。" if extras else ""
        return MarkdownSafe(" ".join(parts) + tail)


def _gbt_name(author: Author) -> str:
    """An author as GB/T 7714 writes one: the Chinese name where the data
    has it, else the family name in capitals and the given name after it
    (LIU Boyang)."""
    if author.name.zh:
        return author.name.zh
    family = family_name(author, "en")
    given = author.name.en.replace(family, "", 1).strip()
    return f"{family.upper()} {given}".strip()
