"""Stage 1, load: read the YAML data files into plain values, remembering each value's line.

Only this module reads data files. Every scalar comes back as a string or None
(never a date, number or bool: YAML's guesses would turn `2025-02-31` into a crash, `1.10` into
1.1 and `No` into False); the schema decides what a string must look like.

A file with a problem that YAML itself can read past (a BOM, a tab inside a value, NFD text,
an invisible control character) is still read, so that one run reports everything wrong in it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import shutil
import stat
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from yaml._yaml import CParser

from generator import progress
from generator.errors import DataError, field_path
from generator.schema import FILE_KINDS, PLANS, FileKind
from generator.store import pickle_whole

Path_ = tuple[str | int, ...]

# A data file larger than this is an authoring accident (a pasted PDF, a binary), not a plan.
MAX_FILE_BYTES = 2_000_000

# Characters that change how text around them is displayed without being seen themselves:
# bidirectional embeddings, overrides and isolates ("Trojan Source"). No Vietnamese text needs
# them, and a page must show what the document says, in its order.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)

# Tags YAML gives plain values by itself; anything else (`!!python/object`, `!thing`) was
# written on purpose and means nothing to the portal.
_CORE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "null", "bool", "int", "float", "timestamp", "value", "merge", "seq", "map")
)


@dataclass(frozen=True)
class RawFile:
    """One data file as plain values, with the line of every value by its path."""

    path: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    # Fields whose value load refused (an alias, a tag): the schema would only repeat it.
    refused: tuple[str, ...] = ()

    def line_of(self, loc: Path_) -> int:
        """The line of the value at `loc`, or of its nearest ancestor that has one."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return 1

    def only(self, fields: frozenset[str]) -> RawFile:
        """This file without its values, and with the lines of these top-level fields (and
        their items) only: what is kept of a file to report a later mistake in one of them."""
        kept = {loc: n for loc, n in self.lines.items() if not loc or loc[0] in fields}
        return RawFile(self.path, None, kept, self.refused)


def _scalar(node: yaml.ScalarNode) -> str | None:
    # Only null is typed: numbers such as `4` or `1.10` stay text, as the document wrote them.
    if node.tag == "tag:yaml.org,2002:null":
        return None
    return str(node.value)


class _AliasNode(yaml.ScalarNode):
    """Where the file says `*name`: kept apart from the node it names, so that the error is
    reported where the alias is written and nothing is ever expanded."""


