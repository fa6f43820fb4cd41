"""Text folded the way Vietnamese readers type it, and the terms the index keys on.

Folding: lower case, tones and marks stripped, `đ`→`d`, anything but `a-z0-9` a word break
(text.folded_words); abbreviations (data/abbreviations.yaml) are replaced by their long form.
Build and query fold the same way (docs/assets/search-engine.js has the same functions; a
browser test compares them), so `so tai chinh`, `Sở Tài Chính` and `SỞ TÀI CHÍNH` are one
query, and `NHCSXH` one with `Ngân hàng Chính sách xã hội`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from generator.domain import Abbreviation
from generator.text import folded_words

AbbreviationTable = dict[str, tuple[str, ...]]


def fold(text: str) -> str:
    """`Sở Tài Chính` → `so tai chinh`: lower case, marks stripped, đ→d, other characters a space."""
    return " ".join(folded_words(text))


def abbreviation_table(abbreviations: Iterable[Abbreviation]) -> AbbreviationTable:
    """Folded short form → folded words of its long form: `nhcsxh` → (`ngan`, `hang`, …)."""
    return {fold(a.short): tuple(folded_words(a.long)) for a in abbreviations}


def canonical_words(text: str, table: AbbreviationTable) -> list[str]:
    """The folded words of `text`, each abbreviation replaced by the words of its long form."""
    out: list[str] = []
    for word in folded_words(text):
        out.extend(table.get(word, (word,)))
    return out


def terms_of(words: Sequence[str]) -> set[str]:
    """Every word and every pair of adjacent words (`tai`, `chinh`, `tai chinh`)."""
    found = set(words)
    found.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return found


def correctable(word: str) -> bool:
    """Whether a query word that no text has may be read as a word one edit away: letters only
    (`2026` is no typo of `2025`), and three or more of them (a word of one or two letters is one
    edit from too many others to guess which was meant)."""
    return len(word) >= 3 and word.isascii() and word.isalpha()


def one_edit(typed: str, word: str) -> bool:
    """Whether `word` is `typed` with one letter dropped, added or changed, or two adjacent
    letters swapped (`chnh`, `chinh`; `tihn`, `tinh`). search-engine.js: oneEdit."""
    if typed == word or abs(len(typed) - len(word)) > 1:
        return False
    start = 0
    while start < min(len(typed), len(word)) and typed[start] == word[start]:
        start += 1
    a, b = typed[start:], word[start:]
    return (
        a[1:] == b[1:]  # changed
        or a[1:] == b  # added
        or a == b[1:]  # dropped
        or (len(a) == len(b) >= 2 and a[0] == b[1] and a[1] == b[0] and a[2:] == b[2:])  # swapped
    )
