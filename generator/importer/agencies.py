"""Split an agency cell into the agencies it names, and tell registered names from new ones.

Rules (data/README.md repeats them for clerks):
1. A cell is first cut at ";", at line breaks, at a sentence end (". " before a capital) and
   at list dashes ("- " opening a line or following ";"); a trailing "." goes.
2. A part that is a registered name stays whole, even with commas or "và" in it
   ("Ủy ban nhân dân các xã, phường, đặc khu", "Sở Nông nghiệp và Môi trường").
3. Otherwise the part is cut at commas (and at "và" only between two registered names) where
   that makes every piece a registered name.
4. Where the registry cannot decide, a comma starts a new name when the words after it open
   with a capital or with "các" ("…, các cơ quan báo chí"); other commas stay inside the name
   ("UBND các xã, phường"). Every such cut, or refusal to cut, is reported as unsure.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from generator.text import strip_marks

Known = Callable[[str], bool]


@dataclass(frozen=True)
class Split:
    """The names a cell holds, in order, and what about the split is unsure."""

    names: tuple[str, ...]
    doubts: tuple[str, ...]


def _parts(cell: str) -> list[str]:
    """Rule 1: the cell cut at its unambiguous separators."""
    text = re.sub(r"(^|\n|;)\s*[-–+•]\s+", r"\1\n", cell)
    text = re.sub(r"\.\s+(?=[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ])", "\n", text)
    parts = re.split(r"[;\n]", text)
    return [" ".join(p.split()).strip(" .,") for p in parts if p.strip(" .,-–+•")]


def _tokens(part: str) -> list[tuple[str, str]]:
    """(separator before, piece): the part cut at every comma and every " và "."""
    pieces = re.split(r"(,\s*|\s+và\s+)", part)
    out = [("", pieces[0])]
    for k in range(1, len(pieces), 2):
        out.append((pieces[k], pieces[k + 1]))
    return out


def _join(tokens: list[tuple[str, str]]) -> str:
    return "".join(sep + piece for sep, piece in tokens).strip()


def _cover(tokens: list[tuple[str, str]], known: Known) -> list[str] | None:
    """Rule 3: the fewest registered names that, joined back, are the part; None if none.
    (A cut at "và" is thus only made between two registered names.)"""
    n = len(tokens)
    best: list[list[str] | None] = [None] * (n + 1)
    best[n] = []
    for i in range(n - 1, -1, -1):
        for j in range(n, i, -1):
            rest = best[j]
            name = _join([("", tokens[i][1]), *tokens[i + 1 : j]])
            if rest is not None and known(name):
                candidate = [name, *rest]
                current = best[i]
                if current is None or len(candidate) < len(current):
                    best[i] = candidate
    return best[0]


def _starts_name(piece: str) -> bool:
    first = piece.strip()[:1]
    return first.isupper() or strip_marks(piece.strip()).startswith("cac ")


def _guess(tokens: list[tuple[str, str]]) -> list[str]:
    """Rule 4: cut at commas before a capital or "các"; never at "và"."""
    names: list[list[tuple[str, str]]] = []
    for sep, piece in tokens:
        if names and not (sep.startswith(",") and _starts_name(piece)):
            names[-1].append((sep, piece))
        else:
            names.append([("", piece)])
    return [_join(name) for name in names]


def split_agencies(cell: str, known: Known) -> Split:
    """The agencies a lead or support cell names, each exactly as written (rules above)."""
    names: list[str] = []
    doubts: list[str] = []
    for part in _parts(cell):
        if known(part):
            names.append(part)
            continue
        tokens = _tokens(part)
        covered = _cover(tokens, known)
        if covered is not None:
            names.extend(covered)
            continue
        guessed = _guess(tokens)
        names.extend(guessed)
        if len(tokens) > 1:
            shown = " | ".join(f"“{g}”" for g in guessed)
            doubts.append(f"“{part}” không khớp danh bạ; đã tách thành {shown}: hãy kiểm tra")
    return Split(tuple(names), tuple(doubts))


def ascii_id(name: str) -> str:
    """`Sở Tài chính` → `so-tai-chinh`: the ASCII rule of DESIGN.md (tones and marks stripped,
    đ→d, lower case, each run of other characters one hyphen)."""
    return re.sub(r"[^a-z0-9]+", "-", strip_marks(name)).strip("-")


def registry_entry(name: str, jurisdiction: str, closest: list[str]) -> str:
    """A ready-to-paste agencies.yaml entry for a name the registry lacks. The clerk checks it:
    when the name is another wording of a registered agency, it goes into that agency's
    `names` instead."""
    collective = strip_marks(name).startswith("cac ")
    lines = [
        f"  - id: {jurisdiction}/{ascii_id(name)}",
        f"    name: {_quoted(name)}",
        f"    kind: {'collective' if collective else 'body'}",
        "    names: []",
        "    former_ids: []",
    ]
    if closest:
        lines.insert(0, "  # tên gần nhất đã có: " + "; ".join(closest))
    return "\n".join(lines)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
