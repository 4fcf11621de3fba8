"""Match what people type (a unit title or reference) to catalogue units.

Titles compare without case, spacing or punctuation, so "Health, safety and
well-being" and "health safety and wellbeing" are the same unit.
"""

from __future__ import annotations

import difflib
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from assessor_app.domain.catalogue import Unit


def title_key(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).casefold().replace("&", "and")
    return "".join(ch for ch in folded if ch.isalnum())


def _words(text: str) -> set[str]:
    folded = unicodedata.normalize("NFKD", text).casefold()
    cleaned = "".join(ch if ch.isalnum() else " " for ch in folded)
    return {w for w in cleaned.split() if w not in {"of", "the", "and", "to", "in", "for", "a"}}


@dataclass(frozen=True, slots=True)
class SelectionLine:
    number: int
    text: str


@dataclass(frozen=True, slots=True)
class UnitMatch:
    line: SelectionLine
    unit: Unit | None
    in_qualification: bool
    closest: tuple[Unit, ...] = ()


def parse_selection_text(text: str) -> list[SelectionLine]:
    """The entries of a selection file: one unit per line; blanks and # comments skipped."""
    entries = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip().lstrip("\ufeff").strip()
        if stripped and not stripped.startswith("#"):
            entries.append(SelectionLine(number, stripped))
    return entries


class UnitIndex:
    """Looks units up by reference or title, preferring the qualification in hand."""

    def __init__(self, own: Sequence[Unit], others: Sequence[Unit] = ()) -> None:
        self._own = list(own)
        self._others = list(others)
        self._own_keys = self._keys(self._own)
        self._other_keys = self._keys(self._others)
        self._own_words = [_words(u.title) for u in self._own]
        frequency: dict[str, int] = {}
        for words in self._own_words:
            for word in words:
                frequency[word] = frequency.get(word, 0) + 1
        total = len(self._own) + 1
        # Rare words ("stroke") say more about which unit is meant than common ones ("care").
        self._weight = {w: math.log(total / (n + 1)) + 1 for w, n in frequency.items()}
        self._unknown_weight = math.log(total) + 1

    @staticmethod
    def _keys(units: Sequence[Unit]) -> dict[str, Unit]:
        keys: dict[str, Unit] = {}
        for unit in units:
            keys.setdefault(title_key(unit.title), unit)
        for unit in units:
            for ref in (unit.ref, unit.awarding_body_ref):
                if ref:
                    keys.setdefault(title_key(ref), unit)
        return keys

    def match(self, line: SelectionLine) -> UnitMatch:
        key = title_key(line.text)
        if key in self._own_keys:
            return UnitMatch(line, self._own_keys[key], True)
        if key in self._other_keys:
            return UnitMatch(line, self._other_keys[key], False)
        return UnitMatch(line, None, False, self.closest(line.text))

    def _shared_weight(self, word: str, unit_words: set[str]) -> float:
        """The weight of the title word `word` matches, allowing a typo or two."""
        if word in unit_words:
            return self._weight[word]
        if word in self._weight or len(word) < 4:
            return 0.0  # a real catalogue word, or too short to be a typo of one
        best = 0.0
        for candidate in unit_words:
            likeness = difflib.SequenceMatcher(None, word, candidate).ratio()
            if likeness >= 0.8:
                best = max(best, likeness * self._weight[candidate])
        return best

    def closest(self, text: str, limit: int = 3) -> tuple[Unit, ...]:
        """Titles most like `text`, by spelling and by shared words."""
        key = title_key(text)
        words = _words(text)
        scored = []
        query_weight = sum(self._weight.get(w, self._unknown_weight) for w in words)
        for unit, unit_words in zip(self._own, self._own_words, strict=True):
            spelling = difflib.SequenceMatcher(None, key, title_key(unit.title)).ratio()
            shared = sum(self._shared_weight(w, unit_words) for w in words)
            # Shared words weigh more than spelling, so a short query naming a
            # title's key word ("Stroke") still points at that title.
            contained = shared / query_weight if words else 0.0
            score = 0.35 * spelling + 0.65 * contained
            if score >= 0.3:
                scored.append((score, unit))
        scored.sort(key=lambda pair: -pair[0])
        return tuple(unit for _score, unit in scored[:limit])