class _AliasComposer(yaml.composer.Composer):
    """PyYAML's composer, except that an alias becomes an _AliasNode at its own place."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        # check_event and get_event come from the parser it is mixed with.
        if self.check_event(yaml.AliasEvent):  # type: ignore[attr-defined]
            event: yaml.AliasEvent = self.get_event()  # type: ignore[attr-defined]
            return _AliasNode("alias", event.anchor, event.start_mark, event.end_mark)
        return super().compose_node(parent, index)


class _Loader(_AliasComposer, yaml.SafeLoader):
    """All in Python: its syntax errors are the ones yaml_problem words for a clerk."""


class _FastLoader(
    _AliasComposer, CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver
):
    """libyaml reads the text into events (13-20 times faster than PyYAML's scanner); the
    composing stays in Python. libyaml's own composer is not used: it shares one node between
    an anchor and its aliases (the alias's line is lost) and recurses in C, so that a deeply
    nested file crashes the interpreter instead of raising RecursionError."""

    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)


@dataclass
class _Reader:
    """Turns one file's YAML nodes into plain values, noting lines and problems."""

    rel: str
    lines: dict[Path_, int] = field(default_factory=dict)
    errors: list[DataError] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    alias_lines: set[int] = field(default_factory=set)

    def error(self, node: yaml.Node, loc: Path_, message: str) -> None:
        self.errors.append(DataError(self.rel, node.start_mark.line + 1, field_path(loc), message))

    def refuse(self, node: yaml.Node, loc: Path_, message: str) -> None:
        self.error(node, loc, message)
        self.refused.append(field_path(loc))

    def value(self, node: yaml.Node, loc: Path_) -> Any:
        self.lines[loc] = node.start_mark.line + 1
        if isinstance(node, _AliasNode):
            # An alias (*name) repeats a node; a handful of them nested can expand to billions
            # of values ("billion laughs"), and data is written out in full anyway.
            # One message a line is enough: `[*a, *a, *a]` is one mistake.
            if node.start_mark.line not in self.alias_lines:
                self.alias_lines.add(node.start_mark.line)
                self.refuse(
                    node,
                    loc,
                    "dữ liệu không dùng neo và bí danh YAML (&, *); hãy viết thẳng giá trị",
                )
            else:
                self.refused.append(field_path(loc))
            return None
        if node.tag not in _CORE_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.refuse(node, loc, f"thẻ YAML “{tag}” không được dùng trong dữ liệu; hãy bỏ nó đi")
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, loc + (i,)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return _scalar(node)

    def mapping(self, node: yaml.MappingNode, loc: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(
                    key_node, loc, "tên trường phải là một chữ, không phải danh sách hay mục"
                )
                continue
            key = str(_scalar(key_node))
            if key in result:
                self.error(
                    key_node, loc + (key,), f"khóa “{key}” xuất hiện hai lần trong cùng một mục"
                )
                continue
            result[key] = self.value(value_node, loc + (key,))
        return result


def _number(value: int) -> str:
    """5.242.880: thousands grouped with dots, as Vietnamese writes numbers."""
    return f"{value:,}".replace(",", ".")


def _char_problem(char: str) -> str | None:
    if char in BIDI_CONTROLS:
        return (
            f"dòng có ký tự điều khiển hướng chữ vô hình U+{ord(char):04X}, có thể làm văn bản "
            "hiển thị sai thứ tự; hãy xóa nó"
        )
    category = unicodedata.category(char)
    if category == "Cc" and char not in "\t\n\r":
        return f"dòng có ký tự điều khiển vô hình U+{ord(char):04X} (không in được); hãy xóa nó"
    if category in ("Cf", "Zl", "Zp"):
        # Zero-width spaces, soft hyphens, line separators: unseen, yet "Sở Tài\u200bchính"
        # is then another name, and search and the registry no longer find it.
        return (
            f"dòng có ký tự vô hình U+{ord(char):04X} (không nhìn thấy nhưng làm chữ khác đi "
            "khi tìm kiếm và tra tên cơ quan); hãy xóa nó"
        )
    return None


def _nfd_word(line: str) -> str:
    """The first word of `line` whose letters are not in NFC (decomposed accents)."""
    for word in line.split():
        if unicodedata.normalize("NFC", word) != word:
            return unicodedata.normalize("NFC", word)
    return line.strip()


def text_problems(rel: str, text: str) -> list[DataError]:
    """What is wrong with the text of a file before YAML reads it, one error per line at most
    per kind: a BOM, tabs, text not in NFC, invisible control characters."""
    problems = []
    if text.startswith("\ufeff"):
        problems.append(
            DataError(rel, 1, "", "tệp bắt đầu bằng BOM (U+FEFF); hãy lưu dạng UTF-8 không BOM")
        )
    # Lines as an editor numbers them: str.splitlines() would also break at a form feed or
    # U+2028, hiding the character and shifting every later line number.
    lines = (line.removesuffix("\r") for line in text.removeprefix("\ufeff").split("\n"))
    # Both checks below look at each character in Python; two calls in C tell first whether
    # they can find anything: text in NFC is in NFC line by line, and a printable line holds
    # no control, format (Cf: the bidirectional marks, zero-width spaces) or separator.
    nfc = unicodedata.is_normalized("NFC", text)
    for number, line in enumerate(lines, start=1):
        if "\t" in line:
            problems.append(
                DataError(rel, number, "", "dòng có ký tự tab; YAML chỉ dùng dấu cách để thụt lề")
            )
        if not nfc and unicodedata.normalize("NFC", line) != line:
            problems.append(
                DataError(
                    rel,
                    number,
                    "",
                    f"chữ “{_nfd_word(line)}” viết ở dạng dấu tổ hợp tách rời (Unicode NFD); "
                    "hãy lưu văn bản ở dạng NFC",
                )
            )
        if not line.isprintable():
            for problem in dict.fromkeys(filter(None, map(_char_problem, line))):
                problems.append(DataError(rel, number, "", problem))
    return problems


# PyYAML's own words, in English, and what they mean for the person editing the file.
# Each: a pattern of the problem, the explanation, and whether the mistake is where the
# construct began (an unclosed bracket or quote) rather than where YAML noticed it.
_YAML_PROBLEMS: tuple[tuple[str, str, bool], ...] = (
    (r"expected ',' or '\]'", "danh sách mở bằng “[” chưa được đóng bằng “]”", True),
    (r"expected ',' or '\}'", "mục mở bằng “{” chưa được đóng bằng “}”", True),
    (
        r"mapping values are not allowed",
        "dấu “:” không được đứng ở đây; nếu văn bản có dấu hai chấm, hãy đặt cả giá trị trong "
        "ngoặc kép",
        False,
    ),
    (r"unexpected end of stream", "chuỗi mở ngoặc kép ở đây chưa được đóng", True),
    (
        r"unknown escape character",
        "ký tự sau dấu “\\” không hợp lệ trong chuỗi ngoặc kép; hãy viết “\\\\” hoặc dùng "
        "ngoặc đơn",
        False,
    ),
    (
        r"cannot start any token",
        "ký tự này không được đứng đầu một giá trị; hãy đặt cả giá trị trong ngoặc kép",
        False,
    ),
    (r"could not find expected ':'", "thiếu dấu “:” sau tên trường", True),
    (
        r"expected <block end>|did not find expected key|did not find expected '-'",
        "thụt lề không khớp với các dòng phía trên (hoặc thiếu dấu “:” hay “- ”)",
        False,
    ),
    (
        r"another document",
        "tệp có hơn một tài liệu YAML (thêm một dòng “---”); mỗi tệp chỉ chứa một",
        False,
    ),
    (
        r"alias|anchor",
        "dữ liệu không dùng neo và bí danh YAML (&, *); hãy viết thẳng giá trị",
        False,
    ),
    (
        r"chomping or indentation indicators",
        "sau “|” hoặc “>” chỉ được có “-” hoặc “+”, rồi xuống dòng",
        False,
    ),
)


_CONTINUED_LINE = (
    "dòng này thụt lề sâu hơn dòng trên nên được đọc tiếp vào giá trị của dòng trên, và dấu "
    "“:” không được đứng trong đó: nếu đây là một trường, hãy thụt lề bằng các trường cùng "
    "cấp; nếu là văn bản, hãy đặt cả giá trị trong ngoặc kép"
)


def _continues_previous(lines: list[str], index: int) -> bool:
    """Whether line `index` is indented deeper than the nearest non-blank line above it and
    that line already holds a value (`key: value`), so YAML reads it as more of that value."""
    above = next((line for line in reversed(lines[:index]) if line.strip()), None)
    if above is None or index >= len(lines):
        return False

    def indent(line: str) -> int:
        return len(line) - len(line.lstrip(" "))

    holds_value = re.search(r":\s+[^\s|>#]", above) is not None
    return holds_value and indent(lines[index]) > indent(above)


def yaml_problem(rel: str, exc: yaml.MarkedYAMLError, text: str = "") -> DataError:
    """A YAML syntax error in plain Vietnamese, at the line where the mistake most likely is."""
    said = f"{exc.problem or ''} {exc.context or ''}"
    known = next((entry for entry in _YAML_PROBLEMS if re.search(entry[0], said)), None)
    if known is None:
        meaning = f"cú pháp YAML sai ({'; '.join(filter(None, [exc.context, exc.problem]))})"
        mark = exc.problem_mark or exc.context_mark
    else:
        _, meaning, at_start = known
        mark = (exc.context_mark if at_start else None) or exc.problem_mark
    if mark and "mapping values" in said and _continues_previous(text.split("\n"), mark.line):
        meaning = _CONTINUED_LINE
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    where = f" (cột {column})" if column else ""
    return DataError(rel, line, "", f"YAML không hợp lệ{where}: {meaning}")


def _compose(
    rel: str, text: str, problems: list[DataError]
) -> tuple[yaml.Node | None, list[DataError]]:
    """The YAML node tree of `text`, or None with why not. `problems` already found in the
    text explain some syntax errors (a tab, a control character): those are not repeated."""
    explained = {p.line for p in problems}
    body = text.removeprefix("\ufeff")
    if not problems:
        try:
            fast = _FastLoader(body)
            try:
                return fast.get_single_node(), []
            finally:
                fast.dispose()
        except yaml.YAMLError:
            pass  # read again below, for PyYAML's error, which yaml_problem knows how to word
        except RecursionError:
            return None, [DataError(rel, 0, "", "dữ liệu lồng nhau quá sâu; tệp không đọc được")]
    try:
        return yaml.compose(body, Loader=_Loader), []
    except yaml.MarkedYAMLError as exc:
        error = yaml_problem(rel, exc, body)
        return None, [] if error.line in explained else [error]
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow anywhere
        line = body[: exc.position].count("\n") + 1
        message = f"dòng có ký tự U+{exc.character:04X}, không được phép trong YAML; hãy xóa nó"
        return None, [] if line in explained else [DataError(rel, line, "", message)]
    except RecursionError:
        return None, [DataError(rel, 0, "", "dữ liệu lồng nhau quá sâu; tệp không đọc được")]


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _bytes(path: Path, rel: str) -> tuple[bytes | None, list[DataError]]:
    """The bytes of a data file, or None with why it cannot be read."""
    try:
        status = path.stat()
    except OSError:
        status = None
    if status is None or not stat.S_ISREG(status.st_mode):
        return None, [DataError(rel, 0, "", "không phải một tệp (thư mục hay liên kết hỏng?)")]
    size = status.st_size
    if size > MAX_FILE_BYTES:
        return None, [
            DataError(
                rel,
                0,
                "",
                f"tệp quá lớn ({_number(size)} byte; tối đa {_number(MAX_FILE_BYTES)}): "
                "một kế hoạch chỉ cần vài chục nghìn byte; có dán nhầm nội dung vào không?",
            )
        ]
    return path.read_bytes(), []


def _parsed(rel: str, raw: bytes) -> tuple[RawFile | None, list[DataError]]:
    """The file whose bytes are `raw` (None when it cannot be read at all), and every problem
    found in it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            DataError(
                rel,
                line,
                "",
                "tệp không phải UTF-8 (có thể lưu bằng bảng mã khác như Windows-1258 hay "
                "UTF-16); hãy lưu lại dạng UTF-8",
            )
        ]
    problems = text_problems(rel, text)
    node, syntax = _compose(rel, text, problems)
    if node is None:
        empty = not syntax and not problems
        return None, problems + syntax + ([DataError(rel, 1, "", "tệp rỗng")] if empty else [])
    reader = _Reader(rel)
    try:
        data = reader.value(node, ())
    except RecursionError:
        return None, [*problems, DataError(rel, 0, "", "dữ liệu lồng nhau quá sâu")]
    return RawFile(rel, data, reader.lines, tuple(reader.refused)), problems + reader.errors


def load_file(path: Path, root: Path) -> tuple[RawFile | None, list[DataError]]:
    """Read one YAML file. Returns the file (None when it cannot be read at all) and every
    problem found in it."""
    rel = _relative(path, root)
    raw, problems = _bytes(path, rel)
    return (None, problems) if raw is None else _parsed(rel, raw)


# The layout of a cached file; a change to what `DataCache` stores must change it.
_CACHE_LAYOUT = 2


def loader_key() -> str:
    """What a data file's load depends on besides its bytes: this module's code and the
    errors' (the words of its problems), the YAML library, Python (pickle) and the layout."""
    digest = hashlib.sha256(
        f"{_CACHE_LAYOUT}\n{sys.version}\n{yaml.__version__}\n"
        f"{yaml._yaml.get_version_string()}\n".encode()
    )
    for source in (Path(__file__), Path(__file__).with_name("errors.py")):
        digest.update(hashlib.sha256(source.read_bytes()).digest())
    return digest.hexdigest()


# What reading an entry may raise when its file is damaged (unpickling arbitrary bytes).
_DAMAGED = (
    OSError,
    pickle.UnpicklingError,
    EOFError,
    ValueError,
    TypeError,
    AttributeError,
    ImportError,
    IndexError,
    KeyError,
    MemoryError,
)


def unpickled(data: bytes) -> object | None:
    """The value pickled in `data`; None when it is damaged (or the value is None)."""
    try:
        value: object = pickle.loads(data)
    except _DAMAGED:
        return None
    return value


@dataclass(frozen=True)
class Entries:
    """Values a build keeps for the next one, one small file a name under a folder named by
    `key` (what the values depend on besides what their names say): an entry another key
    wrote, or that cannot be read, or that holds another name's value, is not used.
    Only the folder of this key is kept, and in it only the entries still wanted."""

    folder: Path
    key: str

    @property
    def _entries(self) -> Path:
        return self.folder / self.key[:32]

    def get(self, name: str) -> object | None:
        """The value stored under `name`; None when there is none, or it is damaged, or
        another key's. The caller checks its shape: damaged bytes may unpickle to anything."""
        try:
            entry = unpickled((self._entries / name).read_bytes())
        except OSError:
            return None
        if isinstance(entry, tuple) and len(entry) == 3 and entry[:2] == (self.key, name):
            value: object = entry[2]
            return value
        return None

    def put(self, name: str, value: object) -> None:
        """Store `value` under `name`, whole or not at all."""
        pickle_whole(self._entries / name, (self.key, name, value))

    def keep_only(self, names: Iterable[str]) -> None:
        """Remove every entry but these (and other keys' folders). An entry another build is
        writing (`.new`) is left to it."""
        if not self.folder.is_dir():
            return
        for other in self.folder.iterdir():
            if other == self._entries:
                continue
            if other.is_dir():
                shutil.rmtree(other)
            else:
                other.unlink()
        if not self._entries.is_dir():
            return
        kept = set(names)
        for name in os.listdir(self._entries):
            if name not in kept and not name.endswith(".new"):
                (self._entries / name).unlink()


@dataclass(frozen=True)
class DataCache:
    """Data files as a load without problems left them, one small file per SHA-256 of the
    data file's bytes, under a folder named by `loader_key()`: a rebuild takes each unchanged
    file from here instead of reading its YAML again (composing is most of loading), and holds
    one entry at a time, never the whole cache (at national scale the plans alone are hundreds
    of megabytes of values and lines).

    A file with any problem is never stored: its problems are found again every build. An
    entry that cannot be read, or that another key or file wrote, is not used (and is
    replaced); another key's folder is removed, and so are entries no plan has any more, once
    every plan has been read."""

    folder: Path
    key: str = field(default_factory=loader_key)

    @property
    def _store(self) -> Entries:
        return Entries(self.folder, self.key)

    def get(self, digest: bytes, rel: str) -> RawFile | None:
        """The file `rel` whose bytes have this digest, as a load left it; None when not
        cached (or the entry is damaged, or of another key)."""
        entry = self._store.get(digest.hex())
        if not (
            isinstance(entry, tuple)
            and len(entry) == 3
            and isinstance(entry[1], dict)
            and isinstance(entry[2], tuple)
        ):
            return None
        return RawFile(rel, entry[0], entry[1], entry[2])

    def put(self, digest: bytes, raw: RawFile) -> None:
        """Store `raw` (its values, their lines and its refused fields), whole or not at all."""
        self._store.put(digest.hex(), (raw.data, raw.lines, raw.refused))

    def keep_only(self, digests: Iterable[bytes]) -> None:
        """Remove every entry but these files' (and other keys' folders)."""
        self._store.keep_only(digest.hex() for digest in digests)


@dataclass(frozen=True)
class DataText:
    """A data file's bytes as read, and their SHA-256; its values are read when asked for."""

    path: str  # relative to the project, as errors name it
    content: bytes
    digest: bytes

    @property
    def stem(self) -> str:
        return PurePosixPath(self.path).stem


def _text(path: Path, root: Path) -> tuple[DataText | None, list[DataError]]:
    """The bytes of the data file at `path`, or None with why they cannot be read."""
    rel = _relative(path, root)
    raw, problems = _bytes(path, rel)
    return (None, problems) if raw is None else (DataText(rel, raw, _sha256(raw)), [])


def _sha256(content: bytes) -> bytes:
    return hashlib.sha256(content).digest()


def _read(text: DataText, cache: DataCache | None) -> tuple[RawFile | None, list[DataError]]:
    """The values of `text` and every problem in it, taken from `cache` when it is there."""
    cached = cache.get(text.digest, text.path) if cache else None
    if cached is not None:
        return cached, []
    file, problems = _parsed(text.path, text.content)
    if cache and file is not None and not problems:
        cache.put(text.digest, file)
    return file, problems


@dataclass(frozen=True)
class OriginalFile:
    """A copy of an official document under docs/, as found on disk."""

    sha256: str
    size: int


# Where a plan's `source.file` may point: a plain file name in van-ban-goc/, never a path out
# of docs/.
_ORIGINAL_NAME = re.compile(r"van-ban-goc/[A-Za-z0-9_-][\w.-]*")


def _original(name: str, docs: Path) -> OriginalFile | None:
    """The copy of an official document a plan names as `source.file`, with its SHA-256 (the
    model checks it against the hash the plan records); None when there is none."""
    path = docs / name
    if not _ORIGINAL_NAME.fullmatch(name) or not path.is_file():
        return None
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return OriginalFile(digest.hexdigest(), path.stat().st_size)


@dataclass(frozen=True)
class RawData:
    """Every data file of the portal, by kind, read from disk: the values of each kind but the
    plans read (or taken from the cache) when `all` or `one` first asks for them, not yet
    checked against the schema; the plans read one at a time as `plan_texts()` is taken. At
    national scale the plans' values and lines are hundreds of megabytes: the model checks each
    plan and keeps what it needs before the next one is read, so that they are never all in
    memory; and a file whose values the model need not see again (it kept what it made of
    them) is never parsed."""

    texts: dict[str, tuple[DataText, ...]]  # FileKind.name → its files' bytes (not the plans)
    # File names (stems) of files that could not be read at all, by kind: other files may
    # still name them (a plan by its id), and that is not a second mistake. A kind's entry is
    # complete once its values have been asked for (the plans': `plan_texts()` taken to its
    # end and each one read).
    unreadable: dict[str, tuple[str, ...]] = field(default_factory=dict)
    plan_paths: tuple[Path, ...] = ()
    # The problems found in reading the data: those of a file are added as it is read.
    errors: list[DataError] = field(default_factory=list)
    data_dir: Path = Path("data")
    # Data files as a load left them, kept for the next build (None: every file is read anew).
    cache: DataCache | None = None
    # The SHA-256 of each plan file read, by its name (stem), as `plan_texts()` reads them.
    digests: dict[str, bytes] = field(default_factory=dict)
    # What every file but the plans is, as one SHA-256 (each kind's file names and the digests
    # of their bytes); None when one of them could not be read, or is missing, or an old file
    # is left: what is made of them is then made again, and that problem found again.
    others_key: str | None = None
    # Each kind's files' values, once asked for.
    _files: dict[str, tuple[RawFile, ...]] = field(default_factory=dict, init=False)
    # Copies of original documents already looked up, by the name a plan gives (`source.file`).
    _originals: dict[str, OriginalFile | None] = field(default_factory=dict, init=False)

    def one(self, kind: FileKind) -> RawFile | None:
        """The file of a single-file kind, None when it is missing or unreadable."""
        return next(iter(self.all(kind)), None)

    def all(self, kind: FileKind) -> tuple[RawFile, ...]:
        """The values of every file of `kind` that can be read; the problems found in reading
        them go to `errors` (the first time they are asked for)."""
        if kind.name not in self._files:
            read = []
            for text in self.texts.get(kind.name, ()):
                raw = self.read(text, kind)
                if raw is not None:
                    read.append(raw)
            self._files[kind.name] = tuple(read)
        return self._files[kind.name]

    def read(self, text: DataText, kind: FileKind = PLANS) -> RawFile | None:
        """The values of one file (from the cache when they are there); its problems go to
        `errors`, and when it cannot be read its stem to `unreadable`."""
        raw, problems = _read(text, self.cache)
        self.errors.extend(problems)
        if raw is None:
            self.unreadable[kind.name] = (*self.unreadable.get(kind.name, ()), text.stem)
        return raw

    def plan_texts(self) -> Iterator[DataText]:
        """Each plan file whose bytes can be read, as it is taken (once: a second pass would
        read every file again); `read` gives its values. A file that cannot be read goes to
        `errors` and `unreadable`, the digest of each one read to `digests`. Once the last is
        taken, the cache keeps only the files there are."""
        label = f"Đọc {self.data_dir.name}/{PLANS.pattern}"
        self.unreadable.setdefault(PLANS.name, ())
        with progress.stage(label, len(self.plan_paths)) as advance:
            for path in self.plan_paths:
                text, problems = _text(path, self.data_dir.parent)
                self.errors.extend(problems)
                if text is None:
                    self.unreadable[PLANS.name] += (path.stem,)
                else:
                    self.digests[path.stem] = text.digest
                    yield text
                advance(1)
        if self.cache:
            others = [text.digest for texts in self.texts.values() for text in texts]
            self.cache.keep_only([*others, *self.digests.values()])

    def plans(self) -> Iterator[RawFile]:
        """Each plan file that can be read, read as it is taken (see `plan_texts`)."""
        for text in self.plan_texts():
            raw = self.read(text)
            if raw is not None:
                yield raw

    def original(self, name: str) -> OriginalFile | None:
        """The copy under docs/ of the official document named `source.file`, None when
        there is none (looked up once a name)."""
        if name not in self._originals:
            self._originals[name] = _original(name, self.data_dir.parent / "docs")
        return self._originals[name]


def load_data(data_dir: Path, cache: DataCache | None = None) -> tuple[RawData, list[DataError]]:
    """Read every data file `schema.FILE_KINDS` declares under `data_dir`: the bytes of each
    but the plans now, their values as `RawData.all` asks for them, the plans as
    `RawData.plan_texts()` is taken; those unchanged since they were put in `cache` from there.
    The list of problems returned is `RawData.errors`: complete once every kind's values have
    been asked for and the plans have all been taken and read."""
    root = data_dir.parent
    errors: list[DataError] = []
    texts: dict[str, tuple[DataText, ...]] = {}
    unreadable: dict[str, tuple[str, ...]] = {}
    plan_paths: tuple[Path, ...] = ()
    for kind in FILE_KINDS:
        if kind.replaced and (data_dir / kind.replaced[0]).exists():
            old, advice = kind.replaced
            errors.append(DataError(f"{data_dir.name}/{old}", 0, "", advice))
        paths = sorted(data_dir.glob(kind.pattern)) if kind.many else [data_dir / kind.pattern]
        if kind is PLANS:
            plan_paths = tuple(paths)
            continue
        if not kind.many and not paths[0].exists():
            if kind.required:
                errors.append(DataError(f"{data_dir.name}/{kind.pattern}", 0, "", "thiếu tệp"))
            continue
        read, failed = [], []
        with progress.stage(f"Đọc {data_dir.name}/{kind.pattern}", len(paths)) as advance:
            for path in paths:
                text, problems = _text(path, root)
                errors.extend(problems)
                if text is not None:
                    read.append(text)
                else:
                    failed.append(path.stem)
                advance(1)
        texts[kind.name], unreadable[kind.name] = tuple(read), tuple(failed)
    others = None if errors else _others_key(texts)
    return RawData(
        texts, unreadable, plan_paths, errors, data_dir, cache, others_key=others
    ), errors


def _others_key(texts: dict[str, tuple[DataText, ...]]) -> str:
    digest = hashlib.sha256()
    for kind, files in sorted(texts.items()):
        for text in files:
            digest.update(f"{kind}\n{text.path}\n".encode() + text.digest)
    return digest.hexdigest()
