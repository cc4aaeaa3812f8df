"""Chart text as the layout breaks it into lines: its characters and the
slant of each.

A label or a note of the model (``model.ChartText``) is a few runs; line
breaking cuts, strips and measures text without regard to where a run
ends, so the layout works on a ``Styled`` text, which keeps the slant of
every character through each cut: a title broken across two lines is
italic on both, and no character stands for a style.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import ChartText


@dataclass(frozen=True, slots=True)
class Styled:
    """``text`` with ``italic[i]`` the slant of ``text[i]``."""

    text: str = ""
    italic: tuple[bool, ...] = ()

    @classmethod
    def of(cls, text: Styled | ChartText | str) -> Styled:
        """``text`` as styled text; a plain string is upright."""
        if isinstance(text, Styled):
            return text
        if isinstance(text, str):
            return cls(text, (False,) * len(text))
        return cls(text.text, tuple(run.italic for run in text.runs for _ in run.text))

    def __len__(self) -> int:
        return len(self.text)

    def __getitem__(self, key: slice) -> Styled:
        return Styled(self.text[key], self.italic[key])

    def __add__(self, other: Styled) -> Styled:
        return Styled(self.text + other.text, self.italic + other.italic)

    def strip(self) -> Styled:
        return self[len(self.text) - len(self.text.lstrip()) : len(self.text.rstrip())]

    def rstrip(self) -> Styled:
        return self[: len(self.text.rstrip())]

    def paragraphs(self) -> list[Styled]:
        """The text cut at each line feed, which no piece keeps."""
        pieces, start = [], 0
        for end, char in enumerate(self.text):
            if char == "\n":
                pieces.append(self[start:end])
                start = end + 1
        return [*pieces, self[start:]]

    def then(self, more: str) -> Styled:
        """``more`` added in the slant of the last character (an ellipsis)."""
        slant = self.italic[-1] if self.italic else False
        return self + Styled(more, (slant,) * len(more))
