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
    """Words grouped into lines by their vertical middles, top to bottom, left to right.

    A word joins a line when its middle is within half a letter's height of the line's
    middle; comparing middles (not whole boxes) keeps small print under a large letterhead,
    or a descender's tall box, out of the line above.
    """
    lines: list[Line] = []
    middles: list[float] = []
    for word in sorted(words, key=lambda w: (w.page, (w.y0 + w.y1) / 2, w.x0)):
        middle = (word.y0 + word.y1) / 2
        target = None
        # Only the last few lines can hold this word: words arrive sorted by their middle.
        for index in range(len(lines) - 1, max(-1, len(lines) - 5), -1):
            line = lines[index]
            if line.page != word.page:
                break
            tolerance = 0.45 * min(word.height, line.height)
            if abs(middle - middles[index]) <= tolerance:
                target = index
                break
        if target is None:
            lines.append(Line([word]))
            middles.append(middle)
        else:
            lines[target].words.append(word)
            count = len(lines[target].words)
            middles[target] += (middle - middles[target]) / count
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    lines.sort(key=lambda ln: (ln.page, ln.top))
    return lines


def drop_noise(words: list[Word]) -> list[Word]:
    """OCR's readings of specks and rules: words with no letter or digit, words far flatter
    than the page's letters, and unsure one- or two-character words."""
    heights = sorted(w.height for w in words)
    # A rule or a row of dots read as "pas": a word far flatter than the page's letters.
    flat = 0.35 * heights[len(heights) // 2] if heights else 0.0
    kept = []
    for word in words:
        if not any(c.isalnum() for c in word.text) or word.height < flat:
            continue
        if word.text.rstrip(",.;") in _CREDENTIALS:
            kept.append(word)  # "Priya Raman, MD": Tesseract is often unsure of the "MD"
            continue
        if word.confidence < 0.5 and len(word.text) <= 2 and not word.text.isdigit():
            continue
        if word.confidence < 0.7 and len(word.text) == 1 and word.text.isalpha():
            continue  # a lone letter, unsure: a speck's shape
        kept.append(word)
    return kept


_CREDENTIALS = {"MD", "DO", "NP", "PA", "DC", "DPM", "PA-C", "M.D", "D.O"}


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
