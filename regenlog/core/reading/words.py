"""Words with their boxes, and the lines they make, whatever engine read them.

Both the PDF text layer and Tesseract end here: a page is a list of ``Word`` in PDF points
from the top-left, so field and table reading never care where the words came from.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from regenlog.core.reading.result import Box


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    y0: float  # top
    x1: float
    y1: float  # bottom
    confidence: float = 1.0  # OCR's own confidence (0..1); 1 for a text layer
    page: int = 1  # 1-based

    @property
    def box(self) -> Box:
        return Box(self.x0, self.y0, self.x1, self.y1)

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(slots=True)
class Line:
    """Words on one baseline, left to right."""

    words: list[Word] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def top(self) -> float:
        return min(w.y0 for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.y1 for w in self.words)

    @property
    def page(self) -> int:
        return self.words[0].page

    @property
    def height(self) -> float:
        return sorted(w.height for w in self.words)[len(self.words) // 2]


def clean_text(text: str) -> str:
    """Ligatures (ﬁ), non-breaking and odd spaces and typographic dashes as plain text."""
    text = unicodedata.normalize("NFKC", text)
    return text.translate(_PLAIN)


_PLAIN = str.maketrans({
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ",
})


def group_lines(words: list[Word]) -> list[Line]:
    """Words grouped into lines by the overlap of their vertical extents, top to bottom.

    A word joins the line whose vertical middle band it overlaps most; lines are then sorted
    top to bottom and each line's words left to right.
    """
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: (w.page, (w.y0 + w.y1) / 2, w.x0)):
        middle = (word.y0 + word.y1) / 2
        target = None
        # Only the last few lines can hold this word: words arrive sorted by their middle.
        for line in reversed(lines[-4:]):
            if line.page != word.page:
                break
            top, bottom = line.top, line.bottom
            if top <= middle <= bottom and word.y0 < bottom and word.y1 > top:
                span = min(bottom, word.y1) - max(top, word.y0)
                if span >= 0.5 * min(word.height, bottom - top):
                    target = line
                    break
        if target is None:
            lines.append(Line([word]))
        else:
            target.words.append(word)
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    lines.sort(key=lambda ln: (ln.page, ln.top))
    return lines


def segments(line: Line, gap: float | None = None) -> list[list[Word]]:
    """A line cut where the space between two words is wider than a few letters (columns,
    or "label ....... value" on the far right) or at a "·" / "|" separator."""
    if gap is None:
        gap = max(1.8 * line.height, 12.0)
    parts: list[list[Word]] = [[]]
    previous: Word | None = None
    for word in line.words:
        if word.text in ("·", "|", "•"):
            if parts[-1]:
                parts.append([])
            previous = None
            continue
        if previous is not None and word.x0 - previous.x1 > gap and parts[-1]:
            parts.append([])
        parts[-1].append(word)
        previous = word
    return [p for p in parts if p]
