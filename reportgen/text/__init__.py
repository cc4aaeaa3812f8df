"""Text rules with no knowledge of briefs: number formatting per language,
script and line-breaking rules (CJK, kinsoku), Markdown escaping, safe
placeholders and where chart text names titles of works."""
