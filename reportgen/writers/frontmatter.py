"""The Markdown format: the rendered Markdown with a YAML header that pandoc
reads (title, subtitle, author, date, language). It is the brief's source
itself, not drawn from the document model, so it has no writer."""

from __future__ import annotations

from ..model import Metadata


def markdown_file(markdown: str, meta: Metadata) -> str:
    """``markdown`` headed by its metadata; empty fields are left out."""
    import yaml  # loaded only when Markdown is asked for

    header = {
        "title": meta.title,
        "subtitle": meta.subtitle,
        "author": meta.author,
        "date": meta.date,
        "lang": meta.lang,
    }
    front = yaml.safe_dump(
        {k: v for k, v in header.items() if v}, allow_unicode=True, sort_keys=False
    )
    return f"---\n{front}---\n\n{markdown}"
