"""What the built site says about each task and each agency, read as a reader reads it, against
the data files.

The expected facts come from data/*.yaml read as plain YAML, never from the generator; the
pages are read by their visible text: a task row is found by its `nv-…` anchor (the permanent
URL of a task), its cells by the column headings a reader sees ("Đơn vị chủ trì", …), not by
CSS classes. A browser then reads each plan page's task rows as displayed (innerText), so that
text hidden by CSS or shown only in print does not pass for what the page says.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import jinja2
import jinja2.bccache
import pytest
import segno
import yaml
from conftest import ROOT, Watched, copy_project

from generator import exports, render
from generator.cli import main as generator_main
from generator.deadlines import all_deadlines, falls_due_within
from generator.domain import TimelineKind
from generator.load import load_data
from generator.model import build_portal
from generator.search.encode import placed

DATA = ROOT / "data"
NATIONAL = "trung-uong"  # every jurisdiction also sees the national registry (data/README.md)

# The column headings of a task table, as a reader sees them.
NUMBER, TEXT, LEAD, SUPPORT, OUTPUT, TIMELINE = (
    "STT",
    "Nội dung nhiệm vụ",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Sản phẩm",
    "Thời gian thực hiện",
)
# An agency page's two lists, as headed on the page.
LEADS_HEADING, SUPPORTS_HEADING = "Nhiệm vụ chủ trì", "Nhiệm vụ phối hợp"
# What pages say in square brackets where the document gives nothing (data/README.md, "What
# the document lacks"): no value, no number, no group title; and where the portal has no copy
# of the official document.
NOT_GIVEN, NO_NUMBER, NO_GROUP_TITLE = "không ghi", "không số", "không ghi tên nhóm"
NO_ORIGINAL = "cổng chưa có bản gốc của văn bản này"


# --- the data, read independently of the generator ---------------------------------------------


@dataclass(frozen=True)
class TaskFacts:
    plan: str
    jurisdiction: str
    group: str
    id: str
    number: str | None
    text: str | None
    lead: tuple[str, ...]
    support: tuple[str, ...]
    output: str | None
    timeline: str | None
    notes: str | None
    gaps: tuple[tuple[str, str], ...]  # null field → where the gap is, as the data notes it

    @property
    def anchor(self) -> str:
        """DESIGN.md, URLs: `nv-`, the id lowercased, each run of other characters a hyphen."""
        return "nv-" + re.sub(r"[^a-z0-9]+", "-", self.id.lower()).strip("-")

    @property
    def address(self) -> str:
        return f"ke-hoach/{self.plan}/#{self.anchor}"


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@cache
def seed_plans() -> tuple[dict[str, Any], ...]:
    return tuple(_yaml(p) for p in sorted((DATA / "plans").glob("*.yaml")))


@cache
def seed_tasks() -> tuple[TaskFacts, ...]:
    return tuple(
        TaskFacts(
            plan=plan["id"],
            jurisdiction=plan["jurisdiction"],
            group=group["id"],
            id=str(task["id"]),
            number=task["number"],
            text=task["text"],
            lead=tuple(task["lead"] or ()),
            support=tuple(task["support"] or ()),
            output=task["output"],
            timeline=task["timeline"],
            notes=task.get("notes"),
            gaps=tuple((task.get("gaps") or {}).items()),
        )
        for plan in seed_plans()
        for group in plan["groups"]
        for task in group["tasks"]
    )


def _fold(name: str) -> str:
    # data/agencies/*.yaml: names are "matched ignoring case and surrounding spaces".
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


@cache
def registry() -> dict[str, Any]:
    """Every jurisdiction and every agency, from the registry's one file a jurisdiction
    (data/agencies/<jurisdiction>.yaml)."""
    files = [_yaml(p) for p in sorted((DATA / "agencies").glob("*.yaml"))]
    return {
        "jurisdictions": [f["jurisdiction"] for f in files],
        "agencies": [a for f in files for a in f["agencies"] or ()],
    }


@cache
def resolve(name: str, jurisdiction: str) -> str:
    """The agency id a name written in a plan of `jurisdiction` stands for: the jurisdiction,
    then its parents, then the national registry (data/README.md)."""
    parents = {j["id"]: j["parent"] for j in registry()["jurisdictions"]}
    scopes: list[str] = []
    current: str | None = jurisdiction
    while current is not None:
        scopes.append(current)
        current = parents.get(current)
    for scope in [*scopes, NATIONAL]:
        found = {
            a["id"]
            for a in registry()["agencies"]
            if a["id"].split("/")[0] == scope and _fold(name) in {_fold(n) for n in a["names"]}
        }
        if found:
            assert len(found) == 1, f"{name} is ambiguous in the registry: {found}"
            return found.pop()
    raise AssertionError(f"{name} ({jurisdiction}) is not in data/agencies/")


@cache
def tasks_by_role(agency_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(addresses of the tasks the agency leads, of those it supports), in data order."""
    leads = [
        t.address for t in seed_tasks() if agency_id in {resolve(n, t.jurisdiction) for n in t.lead}
    ]
    supports = [
        t.address
        for t in seed_tasks()
        if agency_id in {resolve(n, t.jurisdiction) for n in t.support}
    ]
    return tuple(leads), tuple(supports)


def reader_text(markdown: str) -> str:
    """What a reader sees of a value written in the data: list markers and line breaks gone,
    spaces collapsed."""
    lines = (line.strip().removeprefix("- ") for line in markdown.splitlines())
    return " ".join(" ".join(lines).split())


def absence(gaps: Mapping[str, str], field: str, said: str = NOT_GIVEN) -> str:
    """What a reader sees where the document gives no `field`: the remark in square brackets,
    followed by the data's note on where the gap is when `gaps` has one ("[không ghi: ô trống
    trong văn bản]")."""
    note = gaps.get(field)
    return f"[{said}: {' '.join(note.split())}]" if note else f"[{said}]"


# --- the built pages, read as text --------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
UNSEEN = {"script", "style", "template", "svg", "head"}
BLOCK = {"p", "div", "section", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "table"}
BLOCK |= {"h1", "h2", "h3", "h4", "h5", "h6", "caption", "nav", "header", "footer"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    children: list[Node | str]

    def walk(self) -> Iterator[Node]:
        """This node and every node inside it, in document order (a stack, not recursion:
        the facts walk every page many times)."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(c for c in reversed(node.children) if isinstance(c, Node))

    def text(self) -> str:
        """The visible text: nothing `hidden`, no scripts, styles or drawings; spaces collapsed."""
        return " ".join(self._raw().split())

    def _raw(self) -> str:
        if self.tag in UNSEEN or "hidden" in self.attrs:
            return ""
        if self.tag == "br":
            return "\n"
        inner = "".join(c if isinstance(c, str) else c._raw() for c in self.children)
        return f"\n{inner}\n" if self.tag in BLOCK else inner


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, [])
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # An <a> without href (an engine's named anchor) is no link: not read as one.
        node = Node("a-name" if tag == "a" and "href" not in dict(attrs) else tag, dict(attrs), [])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, dict(attrs), []))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag in (tag, "a-name" if tag == "a" else tag):
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


@cache
def parsed(path: Path) -> Node:
    builder = _TreeBuilder()
    builder.feed(path.read_text(encoding="utf-8"))
    return builder.root


def site_path(page: str) -> str:
    """`ke-hoach/x/` → its address under the site root, for resolving its relative links."""
    return "https://site.invalid/" + page


def target(page: str, href: str) -> str:
    """Where a link on `page` leads, as an address relative to the site root."""
    return urljoin(site_path(page), href).removeprefix("https://site.invalid/")


def task_link(page: str, row: Node) -> str | None:
    """The task address a table row links to (its permalink `#nv-…`), if it is a task row."""
    for node in row.walk():
        href = node.attrs.get("href") if node.tag == "a" else None
        if href and "#nv-" in href:
            return target(page, href)
    return None


@dataclass(frozen=True)
class Row:
    cells: dict[str, Node]  # column heading → cell
    node: Node


def task_rows(page: str, root: Node) -> dict[str, Row]:
    """Every task row of every table on the page, by the task address it links to, its cells
    labelled by the table's column headings."""
    rows: dict[str, Row] = {}
    for table in (n for n in root.walk() if n.tag == "table"):
        heads = [n.text() for n in table.walk() if n.tag == "th" and n.attrs.get("scope") == "col"]
        for tr in (n for n in table.walk() if n.tag == "tr"):
            address = task_link(page, tr)
            if address is None:
                continue
            cells = [c for c in tr.children if isinstance(c, Node) and c.tag in ("td", "th")]
            assert len(cells) == len(heads), f"{page}: a row of {address} does not fit its table"
            assert address not in rows, f"{page}: {address} shown twice"
            rows[address] = Row(dict(zip(heads, cells, strict=True)), tr)
    return rows


@dataclass(frozen=True)
class Pages:
    """The portal's pages as one stage of the build left them: the site mkdocs built (HTML),
    or the pages the generator wrote into docs/ before it (Markdown whose page bodies are
    HTML, read the same way)."""

    root: Path
    page_name: str  # "index.html" or "index.md"

    def page(self, address: str) -> Node:
        """The page's own content: its <article> (the site's header, navigation and footer
        left out), or the whole of a generated page, which has nothing else."""
        document = parsed(self.root / address / self.page_name)
        return next((n for n in document.walk() if n.tag == "article"), document)

    def title_and_description(self, address: str) -> tuple[str, str]:
        """What the browser's tab and a search engine show of the page: its <title> (without
        the site's name after it) and its description."""
        meta = self.meta(address)
        return meta["title"], meta["description"]

    def meta(self, address: str) -> dict[str, str | None]:
        """What the page says about itself outside its content: its title and description,
        the header printed atop each sheet (`print_header`), where its JSON twin is
        (`json_twin`) and the site's sidebars it hides (`hide`). On a generated page, the front matter they are made from (escaped
        there: mkdocs prints it as HTML)."""
        path = self.root / address / self.page_name
        if self.page_name == "index.md":
            front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
            css = front.get("print_header_css")
            return {
                "title": html.unescape(front["title"]),
                "description": html.unescape(front["description"]),
                "print_header": _css_text(css) if css else None,
                "json_twin": front.get("json_twin"),
                "hide": " ".join(front.get("hide") or ()),
            }
        document = parsed(path)
        nodes = list(document.walk())
        styles = " ".join("".join(map(str, n.children)) for n in nodes if n.tag == "style")
        header = re.search(r"@top-left \{ content: (\"[^\"]*\"); \}", styles)
        twin = next(
            (
                n.attrs.get("href")
                for n in nodes
                if n.tag == "link" and str(n.attrs.get("rel")).strip() == "alternate"
            ),
            None,
        )
        return {
            "title": next(n.text() for n in nodes if n.tag == "title").rsplit(" - ", 1)[0],
            "description": next(
                str(n.attrs.get("content"))
                for n in nodes
                if n.tag == "meta" and n.attrs.get("name") == "description"
            ),
            "print_header": _css_text(header[1]) if header else None,
            "json_twin": twin,
            # The site's sidebars a page hides (the theme marks them `hidden`).
            "hide": " ".join(
                str(n.attrs.get("data-md-type"))
                for n in nodes
                if "md-sidebar" in str(n.attrs.get("class")) and "hidden" in n.attrs
            ),
        }


def _css_text(literal: str) -> str:
    """The text a CSS string literal stands for (`"Nhi\1ec7 m vụ"`: escapes as hex codes)."""
    return re.sub(r"\\([0-9a-f]+) ", lambda m: chr(int(m[1], 16)), literal[1:-1])


# What a generation spends most of its time on and no fact reads, remembered for the life of this
# process and of its forks (mutation testing regenerates the portal for each mutant in a fork of
# a process that generated it once already): QR codes (segno: third-party, deterministic) and
# compiled templates (Jinja: keyed by the template's source and the environment's options, so a
# change to either compiles afresh). The XLSX downloads are left empty: no fact reads them
# (tests/test_exports.py does), and writing them is 40 % of a generation.
_QR_CODES: dict[str, Any] = {}


def _remembered(make: Callable[..., Any]) -> Callable[..., Any]:
    def make_once(*args: Any, **kwargs: Any) -> Any:
        key = repr((args, sorted(kwargs.items())))
        if key not in _QR_CODES:
            _QR_CODES[key] = make(*args, **kwargs)
        return _QR_CODES[key]

    return make_once


class _CompiledTemplates(jinja2.BytecodeCache):
    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> jinja2.bccache.Bucket:
        options = [getattr(environment, o) for o in ("autoescape", "trim_blocks")]
        options += [getattr(environment, o) for o in ("lstrip_blocks", "keep_trailing_newline")]
        options += [environment.undefined, environment.optimized, environment.newline_sequence]
        bucket = jinja2.bccache.Bucket(
            environment, repr((name, options)), self.get_source_checksum(source)
        )
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_TEMPLATES = _CompiledTemplates()


def _with_compiled_templates(make: Callable[[Path], jinja2.Environment]) -> Callable[..., Any]:
    def environment(templates: Path) -> jinja2.Environment:
        env = make(templates)
        env.bytecode_cache = _TEMPLATES
        return env

    return environment


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docs/ as `python -m generator generate` writes it from the shipped data, run in this
    process: quick, and where mutation testing can see which code each test runs."""
    project = copy_project(
        tmp_path_factory.mktemp("generated") / "project", ROOT / "data", with_manifest=True
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(segno, "make", _remembered(segno.make))
        patch.setattr(render, "environment", _with_compiled_templates(render.environment))
        patch.setattr(exports, "write_tasks_xlsx", lambda *args: None)
        assert generator_main(["generate", "--project", str(project)]) == 0
    return project / "docs"


def agencies_shown(shown: str, names: tuple[str, ...]) -> list[str]:
    """What is wrong with a cell's text that should show `names`, each as written, in order,
    and nothing else but separators."""
    if not names:
        return []
    problems = []
    rest = shown
    for name in names:
        at = rest.find(" ".join(name.split()))
        if at < 0:
            problems.append(f"“{name}” missing (cell: “{shown}”)")
            continue
        problems += [f"“{rest[:at]}” before “{name}”"] if rest[:at].strip(" ;,") else []
        rest = rest[at + len(" ".join(name.split())) :]
    if rest.strip(" ;,"):
        problems.append(f"“{rest}” is not in the data")
    return problems


def text_shown(shown: str, task: TaskFacts) -> list[str]:
    """What is wrong with a task's text as shown: the text as written (or the remark that the
    document gives none), then the portal's note on it (after a short label) if the data has
    one, and nothing else."""
    text = reader_text(task.text) if task.text is not None else absence(dict(task.gaps), "text")
    if not shown.startswith(text):
        return [f"text shows “{shown}”, data says “{text}”"]
    rest = shown[len(text) :].strip()
    if task.notes is None:
        return [f"text shows more than the data: “{rest}”"] if rest else []
    notes = reader_text(task.notes)
    if not rest.endswith(notes) or len(rest) - len(notes) > 40:
        return [f"note shows “{rest}”, data says “{notes}”"]
    return []


def facts_shown(where: str, cells: dict[str, str], task: TaskFacts) -> list[str]:
    """What is wrong with the text of a task row (column heading → the cell's visible text),
    in words: each fact of `task` must read as the data gives it."""
    missing = [h for h in (NUMBER, TEXT, LEAD, SUPPORT, OUTPUT, TIMELINE) if h not in cells]
    if missing:
        return [f"{where}: no column headed {missing}"]
    problems: list[str] = []
    gaps = dict(task.gaps)
    number = cells[NUMBER]
    wanted = task.number if task.number is not None else absence(gaps, "number", NO_NUMBER)
    if number != wanted:
        problems.append(f"{where}: number shows “{number}”, data says “{wanted}”")
    problems += [f"{where}: {p}" for p in text_shown(cells[TEXT], task)]
    for heading, field, names in ((LEAD, "lead", task.lead), (SUPPORT, "support", task.support)):
        if not names and cells[heading] != absence(gaps, field):
            problems.append(
                f"{where}: {heading} shows “{cells[heading]}” where the data gives none, "
                f"not “{absence(gaps, field)}”"
            )
        problems += [f"{where}: {heading}: {p}" for p in agencies_shown(cells[heading], names)]
    for heading, field, value in (
        (OUTPUT, "output", task.output),
        (TIMELINE, "timeline", task.timeline),
    ):
        shown = cells[heading]
        wanted = reader_text(value) if value is not None else absence(gaps, field)
        if shown != wanted:
            problems.append(f"{where}: {heading} shows “{shown}”, data says “{wanted}”")
    return problems


def check_task_row(page: str, row: Row, task: TaskFacts) -> list[str]:
    """The facts a task row of a built page shows, and where its agency names link to."""
    where = f"{page} {task.address}"
    problems = facts_shown(where, {h: c.text() for h, c in row.cells.items()}, task)
    for heading, names in ((LEAD, task.lead), (SUPPORT, task.support)):
        if heading not in row.cells:
            continue
        links = [
            target(page, str(n.attrs["href"]))
            for n in row.cells[heading].walk()
            if n.tag == "a" and n.attrs.get("href")
        ]
        wanted = [f"co-quan/{resolve(n, task.jurisdiction)}/" for n in names]
        if links != wanted:
            problems.append(f"{where}: {heading} links to {links}, not {wanted}")
    return problems


# --- plan and group pages ----------------------------------------------------------------------


def plan_pages_show_every_task_with_its_facts_as_the_data_gives_them(
    pages: Pages,
) -> None:
    problems: list[str] = []
    for plan in seed_plans():
        page = f"ke-hoach/{plan['id']}/"
        root = pages.page(page)
        rows = task_rows(page, root)
        tasks = [t for t in seed_tasks() if t.plan == plan["id"]]
        assert list(rows) == [t.address for t in tasks], f"{page}: tasks shown, in order"
        # The permanent URL of a task is the row's own id: a link to it lands on the row.
        ids = [n.attrs.get("id") for n in root.walk() if n.tag == "tr" and n.attrs.get("id")]
        assert [i for i in ids if str(i).startswith("nv-")] == [t.anchor for t in tasks], page
        for task in tasks:
            problems += check_task_row(page, rows[task.address], task)
    assert problems == []


def group_pages_show_their_tasks_with_the_same_facts(pages: Pages) -> None:
    problems: list[str] = []
    for plan in seed_plans():
        for group in plan["groups"]:
            page = f"ke-hoach/{plan['id']}/nhom-{group['id']}/"
            rows = task_rows(page, pages.page(page))
            tasks = [t for t in seed_tasks() if t.plan == plan["id"] and t.group == group["id"]]
            assert list(rows) == [t.address for t in tasks], f"{page}: tasks shown, in order"
            for task in tasks:
                problems += check_task_row(page, rows[task.address], task)
    assert problems == []


def _definitions(root: Node) -> Iterator[tuple[str, Node]]:
    """(term, its <dd>) for every <dt>/<dd> pair on the page."""
    for node in root.walk():
        items = [c for c in node.children if isinstance(c, Node) and c.tag in ("dt", "dd")]
        for dt_, dd in zip(items, items[1:], strict=False):
            if dt_.tag == "dt" and dd.tag == "dd":
                yield dt_.text(), dd


def _definition(root: Node, term: str) -> str:
    """The text of the <dd> that follows the <dt> reading `term`."""
    for shown, dd in _definitions(root):
        if shown == term:
            return dd.text()
    raise AssertionError(f"no “{term}” on the page")


def plan_pages_show_the_date_and_number_the_plan_was_issued_with(pages: Pages) -> None:
    for plan in seed_plans():
        page = f"ke-hoach/{plan['id']}/"
        root = pages.page(page)
        shown_date = _definition(root, "Ngày ban hành")
        shown_number = _definition(root, "Số hiệu")
        heading = next(n.text() for n in root.walk() if n.tag == "h1")
        gaps = plan.get("gaps") or {}
        if plan["date"] is None:
            place = f" ({plan['place']})" if plan["place"] else ""
            assert shown_date == absence(gaps, "date") + place, (page, shown_date)
        else:
            issued = dt.date.fromisoformat(plan["date"])
            assert shown_date.split(" ")[0] == f"{issued:%d/%m/%Y}", (page, shown_date)
            # The citation writes the date as the document does: no leading zeros.
            said = f"ngày {issued.day}/{issued.month}/{issued.year}"
            citation = _text_outside_tables(root)
            assert said in citation, (page, citation)
        if plan["number"] is None:
            assert shown_number == absence(gaps, "number"), (page, shown_number)
        else:
            assert shown_number == plan["number"], page
            assert plan["number"] in heading, page


def _text_outside_tables(root: Node) -> str:
    """The page's visible text outside its task tables (title, citation, metadata)."""
    in_tables = {id(n) for table in root.walk() if table.tag == "table" for n in table.walk()}
    return " ".join(
        n.text() for n in root.walk() if n.tag in ("h1", "p", "dd") and id(n) not in in_tables
    )


# --- the search records ----------------------------------------------------------------------


def search_records(root: Path) -> list[dict[str, Any]]:
    """Every record of the search index, in index order (the files search.js reads)."""
    meta = json.loads((root / "chi-muc" / "meta.json").read_text(encoding="utf-8"))
    records: list[dict[str, Any]] = []
    for number in range(-(-meta["docs"] // meta["chunk"])):
        path = root / "chi-muc" / placed(meta, f"r/{number}.json")
        records += json.loads(path.read_text(encoding="utf-8"))
    assert len(records) == meta["docs"]
    return records


def search_records_show_every_task_with_its_facts(pages: Pages) -> None:
    found: dict[str, dict[str, Any]] = {}
    for record in search_records(pages.root):
        if record.get("u", "").count("#nv-"):
            assert record["u"] not in found, f"{record['u']} has two search records"
            found[record["u"]] = record
    assert sorted(found) == sorted(t.address for t in seed_tasks())
    for task in seed_tasks():
        record = found[task.address]
        if task.number is None:
            assert "không đánh số" in record["t"], record
        else:
            assert re.search(rf"(^|\s){re.escape(task.number)}$", record["t"]), record
        # A record holds the data (no text: empty), not the page's remark on what is absent.
        assert record["x"] == (reader_text(task.text) if task.text is not None else ""), record
        for field, names in (("l", task.lead), ("s", task.support)):
            assert [name for name, _ in record[field]] == list(names), (task.address, field)
            assert [url for _, url in record[field]] == [
                f"co-quan/{resolve(n, task.jurisdiction)}/" for n in names
            ], (task.address, field)
        assert record["o"] == task.output, task.address
        assert record["tl"] == task.timeline, task.address


def document_citation(doc: Mapping[str, Any]) -> str:
    """“Chỉ thị số 39-CT/TW ngày 30/10/2024 của Ban Bí thư Trung ương Đảng”."""
    parts = [f"{doc['kind']} số {doc['number']}" if doc["number"] else doc["kind"]]
    if doc["date"]:
        issued = dt.date.fromisoformat(str(doc["date"]))
        parts.append(f"ngày {issued.day}/{issued.month}/{issued.year}")
    if doc["issuer"]:
        parts.append(f"của {doc['issuer']}")
    return " ".join(parts)


def _opening(text: str | None, record: Mapping[str, Any]) -> bool:
    """Whether a record's detail is `text` as a hit shows it: whole, or cut at a word with “…”."""
    flat = " ".join(reader_text(text or "").split())
    detail = str(record.get("d"))
    return detail == flat or (detail.endswith("…") and flat.startswith(detail[:-1]))


def search_records_show_every_page_with_its_title_and_detail(pages: Pages) -> None:
    """A search hit on a page: each plan (its citation; its title), agency (its name; its place
    and other names), group (its heading; its plan's citation), cited document, theme and
    place's directory; and each task hit names its plan and issuer."""
    records = search_records(pages.root)
    by_address = {r["u"]: r for r in records if "#" not in r["u"]}
    names = {a["id"]: a["name"] for a in registry()["agencies"]}
    places = {j["id"]: j["name"] for j in registry()["jurisdictions"]}
    wanted: dict[str, tuple[str, str, str | None]] = {}  # address → kind, title, detail
    for plan in seed_plans():
        wanted[f"ke-hoach/{plan['id']}/"] = ("plan", plan_citation(plan), plan["title"])
        for group in plan["groups"]:
            heading = " ".join(
                filter(
                    None,
                    [f"Nhóm {group['number']}." if group["number"] else "Nhóm", group["title"]],
                )
            )
            wanted[f"ke-hoach/{plan['id']}/nhom-{group['id']}/"] = (
                "group",
                heading,
                plan_citation(plan),
            )
    for agency in registry()["agencies"]:
        others = [n for n in agency["names"] if n != agency["name"]]
        detail = places[agency["id"].split("/")[0]]
        detail += f" · còn gọi: {'; '.join(others)}" if others else ""
        wanted[f"co-quan/{agency['id']}/"] = ("agency", agency["name"], detail)
    for doc in documents():
        wanted[f"van-ban/{doc['id']}/"] = ("document", document_citation(doc), doc["title"])
    for theme in themes():
        wanted[f"chu-de/{theme['id']}/"] = ("theme", theme["name"], theme["description"])
    for place in registry()["jurisdictions"]:
        if any(a["id"].startswith(place["id"] + "/") for a in registry()["agencies"]):
            wanted[f"co-quan/{place['id']}/"] = ("place", place["name"], "Danh bạ cơ quan, đơn vị")
    problems = []
    for address, (kind, title, detail) in wanted.items():
        record = by_address.get(address, {})
        if (record.get("k"), record.get("t")) != (kind, title) or not _opening(detail, record):
            problems.append(f"{address}: record {record}, not {(kind, title, detail)}")
    if sorted(by_address) != sorted(wanted):
        problems.append(f"pages found: {sorted(set(by_address) ^ set(wanted))} differ")
    for task in seed_tasks():
        plan = plan_by_id(task.plan)
        record = next(r for r in records if r["u"] == task.address)
        if (record["k"], record["p"]) != ("task", f"{plan_name(plan)} – {names[plan['issuer']]}"):
            problems.append(f"{task.address}: record {record['k']}, {record['p']}")
    assert problems == []


# --- agency pages ------------------------------------------------------------------------------


def _sections(page: str, root: Node) -> dict[str, list[str]]:
    """h2 heading → the task addresses linked from table rows under it, in page order."""
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for node in root.walk():
        if node.tag == "h2":
            current = node.text()
            sections.setdefault(current, [])
        elif node.tag == "tr" and current is not None:
            address = task_link(page, node)
            if address is not None:
                sections[current].append(address)
    return sections


def agency_task_pages(pages: Pages, agency_id: str) -> list[tuple[str, Node]]:
    """The agency's page, then the numbered pages of its tasks it links to (an agency named in
    many tasks: `trang-2/`, `trang-3/`, …), in order, each with its content."""
    page = f"co-quan/{agency_id}/"
    root = pages.page(page)
    numbered: list[str] = []
    for node in root.walk():
        href = node.attrs.get("href") if node.tag == "a" else None
        linked = target(page, str(href)).split("#")[0] if href else ""
        if re.fullmatch(rf"{re.escape(page)}trang-\d+/", linked) and linked not in numbered:
            numbered.append(linked)
    wanted = [f"{page}trang-{n}/" for n in range(2, len(numbered) + 2)]
    assert sorted(numbered, key=lambda a: int(a.split("-")[-1][:-1])) == wanted, (page, numbered)
    # No numbered page goes unlinked.
    on_disk = sorted(p.name for p in (pages.root / page).glob("trang-*"))
    assert on_disk == sorted(a.split("/")[-2] for a in wanted), (page, on_disk)
    return [(page, root), *((p, pages.page(p)) for p in wanted)]


def agency_pages_list_each_task_under_the_role_the_plan_gives_the_agency(
    pages: Pages,
) -> None:
    problems: list[str] = []
    agencies = registry()["agencies"]
    assert len(agencies) > 40
    for agency in agencies:
        page = f"co-quan/{agency['id']}/"
        shown_on = agency_task_pages(pages, agency["id"])
        root = shown_on[0][1]
        sections: dict[str, list[str]] = {}
        for each_page, each_root in shown_on:
            for heading, found in _sections(each_page, each_root).items():
                sections.setdefault(heading, []).extend(found)
        leads, supports = tasks_by_role(agency["id"])
        for heading, wanted in ((LEADS_HEADING, leads), (SUPPORTS_HEADING, supports)):
            shown = sections.get(heading)
            if shown is None:
                problems.append(f"{page}: no “{heading}”")
            elif sorted(shown) != sorted(wanted):
                problems.append(
                    f"{page}: under “{heading}” shows {len(shown)} tasks, the plans give "
                    f"{len(wanted)}: missing {sorted(set(wanted) - set(shown))}, "
                    f"wrong {sorted(set(shown) - set(wanted))}"
                )
        counts = next((n.text() for n in root.walk() if n.tag == "p" and "Chủ trì" in n.text()), "")
        said = f"Chủ trì {len(leads)} nhiệm vụ · Phối hợp {len(supports)} nhiệm vụ"
        if counts != said:
            problems.append(f"{page}: counts read “{counts}”, the plans give “{said}”")
    assert problems == []


def agency_pages_show_each_listed_task_with_its_facts(pages: Pages) -> None:
    by_address = {t.address: t for t in seed_tasks()}
    problems: list[str] = []
    for agency in registry()["agencies"]:
        for page, root in agency_task_pages(pages, agency["id"]):
            for address, row in task_rows(page, root).items():
                problems += check_task_row(page, row, by_address[address])
    assert problems == []


def plan_name(plan: Mapping[str, Any]) -> str:
    """“Kế hoạch số 686/KH-UBND”; “Kế hoạch (chưa rõ số hiệu)” for a plan the source numbers not."""
    if plan["number"]:
        return f"{plan['kind']} số {plan['number']}"
    return f"{plan['kind']} (chưa rõ số hiệu)"


def plan_citation(plan: Mapping[str, Any]) -> str:
    """The plan cited in Vietnamese official style (DESIGN.md, “Citations”): “Kế hoạch số
    686/KH-UBND ngày 21/8/2025 của Ủy ban nhân dân tỉnh Nghệ An”, saying what the source
    does not give."""
    names = {a["id"]: a["name"] for a in registry()["agencies"]}
    parts = [f"{plan['kind']} số {plan['number']}" if plan["number"] else plan["kind"]]
    if plan["date"]:
        issued = dt.date.fromisoformat(plan["date"])
        parts.append(f"ngày {issued.day}/{issued.month}/{issued.year}")
    parts.append(f"của {names[plan['issuer']]}")
    missing = [w for w, f in (("số hiệu", "number"), ("ngày ban hành", "date")) if not plan[f]]
    if missing:
        parts.append(f"(văn bản nguồn không ghi {' và '.join(missing)})")
    return " ".join(parts)


def in_plan(plan: Mapping[str, Any]) -> str:
    """How a task's citation ends: the plan's appendix, if the tasks are in one, and the plan."""
    appendix = plan.get("appendix")
    return f"{appendix} {plan_citation(plan)}" if appendix else plan_citation(plan)


def plan_by_id(plan_id: str) -> dict[str, Any]:
    return next(p for p in seed_plans() if p["id"] == plan_id)


def role_tables(page: str, root: Node) -> list[tuple[Node, Node, Node]]:
    """(role heading h2, plan heading h3, task table) for each table of an agency's tasks under
    a role's heading (not those under its collectives')."""
    found = []
    h2: Node | None = None
    h3: Node | None = None
    for node in root.walk():
        if node.tag == "h2":
            h2 = node if node.text() in (LEADS_HEADING, SUPPORTS_HEADING) else None
            h3 = None
        elif node.tag == "h3":
            h3 = node
        elif node.tag == "table" and h2 is not None and h3 is not None:
            found.append((h2, h3, node))
    return found


def pager_items(page: str, root: Node) -> list[list[tuple[str, str | None]]]:
    """Each list of numbered pages on the page (“Trang 1”, …): (text, where it links, or None
    for the page itself)."""
    found = []
    for nav in (n for n in root.walk() if n.tag == "nav"):
        items = [n for n in nav.walk() if n.tag == "li"]
        if items and all(i.text().startswith("Trang ") for i in items):
            links = [[a for a in i.walk() if a.tag == "a"] for i in items]
            found.append(
                [
                    (i.text(), target(page, str(a[0].attrs["href"])) if a else None)
                    for i, a in zip(items, links, strict=True)
                ]
            )
    return found


def agency_pages_say_who_the_agency_is_and_where_each_plans_tasks_are(pages: Pages) -> None:
    """An agency's page: its place (linked), its name, its citation, whether it is a collective
    name, every name documents use for it, the plans it issued; then, a table a plan and role
    headed by the plan's citation (linked) and counting its rows. An agency named in many tasks
    lists those tables, each linked, on its own page, and shows them on numbered pages, each
    with the list of pages."""
    places = {j["id"]: j["name"] for j in registry()["jurisdictions"]}
    problems: list[str] = []
    for agency in registry()["agencies"]:
        page = f"co-quan/{agency['id']}/"
        place = agency["id"].split("/")[0]
        name = agency["name"]
        shown_on = agency_task_pages(pages, agency["id"])
        root = shown_on[0][1]
        headings = [n.text() for n in root.walk() if n.tag == "h1"]
        kicker = next(n for n in root.walk() if n.tag == "a" and "href" in n.attrs)
        if headings != [name]:
            problems.append(f"{page}: headed {headings}, not “{name}”")
        if (target(page, str(kicker.attrs["href"])), kicker.text()) != (
            f"co-quan/{place}/",
            places[place],
        ):
            problems.append(f"{page}: first link {kicker.attrs} “{kicker.text()}”")
        text = root.text()
        cited = (
            f"Trích dẫn: Nhiệm vụ của {name} ({places[place]}) trong các kế hoạch, Cổng Kế hoạch"
        )
        if cited not in text:
            problems.append(f"{page}: no “{cited}”")
        if ("tên gọi chung" in text) != (agency["kind"] == "collective"):
            problems.append(f"{page}: says “tên gọi chung” wrongly ({agency['kind']})")
        called = next(
            (n.text() for n in root.walk() if n.tag == "p" and "Các tên gọi" in n.text()), ""
        )
        if set(re.findall(r"“([^”]*)”", called)) != {name, *agency["names"]}:
            problems.append(f"{page}: names read “{called}”")
        issued = [
            link
            for link in links_by_heading(page, root).get("Kế hoạch do cơ quan ban hành", [])
            if link.startswith("ke-hoach/")
        ]
        wanted_issued = [
            f"ke-hoach/{p['id']}/" for p in seed_plans() if p["issuer"] == agency["id"]
        ]
        if sorted(issued) != sorted(wanted_issued):
            problems.append(f"{page}: issued {issued}, not {wanted_issued}")
        title, description = pages.title_and_description(page)
        if title != f"{name} ({places[place]})" or name[:30] not in description:
            problems.append(f"{page}: title “{title}”, description “{description}”")
        problems += _agency_tables(pages, agency, shown_on)
    assert problems == []


def _agency_tables(
    pages: Pages, agency: Mapping[str, Any], shown_on: list[tuple[str, Node]]
) -> list[str]:
    """What is wrong with the tables of an agency's tasks, their list and the numbered pages."""
    problems: list[str] = []
    name, page = agency["name"], shown_on[0][0]
    leads, supports = tasks_by_role(agency["id"])
    by_role = {LEADS_HEADING: leads, SUPPORTS_HEADING: supports}
    tables: dict[str, tuple[str, Node, Node, Node]] = {}  # address of the table → where
    for each_page, each_root in shown_on:
        for h2, h3, table in role_tables(each_page, each_root):
            address = f"{each_page}#{h3.attrs.get('id')}"
            tables[address] = (each_page, h2, h3, table)
            plan_links = [
                target(each_page, str(a.attrs["href"])) for a in h3.walk() if a.tag == "a"
            ]
            plan_id = plan_links[0].split("/")[1] if plan_links else "?"
            plan = plan_by_id(plan_id)
            rows = task_rows(each_page, table)
            wanted = [
                a for a in by_role.get(h2.text(), ()) if a.startswith(f"ke-hoach/{plan_id}/#")
            ]
            caption = next((n.text() for n in table.walk() if n.tag == "caption"), "")
            said = (
                h3.text(),
                h3.attrs.get("id"),
                caption,
                table.attrs.get("data-cite-in"),
                sorted(rows),
            )
            should = (
                plan_citation(plan),
                f"{h2.attrs.get('id')}-{plan_id}",
                f"{h2.text()} – {plan_name(plan)} ({len(wanted)})",
                in_plan(plan),
                sorted(wanted),
            )
            if said != should:
                problems.append(f"{each_page}: a table of {plan_id} shows {said}, not {should}")
    if len(shown_on) == 1:
        return problems
    # Numbered pages: the agency's page lists each table, linked, with its count.
    root = shown_on[0][1]
    listed = {
        target(page, str(a.attrs["href"])): a.text()
        for item in root.walk()
        if item.tag == "li"
        for a in item.walk()
        if a.tag == "a" and re.search(r"/trang-\d+/#", target(page, str(a.attrs.get("href"))))
    }
    if sorted(listed) != sorted(tables):
        problems.append(f"{page}: lists {sorted(listed)}, its pages hold {sorted(tables)}")
    for address, text in listed.items():
        if address in tables:
            _, h2, h3, table = tables[address]
            count = len(task_rows(address, table))
            if text != f"{h2.text()} – {h3.text()} ({count})":
                problems.append(f"{page}: {address} listed as “{text}”")
    count = len(shown_on)
    pages_at = [f"{page}trang-{n}/" if n > 1 else page for n in range(1, count + 1)]
    for number, (each_page, each_root) in enumerate(shown_on, start=1):
        wanted_pager = [
            (f"Trang {n}", None if n == number else pages_at[n - 1]) for n in range(1, count + 1)
        ]
        pagers = pager_items(each_page, each_root)
        if not pagers or any(p != wanted_pager for p in pagers):
            problems.append(f"{each_page}: pages listed {pagers}, not {wanted_pager}")
        if number == 1:
            continue
        back = next(n for n in each_root.walk() if n.tag == "a" and "href" in n.attrs)
        headings = [n.text() for n in each_root.walk() if n.tag == "h1"]
        title = pages.title_and_description(each_page)[0]
        said = (target(each_page, str(back.attrs["href"])), back.text(), headings, title)
        place = next(
            j["name"] for j in registry()["jurisdictions"] if j["id"] == page.split("/")[1]
        )
        should = (page, name, [name], f"{name} ({place}) – trang {number}")
        if said != should or f"Nhiệm vụ – trang {number}/{count}" not in each_root.text():
            problems.append(f"{each_page}: shows {said}, not {should}")
    return problems


def agency_json_twins_list_each_task_with_its_role_and_wording(pages: Pages) -> None:
    """An agency page's JSON twin (`index.json`, for programs): each task the agency holds, in
    the role the plan gives it, with the name the plan wrote for it."""
    problems: list[str] = []
    for agency in registry()["agencies"]:
        page = f"co-quan/{agency['id']}/"
        twin = json.loads((pages.root / page / "index.json").read_text(encoding="utf-8"))
        shown = sorted((t["plan_id"], t["task_id"], t["role"], t["written"]) for t in twin["tasks"])
        # One body named twice in one cell holds the task once, as first written.
        wanted = sorted(
            (task.plan, task.id, role, matching[0])
            for task in seed_tasks()
            for role, names in (("chu-tri", task.lead), ("phoi-hop", task.support))
            for matching in [[n for n in names if resolve(n, task.jurisdiction) == agency["id"]]]
            if matching
        )
        if shown != wanted:
            problems.append(f"{page}index.json: tasks {shown}, the data gives {wanted}")
    assert problems == []


def group_pages_count_each_agencys_roles_in_the_group(pages: Pages) -> None:
    """The "Cơ quan, đơn vị tham gia" list: “<agency>: chủ trì N, phối hợp M nhiệm vụ”."""
    names = {a["id"]: a["name"] for a in registry()["agencies"]}
    for plan in seed_plans():
        for group in plan["groups"]:
            page = f"ke-hoach/{plan['id']}/nhom-{group['id']}/"
            root = pages.page(page)
            tasks = [t for t in seed_tasks() if t.plan == plan["id"] and t.group == group["id"]]
            wanted: dict[str, tuple[int, int]] = {}
            for agency_id in {
                resolve(n, t.jurisdiction) for t in tasks for n in t.lead + t.support
            }:
                lead = sum(agency_id in {resolve(n, t.jurisdiction) for n in t.lead} for t in tasks)
                support = sum(
                    agency_id in {resolve(n, t.jurisdiction) for n in t.support} for t in tasks
                )
                wanted[names[agency_id]] = (lead, support)
            shown = {}
            for item in (n for n in root.walk() if n.tag == "li"):
                text = item.text()
                match = re.fullmatch(
                    r"(.+): (?:chủ trì (\d+))?(?:, )?(?:phối hợp (\d+))? nhiệm vụ", text
                )
                if match:
                    shown[match[1]] = (int(match[2] or 0), int(match[3] or 0))
            assert shown == wanted, page


def group_reference(group: Mapping[str, Any]) -> str:
    """How a citation points at a group: “Mục 4”, “Mục “Title””, or its place."""
    if group["number"]:
        return f"Mục {group['number']}"
    if group["title"]:
        return f"Mục “{group['title']}”"
    return group_heading(group)


def group_pages_say_which_plan_theme_and_neighbours_the_group_has(pages: Pages) -> None:
    """A group's page: the plan's citation (linked), the group's own citation, its theme
    (linked), how many tasks it holds, its table's caption and the citation a copied task row
    ends with, its agencies most leading first, and links to the groups before and after it."""
    theme_names = {t["id"]: t["name"] for t in themes()}
    problems: list[str] = []
    for plan in seed_plans():
        plan_page = f"ke-hoach/{plan['id']}/"
        groups = plan["groups"]
        for at, group in enumerate(groups):
            page = f"{plan_page}nhom-{group['id']}/"
            root = pages.page(page)
            links = [
                (target(page, str(a.attrs["href"])), a.text()) for a in root.walk() if a.tag == "a"
            ]
            text = root.text()
            titled = f" “{group['title']}”" if group["number"] and group["title"] else ""
            cited = f"Trích dẫn: {group_reference(group)}{titled}, {in_plan(plan)}"
            said = f"Chủ đề: {theme_names[group['theme']]} · {len(group['tasks'])} nhiệm vụ · Về trang {plan_name(plan)}"
            table = next(n for n in root.walk() if n.tag == "table")
            caption = next(n.text() for n in table.walk() if n.tag == "caption")
            page_says = {
                "first link": links[0],
                "citation": " ".join(cited.split()) in text,
                "theme": (f"chu-de/{group['theme']}/", theme_names[group["theme"]]) in links,
                "counts": said in text,
                "caption": caption,
                "cite in": table.attrs.get("data-cite-in"),
                "before": [
                    (target(page, str(a.attrs["href"])), a.text())
                    for a in root.walk()
                    if a.tag == "a" and a.attrs.get("rel") == "prev"
                ],
                "after": [
                    (target(page, str(a.attrs["href"])), a.text())
                    for a in root.walk()
                    if a.tag == "a" and a.attrs.get("rel") == "next"
                ],
            }
            data_gives = {
                "first link": (plan_page, plan_citation(plan)),
                "citation": True,
                "theme": True,
                "counts": True,
                "caption": f"Nhiệm vụ của nhóm: {group_heading(group)}",
                "cite in": in_plan(plan),
                "before": [
                    (f"{plan_page}nhom-{g['id']}/", f"← {group_heading(g)}")
                    for g in groups[at - 1 : at]
                    if at
                ],
                "after": [
                    (f"{plan_page}nhom-{g['id']}/", f"{group_heading(g)} →")
                    for g in groups[at + 1 : at + 2]
                ],
            }
            problems += [
                f"{page}: {k}: the page says {page_says[k]}, the data gives {data_gives[k]}"
                for k in data_gives
                if page_says[k] != data_gives[k]
            ]
            # The agencies taking part: most tasks led first, then most supported, then by name.
            tasks = [t for t in seed_tasks() if t.plan == plan["id"] and t.group == group["id"]]
            counted = {}
            for t in tasks:
                for role, refs in ((0, t.lead), (1, t.support)):
                    for ref in refs:
                        counted.setdefault(resolve(ref, t.jurisdiction), [0, 0])[role] += 1
            names = {a["id"]: a["name"] for a in registry()["agencies"]}
            order = sorted(counted, key=lambda a: (-counted[a][0], -counted[a][1], names[a]))
            listed = [
                target(page, str(a.attrs["href"]))
                for li in root.walk()
                if li.tag == "li" and " nhiệm vụ" in li.text()
                for a in li.walk()
                if a.tag == "a"
            ]
            if listed != [f"co-quan/{a}/" for a in order]:
                problems.append(f"{page}: agencies in the order {listed}")
    assert problems == []


def expected_reference(plan: Mapping[str, Any], task: TaskFacts) -> tuple[str, str]:
    """(How a letter cites the task, how a page names it where its group is in sight): its
    number (“Nhiệm vụ 4.1”, the group's number before a number that restarts in each group),
    or for an unnumbered row its place in its group (“Gạch đầu dòng thứ 2, mục 3 “…””)."""
    group = next(g for g in plan["groups"] if g["id"] == task.group)
    if task.number:
        if "." in task.id and group["number"] and not task.number.startswith(group["number"]):
            said = f"Nhiệm vụ {group['number']}{task.id[len(group['id']) :]}"
        else:
            said = f"Nhiệm vụ {task.number}"
        return said, said
    where = group_reference(group)
    where = where[:1].lower() + where[1:]
    titled = f" “{group['title']}”" if group["number"] and group["title"] else ""
    place = re.search(r"\.(gach|khong-so)-(\d+)$", task.id)
    if group["number"] is None and re.fullmatch(re.escape(group["id"]) + r"\.\d+", task.id):
        said = f"Dòng thứ {task.id.rsplit('.', 1)[1]}, {where}"
        return said, said
    if place and place[1] == "gach":
        said = f"Gạch đầu dòng thứ {place[2]}, {where}"
        return said + titled, said
    if place:
        said = f"Dòng không đánh số thứ {place[2]} cuối {where}"
        return said, said
    said = f"Nhiệm vụ (mã {task.id}), {where}"
    return said, said


def task_rows_are_cited_by_their_place_in_the_document_the_same_on_every_page(
    pages: Pages,
) -> None:
    """The citation a task row's copy button copies (its number, or its place in the group),
    its number's tooltip, on the plan's page, its group's page and every agency page that
    lists it; no two tasks of a plan cited alike."""
    by_address = {t.address: t for t in seed_tasks()}
    shown_on = [f"ke-hoach/{p['id']}/" for p in seed_plans()]
    shown_on += [f"ke-hoach/{p['id']}/nhom-{g['id']}/" for p in seed_plans() for g in p["groups"]]
    problems: list[str] = []
    cited: dict[str, set[str]] = {}
    for page in shown_on:
        for address, row in task_rows(page, pages.page(page)).items():
            cited.setdefault(address, set()).add(str(row.node.attrs.get("data-cite")))
            task = by_address[address]
            reference, mention = expected_reference(plan_by_id(task.plan), task)
            link = next(n for n in row.cells[NUMBER].walk() if n.tag == "a")
            tooltip = f"Liên kết tới {mention[:1].lower()}{mention[1:]}"
            said = (row.node.attrs.get("data-cite"), link.attrs.get("title"))
            if said != (reference, tooltip):
                problems.append(f"{page} {address}: cited {said}, not {(reference, tooltip)}")
    for agency in registry()["agencies"]:
        for page, root in agency_task_pages(pages, agency["id"]):
            for address, row in task_rows(page, root).items():
                cited[address].add(str(row.node.attrs.get("data-cite")))
    problems += [f"{a}: cited as {c}" for a, c in cited.items() if len(c) != 1]
    for plan in seed_plans():
        mine = [c for a, c in cited.items() if a.startswith(f"ke-hoach/{plan['id']}/#")]
        if len({min(c) for c in mine}) != len(mine):
            problems.append(f"{plan['id']}: two tasks cited alike")
    assert problems == []


# --- documents, themes, places and the list of plans -----------------------------------------


def stands_on_links(page: str, root: Node) -> list[str]:
    """Where the links of a page's “Căn cứ, triển khai” (what it stands on) lead."""
    return [
        target(page, str(a.attrs["href"]))
        for term, dd in _definitions(root)
        if term == "Căn cứ, triển khai"
        for a in dd.walk()
        if a.tag == "a"
    ]


def carried_agencies(root: Node) -> set[str]:
    """The agency ids a deadlines page's entries carry for its filters (data-chu-tri …)."""
    return {
        agency
        for li in root.walk()
        if "ckh-due" in str(li.attrs.get("class")).split()
        for key, value in li.attrs.items()
        if key.startswith("data-")
        for agency in str(value).split()
    }


def links_by_heading(page: str, root: Node) -> dict[str | None, list[str]]:
    """h2 heading (None before the first) → where the links under it lead, in page order."""
    found: dict[str | None, list[str]] = {None: []}
    current: str | None = None
    for node in root.walk():
        if node.tag == "h2":
            current = node.text()
            found.setdefault(current, [])
        elif node.tag == "a" and node.attrs.get("href"):
            found[current].append(target(page, str(node.attrs["href"])))
    return found


def _shown_or_absent(value: object, gaps: Mapping[str, str], field: str) -> str:
    if value is None:
        return absence(gaps, field)
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _address(target_id: str) -> str:
    """A plan's or a cited document's page (ids are unique across both: data/README.md)."""
    plans = {p["id"] for p in seed_plans()}
    return f"ke-hoach/{target_id}/" if target_id in plans else f"van-ban/{target_id}/"


def implementers(target_id: str) -> set[str]:
    """Pages of every document and plan that implements `target_id`, directly or through one
    that does."""
    direct = [d["id"] for d in documents() if target_id in (d["implements"] or ())]
    direct += [p["id"] for p in seed_plans() if target_id in (p["implements"] or ())]
    found = {_address(d) for d in direct}
    for child in direct:
        found |= implementers(child)
    return found


@cache
def documents() -> tuple[dict[str, Any], ...]:
    return tuple(_yaml(DATA / "documents.yaml")["documents"])


def document_pages_say_what_each_document_is_and_what_implements_it(pages: Pages) -> None:
    """A cited document's page: its name as heading, its title below it, what it is, where
    it was issued, what it stands on, what implements it, and its JSON twin."""
    places = {j["id"]: j["name"] for j in registry()["jurisdictions"]}
    for doc in documents():
        page = f"van-ban/{doc['id']}/"
        root = pages.page(page)
        name = f"{doc['kind']} số {doc['number']}" if doc["number"] else doc["kind"]
        assert next(n.text() for n in root.walk() if n.tag == "h1") == name, page
        lead = [n.text() for n in root.walk() if "ckh-lead" in str(n.attrs.get("class"))]
        assert lead == ([" ".join(doc["title"].split())] if doc["title"] else []), page
        assert _definition(root, "Loại văn bản") == doc["kind"], page
        assert _definition(root, "Địa bàn") == places[doc["jurisdiction"]], page
        stands_on = stands_on_links(page, root)
        assert stands_on == [_address(t) for t in doc["implements"] or ()], page
        twin = pages.meta(page)["json_twin"]
        assert twin == "index.json" and (pages.root / page / twin).is_file(), page
        for term, field in (
            ("Số hiệu", "number"),
            ("Ngày ban hành", "date"),
            ("Cơ quan ban hành", "issuer"),
            ("Trích yếu", "title"),
        ):
            wanted = _shown_or_absent(doc[field], doc.get("gaps") or {}, field)
            assert _definition(root, term) == wanted, (page, term)
        listed = links_by_heading(page, root).get("Các văn bản, kế hoạch triển khai", [])
        assert set(listed) == implementers(doc["id"]), page
        replacing = [p["id"] for p in seed_plans() if doc["id"] in (p["replaces"] or ())]
        banner = links_by_heading(page, root)[None]
        text = root.text()
        for plan_id in replacing:
            assert f"ke-hoach/{plan_id}/" in banner, (page, "replaced by", plan_id)
        assert ("đã được thay thế" in text) == bool(replacing), page


def documents_list_shows_each_document_with_its_date_issuer_title_and_implementers(
    pages: Pages,
) -> None:
    """The list of cited documents, oldest first: each linked, with its date, issuer, title and
    how many documents and plans implement it directly."""
    page = "van-ban/"
    shown = table_counts(page, pages.page(page), "Văn bản")
    docs = sorted(documents(), key=lambda d: (d["date"] is None, str(d["date"]), d["id"]))
    assert list(shown) == [f"van-ban/{d['id']}/" for d in docs], page
    for doc in docs:
        gaps = doc.get("gaps") or {}
        date = dt.date.fromisoformat(str(doc["date"])) if doc["date"] else None
        direct = [d for d in documents() if doc["id"] in (d["implements"] or ())]
        direct += [p for p in seed_plans() if doc["id"] in (p["implements"] or ())]
        assert list(shown[f"van-ban/{doc['id']}/"].values()) == [
            f"{doc['kind']} số {doc['number']}" if doc["number"] else doc["kind"],
            _shown_or_absent(date, gaps, "date"),
            _shown_or_absent(doc["issuer"], gaps, "issuer"),
            _shown_or_absent(
                " ".join(doc["title"].split()) if doc["title"] else None, gaps, "title"
            ),
            str(len(direct)),
        ], doc["id"]


def _clip(line: str) -> str:
    """A line as a box of the document graph fits it: 34 characters, cut with “…”."""
    return line if len(line) <= 34 else line[:33].rstrip() + "…"


# The graph's text size (docs/assets: `.ckh-graph svg { font-size: 13px }`).
GRAPH_FONT_SIZE = 13


def _numbers(node: Node, *names: str) -> list[float]:
    return [float(str(node.attrs.get(n))) for n in names]


def graph_drawing_problems(svg: Node) -> list[str]:
    """What a reader would see wrong in a drawing of the document graph: the drawing not as
    large as it says, a box outside it, a box's lines outside the box, overlapping or out of
    order, or its name (the first line) not the one in bold."""
    problems = []
    view = str(svg.attrs.get("viewbox")).split()  # attribute names read lower case
    if not all(re.fullmatch(r"\d+(\.\d+)?", v) for v in view[2:]) or len(view) != 4:
        return [f"the drawing's size is {view}"]
    width, height = float(view[2]), float(view[3])
    if _numbers(svg, "width", "height") != [width, height] or view[:2] != ["0", "0"]:
        problems.append(f"the drawing is {svg.attrs}")
    for box in (n for n in svg.walk() if n.tag == "a"):
        name = str(box.attrs.get("href"))
        rect = next(n for n in box.walk() if n.tag == "rect")
        try:
            x, y, w, h = _numbers(rect, "x", "y", "width", "height")
        except ValueError:
            problems.append(f"{name}: its box is {rect.attrs}")
            continue
        if not (0 <= x <= x + w <= width and 0 <= y <= y + h <= height and w > 0 and h > 0):
            problems.append(f"{name}: its box {rect.attrs} is outside the drawing")
        texts = [n for n in box.walk() if n.tag == "text"]
        try:
            at = [_numbers(t, "x", "y") for t in texts]
        except ValueError:
            problems.append(f"{name}: its lines are at {[t.attrs for t in texts]}")
            continue
        # Each line's baseline a line's height below the one above, all inside the box.
        tops = [y + GRAPH_FONT_SIZE] + [ty + GRAPH_FONT_SIZE for _, ty in at[:-1]]
        if not all(
            x < tx < x + w and top <= ty <= y + h for (tx, ty), top in zip(at, tops, strict=True)
        ):
            problems.append(f"{name}: its lines at {at} are not inside its box {rect.attrs}")
        bold = ["ckh-node-title" in str(t.attrs.get("class")) for t in texts]
        if bold != [True] + [False] * (len(texts) - 1):
            problems.append(f"{name}: lines in bold {bold}")
    return problems


def tree_roots(page: str, root: Node) -> list[str]:
    """Where the first entries of the list under “Dạng danh sách” lead."""
    nodes = list(root.walk())
    at = next(i for i, n in enumerate(nodes) if n.tag == "h2" and n.text() == "Dạng danh sách")
    tree = next(n for n in nodes[at:] if n.tag == "ul" and "ckh-tree" in str(n.attrs.get("class")))
    return [
        target(page, str(next(a for a in li.walk() if a.tag == "a").attrs["href"]))
        for li in tree.children
        if isinstance(li, Node) and li.tag == "li"
    ]


def _stands_on_any(node: str) -> bool:
    """Whether the document or plan `node` implements another."""
    return any(item["implements"] for item in [*documents(), *seed_plans()] if item["id"] == node)


def the_document_graph_draws_each_related_document_and_plan_as_a_linked_box(
    pages: Pages,
) -> None:
    """The picture of the document graph: a box for each document or plan that implements,
    replaces or is implemented or replaced by another, linking to its page and reading its
    name, issuer, date and place (and that it was replaced); an arrow for each relation; the
    documents in no relation listed under the picture."""
    page = "so-do/"
    root = pages.page(page)
    places = {j["id"]: j["name"] for j in registry()["jurisdictions"]}
    names = {a["id"]: a["name"] for a in registry()["agencies"]}
    relations = [(d["id"], t) for d in documents() for t in d["implements"] or ()]
    relations += [(p["id"], t) for p in seed_plans() for t in p["implements"] or ()]
    replacing = [(p["id"], t) for p in seed_plans() for t in p["replaces"] or ()]
    related = {n for pair in relations + replacing for n in pair}
    replaced = {t for _, t in replacing}
    wanted = {}
    for doc in documents():
        if doc["id"] in related:
            date = dt.date.fromisoformat(str(doc["date"])) if doc["date"] else None
            lines = [
                f"{doc['kind']} số {doc['number']}" if doc["number"] else doc["kind"],
                doc["issuer"] or "Chưa rõ",
                f"{date:%d/%m/%Y}" if date else "Chưa rõ",
            ]
            wanted[_address(doc["id"])] = (lines, doc["jurisdiction"], False, doc["id"])
    for plan in seed_plans():
        if plan["id"] in related:
            date = dt.date.fromisoformat(plan["date"]) if plan["date"] else None
            lines = [
                plan_name(plan),
                names[plan["issuer"]],
                f"{date:%d/%m/%Y}" if date else "Chưa rõ",
            ]
            wanted[_address(plan["id"])] = (lines, plan["jurisdiction"], True, plan["id"])
    svg = next(n for n in root.walk() if n.tag == "svg")
    boxes = {}
    for box in (n for n in svg.walk() if n.tag == "a"):
        texts = ["".join(str(c) for c in t.children) for t in box.walk() if t.tag == "text"]
        title = "".join(str(c) for t in box.walk() if t.tag == "title" for c in t.children)
        classes = str(box.attrs.get("class")).split()
        boxes[target(page, str(box.attrs["href"]))] = (texts, title, classes)
    assert sorted(boxes) == sorted(wanted), page
    for address, (lines, place, is_plan, ident) in wanted.items():
        lines = [*lines[:2], f"{lines[2]} · {places[place]}"]
        lines += ["Đã được thay thế"] if ident in replaced else []
        texts, title, classes = boxes[address]
        assert (texts, title) == ([_clip(x) for x in lines], ", ".join(_clip(x) for x in lines)), (
            address
        )
        assert ("ckh-node-plan" in classes, "ckh-node-replaced" in classes) == (
            is_plan,
            ident in replaced,
        )
    arrows = [n for n in svg.walk() if n.tag == "line"]
    assert len(arrows) == len(relations) + len(replacing), page
    for arrow in arrows:  # each drawn from one box to another
        assert all(
            re.fullmatch(r"\d+(\.\d+)?", str(arrow.attrs.get(c))) for c in ("x1", "y1", "x2", "y2")
        )
    dashed = [a for a in arrows if "ckh-edge-replaces" in str(a.attrs.get("class"))]
    assert len(dashed) == len(replacing), page
    assert next(n.text() for n in root.walk() if n.tag == "h1") == "Sơ đồ văn bản", page
    assert graph_drawing_problems(svg) == [], page
    # The list starts from what implements nothing: each tree's root.
    roots = [_address(n) for n in related if not _stands_on_any(n)]
    assert sorted(tree_roots(page, root)) == sorted(roots), page
    listed = set(links_by_heading(page, root).get("Dạng danh sách", []))
    assert {_address(n) for pair in relations for n in pair} <= listed, page
    others = links_by_heading(page, root).get("Văn bản khác được trích dẫn", [])
    assert sorted(others) == sorted(
        _address(d["id"]) for d in documents() if d["id"] not in related
    ), page


def plan_pages_name_the_documents_they_implement(pages: Pages) -> None:
    for plan in seed_plans():
        page = f"ke-hoach/{plan['id']}/"
        root = pages.page(page)
        shown = stands_on_links(page, root)
        assert shown == [_address(t) for t in plan["implements"]], page
        # Each with its citation and, for a document, its title.
        texts = [
            li.text()
            for dt_, dd in _definitions(root)
            if dt_ == "Căn cứ, triển khai"
            for li in dd.walk()
            if li.tag == "li"
        ]
        wanted = []
        for target_id in plan["implements"]:
            doc = next((d for d in documents() if d["id"] == target_id), None)
            if doc is None:
                other = plan_by_id(target_id)
                wanted.append(" ".join(filter(None, [plan_citation(other), other["title"]])))
            else:
                wanted.append(" ".join(filter(None, [document_citation(doc), doc["title"]])))
        assert texts == [" ".join(w.split()) for w in wanted], (page, texts)


@cache
def themes() -> tuple[dict[str, Any], ...]:
    return tuple(_yaml(DATA / "themes.yaml")["themes"])


def theme_pages_gather_every_group_and_task_of_their_theme(pages: Pages) -> None:
    for theme in themes():
        page = f"chu-de/{theme['id']}/"
        root = pages.page(page)
        links = {link for links in links_by_heading(page, root).values() for link in links}
        groups = [
            (plan["id"], group)
            for plan in seed_plans()
            for group in plan["groups"]
            if group["theme"] == theme["id"]
        ]
        wanted_groups = {f"ke-hoach/{p}/nhom-{g['id']}/" for p, g in groups}
        assert {link for link in links if "/nhom-" in link} == wanted_groups, page
        wanted_tasks = {
            t.address
            for t in seed_tasks()
            if any(t.plan == p and t.group == g["id"] for p, g in groups)
        }
        assert {link for link in links if "#nv-" in link} == wanted_tasks, page
        assert theme["name"] in next(n.text() for n in root.walk() if n.tag == "h1"), page
        # Its description, and the way back to the list of themes, first.
        paragraphs = [n.text() for n in root.walk() if n.tag == "p"]
        assert " ".join(theme["description"].split()) in paragraphs, page
        back = next(n for n in root.walk() if n.tag == "a" and n.attrs.get("href"))
        assert target(page, str(back.attrs["href"])) == "chu-de/", page


# The columns of the figures table, as headed on the page (data/README.md, `figures:`).
METRICS = {
    "von-uy-thac-tang-truong": (
        "Vốn ngân sách địa phương ủy thác hằng năm, so với tăng trưởng tín dụng"
    ),
    "von-uy-thac-2030": "Vốn ủy thác của địa phương trong tổng nguồn vốn, đến năm 2030",
}
NO_FIGURE = "[không đặt chỉ tiêu]"


def task_mentions(pages: Pages, plan_id: str) -> dict[str, str]:
    """Task address → how the plan's page names the task where its group is in sight
    (“Nhiệm vụ 4.1”), read from the tooltip of the task's number (“Liên kết tới nhiệm vụ 4.1”)."""
    page = f"ke-hoach/{plan_id}/"
    found = {}
    for address, row in task_rows(page, pages.page(page)).items():
        link = next(n for n in row.cells[NUMBER].walk() if n.tag == "a")
        said = str(link.attrs.get("title")).removeprefix("Liên kết tới ")
        found[address] = said[:1].upper() + said[1:]
    return found


def theme_pages_compare_the_figures_each_plan_sets(pages: Pages) -> None:
    """The figures table: on the list of themes every plan that sets a figure, on a theme's
    page those set in a task of the theme; each cell the figure, its words quoted and the task
    it is set in (linked), or the remark that the plan sets none."""
    theme_of = {
        (p["id"], str(t["id"])): g["theme"]
        for p in seed_plans()
        for g in p["groups"]
        for t in g["tasks"]
    }
    for page, theme in [("chu-de/", None), *((f"chu-de/{t['id']}/", t["id"]) for t in themes())]:
        root = pages.page(page)
        wanted: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for plan in seed_plans():
            set_here = [
                f
                for f in plan["figures"]
                if theme is None or theme_of.get((plan["id"], str(f["task"]))) == theme
            ]
            if set_here:
                wanted[f"ke-hoach/{plan['id']}/"] = {m: [] for m in METRICS}
                for figure in set_here:
                    wanted[f"ke-hoach/{plan['id']}/"][figure["metric"]].append(figure)
        tables = [
            t
            for t in root.walk()
            if t.tag == "table"
            and "Kế hoạch"
            in [h.text() for h in t.walk() if h.tag == "th" and h.attrs.get("scope") == "col"]
            and METRICS["von-uy-thac-2030"] in t.text()
        ]
        if not wanted:
            assert tables == [], page
            continue
        assert len(tables) == 1, page
        rows = table_counts(page, tables[0], "Kế hoạch")
        assert sorted(rows) == sorted(wanted), page
        for plan_address, cells in rows.items():
            plan_id = plan_address.split("/")[1]
            mentions = task_mentions(pages, plan_id)
            for metric, heading in METRICS.items():
                figures = wanted[plan_address][metric]
                if not figures:
                    assert cells[heading] == NO_FIGURE, (page, plan_id, metric)
                    continue
                figure = figures[-1]  # a plan sets a metric once (the model checks)
                where = figure["where"] or (
                    mentions[
                        f"{plan_address}#nv-"
                        + re.sub(r"[^a-z0-9]+", "-", str(figure["task"]).lower()).strip("-")
                    ]
                    if figure["task"]
                    else None
                )
                said = f"{figure['value']} {' '.join(figure['quote'].split())}"
                said += f" {where}" if where else ""
                assert cells[heading] == said, (page, plan_id, metric, cells[heading])
        links = [
            target(page, str(a.attrs["href"]))
            for a in tables[0].walk()
            if a.tag == "a" and "#nv-" in str(a.attrs.get("href"))
        ]
        assert sorted(links) == sorted(
            f"{a}#nv-" + re.sub(r"[^a-z0-9]+", "-", str(f["task"]).lower()).strip("-")
            for a, by_metric in wanted.items()
            for figures in by_metric.values()
            for f in figures
            if f["task"] and not f["where"]
        ), page


def theme_pages_show_each_plans_groups_and_tasks_with_lead_and_timeline(pages: Pages) -> None:
    """A theme's page: a column a plan (its name, linked, and issuer), under it each group of
    the theme (“4. Title”, linked) and each task named as the page names it, with its text,
    its lead agencies and its timeline; the list of themes counts each one's groups and plans."""
    names = {a["id"]: a["name"] for a in registry()["agencies"]}
    problems: list[str] = []
    index = pages.page("chu-de/")
    entries = {
        target("chu-de/", str(a.attrs["href"])): li.text()
        for li in index.walk()
        if li.tag == "li"
        for a in li.children
        if isinstance(a, Node) and a.tag == "a"
    }
    for theme in themes():
        page = f"chu-de/{theme['id']}/"
        groups = [(p, g) for p in seed_plans() for g in p["groups"] if g["theme"] == theme["id"]]
        said = f"{theme['name']}: {' '.join(theme['description'].split())} "
        said += f"({len(groups)} nhóm nhiệm vụ trong {len({p['id'] for p, _ in groups})} kế hoạch)"
        if entries.get(page) != said:
            problems.append(f"chu-de/: {page} reads “{entries.get(page)}”, not “{said}”")
        root = pages.page(page)
        shown = []
        for node in root.walk():
            if node.tag == "section":
                h3 = next(n for n in node.walk() if n.tag == "h3")
                link = next(n for n in h3.walk() if n.tag == "a")
                issuer = next(n.text() for n in node.walk() if n.tag == "p")
                shown.append(("plan", target(page, str(link.attrs["href"])), h3.text(), issuer))
            elif node.tag == "h4":
                link = next(n for n in node.walk() if n.tag == "a")
                shown.append(("group", target(page, str(link.attrs["href"])), node.text(), ""))
            elif node.tag == "li" and node.children and isinstance(node.children[0], Node):
                link = node.children[0]
                if link.tag == "a" and "#nv-" in str(link.attrs.get("href")):
                    shown.append(
                        ("task", target(page, str(link.attrs["href"])), link.text(), node.text())
                    )
        wanted = []
        for plan in seed_plans():
            mine = [g for p, g in groups if p["id"] == plan["id"]]
            if not mine:
                continue
            wanted.append(
                ("plan", f"ke-hoach/{plan['id']}/", plan_name(plan), names[plan["issuer"]])
            )
            for group in mine:
                entry = group_heading(group).removeprefix("Nhóm ")
                if not group["number"]:
                    entry = group_heading(group)
                elif not group["title"]:
                    entry = f"{group['number']}."
                wanted.append(("group", f"ke-hoach/{plan['id']}/nhom-{group['id']}/", entry, ""))
                for task in (
                    t for t in seed_tasks() if t.plan == plan["id"] and t.group == group["id"]
                ):
                    gaps = dict(task.gaps)
                    mention = expected_reference(plan, task)[1]
                    text = (
                        reader_text(task.text) if task.text is not None else absence(gaps, "text")
                    )
                    lead = "; ".join(" ".join(n.split()) for n in task.lead) or absence(
                        gaps, "lead"
                    )
                    # The timeline as written, list markers and all (on one line here).
                    timeline = (
                        " ".join(task.timeline.split())
                        if task.timeline
                        else absence(gaps, "timeline")
                    )
                    line = f"{mention} {text} Chủ trì: {lead} · Thời gian: {timeline}"
                    wanted.append(("task", task.address, mention, line))
        for got, should in zip(shown, wanted, strict=False):
            if got != should:
                problems.append(f"{page}: shows {got}, not {should}")
                break
        if len(shown) != len(wanted):
            problems.append(f"{page}: {len(shown)} entries, the data gives {len(wanted)}")
    assert problems == []


def table_counts(page: str, root: Node, key: str) -> dict[str, dict[str, str]]:
    """For every table whose column headings include `key`: where each row's link leads →
    the row's cells by column heading (visible text)."""
    shown: dict[str, dict[str, str]] = {}
    for table in (n for n in root.walk() if n.tag == "table"):
        heads = [n.text() for n in table.walk() if n.tag == "th" and n.attrs.get("scope") == "col"]
        if key not in heads:
            continue
        for tr in (n for n in table.walk() if n.tag == "tr"):
            cells = [c for c in tr.children if isinstance(c, Node) and c.tag in ("td", "th")]
            link = next((n for n in tr.walk() if n.tag == "a"), None)
            if link is None:
                continue
            assert len(cells) == len(heads), f"{page}: a row does not fit its table"
            address = target(page, str(link.attrs["href"]))
            assert address not in shown, f"{page}: {address} shown twice"
            shown[address] = {h: c.text() for h, c in zip(heads, cells, strict=True)}
    return shown


def agency_role_counts(place_id: str) -> dict[str, dict[str, str]]:
    """Each agency of a jurisdiction's registry → how many tasks it leads and supports."""
    return {
        f"co-quan/{a['id']}/": dict(
            zip(("Chủ trì", "Phối hợp"), (str(len(r)) for r in tasks_by_role(a["id"])), strict=True)
        )
        for a in registry()["agencies"]
        if a["id"].split("/")[0] == place_id
    }


def _plans_in(place_id: str) -> int:
    return sum(1 for p in seed_plans() if p["jurisdiction"] == place_id)


def _children(place_id: str) -> list[str]:
    return [j["id"] for j in registry()["jurisdictions"] if j["parent"] == place_id]


def place_pages_count_each_agencys_tasks_by_role(pages: Pages) -> None:
    """A jurisdiction's page: each of its agencies with the tasks it leads and supports; a
    province's page, each of its communes with its plans and its agencies."""
    for place in registry()["jurisdictions"]:
        page = f"co-quan/{place['id']}/"
        root = pages.page(page)
        shown = {
            address: {h: cells[h] for h in ("Chủ trì", "Phối hợp")}
            for address, cells in table_counts(page, root, "Chủ trì").items()
        }
        assert shown == agency_role_counts(place["id"]), page
        communes = {
            address: (cells["Kế hoạch"], cells["Cơ quan, đơn vị"])
            for address, cells in table_counts(page, root, "Địa bàn").items()
        }
        wanted_communes = {
            f"co-quan/{c}/": (
                str(_plans_in(c)),
                str(sum(1 for a in registry()["agencies"] if a["id"].split("/")[0] == c)),
            )
            for c in _children(place["id"])
        }
        assert communes == wanted_communes, page
        # Its name, the way back to the directory, its own plans, its agencies as named.
        heading = next(n.text() for n in root.walk() if n.tag == "h1")
        back = next(n for n in root.walk() if n.tag == "a" and "href" in n.attrs)
        assert (heading, target(page, str(back.attrs["href"]))) == (place["name"], "co-quan/")
        plans = links_by_heading(page, root).get("Kế hoạch của địa bàn", [])
        assert plans == [
            f"ke-hoach/{p['id']}/" for p in seed_plans() if p["jurisdiction"] == place["id"]
        ]
        named = {
            address: cells["Cơ quan, đơn vị"]
            for address, cells in table_counts(page, root, "Chủ trì").items()
        }
        assert named == {
            f"co-quan/{a['id']}/": a["name"]
            + (" (tên gọi chung)" if a["kind"] == "collective" else "")
            for a in registry()["agencies"]
            if a["id"].split("/")[0] == place["id"]
        }, page


# The headings the list of plans groups plans under, by the level of the place that issued them.
LEVELS = {"trung-uong": "Trung ương", "tinh": "Cấp tỉnh, thành phố", "xa": "Cấp xã, phường"}


def plan_list_shows_each_plan_with_its_issuer_and_date(pages: Pages) -> None:
    """Each plan under the level and the place that issued it: its name, issuer, date, whether
    it was replaced, its title and how many tasks it holds."""
    page = "ke-hoach/"
    root = pages.page(page)
    names = {a["id"]: a["name"] for a in registry()["agencies"]}
    places = {j["id"]: j for j in registry()["jurisdictions"]}
    items: dict[str, tuple[str, str | None, str | None]] = {}
    level = place = None
    for node in root.walk():
        if node.tag == "h2":
            level, place = node.text(), None
        elif node.tag == "h3":
            place = node.text()
        elif node.tag == "li":
            for link in (n for n in node.walk() if n.tag == "a"):
                items[target(page, str(link.attrs["href"]))] = (node.text(), level, place)
    assert set(items) == {f"ke-hoach/{p['id']}/" for p in seed_plans()}
    for plan in seed_plans():
        text, level, place = items[f"ke-hoach/{plan['id']}/"]
        where = places[plan["jurisdiction"]]
        assert (level, place) == (LEVELS[where["level"]], where["name"]), (plan["id"], level, place)
        date = dt.date.fromisoformat(plan["date"]) if plan["date"] else None
        shown_date = _shown_or_absent(date, plan.get("gaps") or {}, "date")
        said = f"{plan_name(plan)} – {names[plan['issuer']]}, ngày ban hành {shown_date}"
        if any(plan["id"] in (p["replaces"] or ()) for p in seed_plans()):
            said += " đã được thay thế"
        if plan["title"]:
            said += " " + " ".join(plan["title"].split())
        said += f" {sum(len(g['tasks']) for g in plan['groups'])} nhiệm vụ"
        assert text == said, (text, said)


def plan_pages_state_each_reporting_duty_with_its_day_words_and_agencies(pages: Pages) -> None:
    """A plan's “Chế độ báo cáo”: each duty at its own anchor (`#bc-<id>`, its permanent
    address), the day it is due each year, where the plan sets it, its words quoted, who
    reports (linked) and to whom, and the portal's note."""
    problems: list[str] = []
    for plan in seed_plans():
        page = f"ke-hoach/{plan['id']}/"
        root = pages.page(page)
        shown = {
            str(n.attrs["id"]): n
            for n in root.walk()
            if n.tag == "div" and str(n.attrs.get("id", "")).startswith("bc-")
        }
        reports = plan.get("reports") or []
        if sorted(shown) != sorted(f"bc-{r['id']}" for r in reports):
            problems.append(f"{page}: duties {sorted(shown)}")
            continue
        for report in reports:
            node = shown[f"bc-{report['id']}"]
            due = (
                f"Hằng năm, hạn ngày {report['annual_due']}"
                if report["annual_due"]
                else "Hằng năm, văn bản không nêu ngày"
            )
            said = due + (f" · {report['where']}" if report["where"] else "")
            said += f" {' '.join(report['quote'].split())}"
            by = "; ".join(report["by"]) or "văn bản không nêu"
            to = "; ".join(report["to"]) or "văn bản không nêu"
            said += f" Báo cáo: {by}. Gửi tới: {to}."
            if report.get("notes"):
                said += f" Ghi chú của cổng: {' '.join(report['notes'].split())}"
            links = [target(page, str(a.attrs["href"])) for a in node.walk() if a.tag == "a"]
            wanted = [
                f"co-quan/{resolve(n, plan['jurisdiction'])}/" for n in report["by"] + report["to"]
            ]
            if (node.text(), links) != (said, wanted):
                problems.append(f"{page}: bc-{report['id']} reads “{node.text()}” {links}")
    assert problems == []


def _section_headings(sections: list[dict[str, Any]], depth: int = 0) -> Iterator[tuple[str, int]]:
    for section in sections or ():
        if section["heading"]:
            yield section["heading"], depth
        yield from _section_headings(section["subsections"], depth + 1)


def _sections_text(sections: list[dict[str, Any]]) -> Iterator[str]:
    for section in sections or ():
        if section["heading"]:
            yield section["heading"]
        if section["text"]:
            yield reader_text(section["text"])
        yield from _sections_text(section["subsections"])


def plan_pages_say_who_issued_and_signed_the_plan_and_what_it_says(pages: Pages) -> None:
    """The plan's own page: issuer (linked), place, signer, counts, the official document (a
    copy, the issuer's page, or the remark that the portal has neither), the plan's text and
    recipients, its groups (linked; a group without a title says so) and the plans that
    implement it."""
    names = {a["id"]: a["name"] for a in registry()["agencies"]}
    places = {j["id"]: j["name"] for j in registry()["jurisdictions"]}
    for plan in seed_plans():
        page = f"ke-hoach/{plan['id']}/"
        root = pages.page(page)
        dds = {term: dd for term, dd in _definitions(root)}
        issuer = dds["Cơ quan ban hành"]
        assert issuer.text() == names[plan["issuer"]], page
        assert [target(page, str(a.attrs["href"])) for a in issuer.walk() if a.tag == "a"] == [
            f"co-quan/{plan['issuer']}/"
        ], page
        assert places[plan["jurisdiction"]] in dds["Địa bàn"].text(), page
        if plan["place"]:
            assert f"({plan['place']})" in dds["Ngày ban hành"].text(), page
        signer = dds["Người ký"].text()
        if plan["signer"] is None:
            assert signer == absence(plan.get("gaps") or {}, "signer"), (page, signer)
        else:
            said = [
                *plan["signer"]["authority"],
                plan["signer"]["position"],
                plan["signer"]["name"],
            ]
            assert all(part in signer for part in said if part), (page, signer)
        tasks = sum(len(g["tasks"]) for g in plan["groups"])
        assert dds["Số nhiệm vụ"].text() == f"{tasks} nhiệm vụ trong {len(plan['groups'])} nhóm"
        source = plan["source"]
        original = dds["Văn bản gốc"]
        shown = original.text()
        copies = [target(page, str(a.attrs["href"])) for a in original.walk() if a.tag == "a"]
        wanted = [f"van-ban-goc/{source['file']}"] if source["file"] else []
        wanted += [source["url"]] if source["url"] else []
        assert copies == wanted, (page, copies)
        has_none = not source["file"] and not source["url"]
        assert shown.startswith(f"[{NO_ORIGINAL}]") == has_none, (page, shown)
        if source["note"]:
            assert reader_text(source["note"]) in shown, page
        replaced = [
            target(page, str(a.attrs["href"]))
            for term, dd in _definitions(root)
            if term == "Thay thế"
            for a in dd.walk()
            if a.tag == "a"
        ]
        assert replaced == [_address(t) for t in plan["replaces"]], page
        text = root.text()
        # A long plan's narrative is on a page of its own, linked from the plan's page.
        narrative = f"{page}noi-dung/"
        sections_on, first_level = root, 3  # under the page's “Nội dung kế hoạch” (h2)
        if any(narrative in found for found in links_by_heading(page, root).values()):
            sections_on, first_level = pages.page(narrative), 2  # under the page's own h1
            text += " " + sections_on.text()
            back = next(n for n in sections_on.walk() if n.tag == "a" and "href" in n.attrs)
            heading = next(n.text() for n in sections_on.walk() if n.tag == "h1")
            assert (target(narrative, str(back.attrs["href"])), back.text(), heading) == (
                page,
                plan_citation(plan),
                f"Nội dung kế hoạch: {plan_name(plan)}",
            ), narrative
        # Each section's heading one level below its parent's (HTML stops at h6).
        levels = {
            " ".join(n.text().split()): n.tag
            for n in sections_on.walk()
            if n.tag in ("h2", "h3", "h4", "h5", "h6")
        }
        for heading, depth in _section_headings(plan["sections"]):
            wanted = f"h{min(first_level + depth, 6)}"
            assert levels.get(" ".join(heading.split())) == wanted, (page, heading, wanted)
        for said in [*_sections_text(plan["sections"]), *plan["recipients"]]:
            assert " ".join(said.split()) in text, (page, said[:80])
        links = {link for found in links_by_heading(page, root).values() for link in found}
        assert {f"{page}nhom-{g['id']}/" for g in plan["groups"]} <= links, page
        for group in plan["groups"]:
            group_page = f"{page}nhom-{group['id']}/"
            heading = next(n.text() for n in pages.page(group_page).walk() if n.tag == "h1")
            if group["title"] is None:
                untitled = absence(group.get("gaps") or {}, "title", NO_GROUP_TITLE)
                assert heading.endswith(untitled), (group_page, heading)
            else:
                assert heading.endswith(" ".join(group["title"].split())), (group_page, heading)
        assert implementers(plan["id"]) <= links, page


# --- deadlines ----------------------------------------------------------------------------------

# The windows a deadlines page sorts dated deadlines into (DESIGN.md, /thoi-han/), then the
# ongoing ones: (heading's id, first day, last day) counted from the build date.
WINDOWS = (
    ("trong-30-ngay", 0, 30),
    ("trong-90-ngay", 31, 90),
    ("trong-365-ngay", 91, 365),
    ("sau-365-ngay", 366, None),
)


@cache
def deadlines_as_of(built: dt.date) -> tuple[Any, ...]:
    """When each task and reporting duty falls due as of `built`, as generator/deadlines.py
    reads the timelines (tests/test_deadlines.py checks that reading against the documents);
    the pages must show exactly these."""
    raw, errors = load_data(DATA)
    assert errors == []
    portal, _ = build_portal(raw)
    return all_deadlines(portal, built)


def _window(deadline: Any, built: dt.date) -> str | None:
    if deadline.kind is TimelineKind.ONGOING:
        return "thuong-xuyen"
    for ident, first, last in WINDOWS:
        if falls_due_within(deadline, built, first, last):
            return ident
    return None


def deadline_pages_list_each_deadline_in_its_window_with_its_task(pages: Pages) -> None:
    """Each place's deadlines page: every deadline of its plans in the window it falls due in
    (as of the build date the page states), in date order under its month, with its date, the
    task or reporting duty it belongs to (linked, named as the plan page's copied citation
    names it), the task's agencies by role; each window's count; the overview's and a
    province's table counting each place's deadlines by window."""
    overview = pages.page("thoi-han/")
    stated = re.search(r"tính đến ngày (\d\d)/(\d\d)/(\d{4})", overview.text())
    assert stated, "the deadlines page says the day it counts from"
    built = dt.date(int(stated[3]), int(stated[2]), int(stated[1]))
    deadlines = deadlines_as_of(built)
    places = {j["id"]: j for j in registry()["jurisdictions"]}
    cited: dict[str, str] = {}  # task address → the row's citation on its plan's page
    for plan in seed_plans():
        page = f"ke-hoach/{plan['id']}/"
        for address, row in task_rows(page, pages.page(page)).items():
            cited[address] = str(row.node.attrs.get("data-cite"))
    problems: list[str] = []
    with_deadlines = sorted({d.plan.jurisdiction for d in deadlines})
    for place in with_deadlines:
        page = f"thoi-han/{place}/"
        root = pages.page(page)
        mine = [d for d in deadlines if d.plan.jurisdiction == place]
        shown: list[tuple[str | None, str, str, str]] = []
        section = None
        counts: dict[str, str] = {}
        for node in root.walk():
            if node.tag == "h2" and node.attrs.get("id"):
                section = str(node.attrs["id"])
                count = re.search(r"(\d+) mục$", node.text())
                counts[section] = count[1] if count else "?"
            elif node.tag == "li" and "ckh-due" in str(node.attrs.get("class")):
                link = next(a for a in node.walk() if a.tag == "a")
                date = node.text().split(" ")[0]
                shown.append((section, date, target(page, str(link.attrs["href"])), link.text()))
        wanted = []
        for ident in [w[0] for w in WINDOWS] + ["thuong-xuyen"]:
            chosen = [d for d in mine if _window(d, built) == ident]
            if ident != "thuong-xuyen":
                chosen.sort(key=lambda d: d.next)
            if counts.get(ident) != str(len(chosen)):
                problems.append(f"{page}: {ident} counts {counts.get(ident)}, not {len(chosen)}")
            for d in chosen:
                if d.task is not None:
                    address = f"ke-hoach/{d.plan.id}/#{d.task.anchor}"
                    title = f"{cited[address]}, {plan_name(plan_by_id(d.plan.id))}"
                else:
                    address = f"ke-hoach/{d.plan.id}/#bc-{d.report.id}"
                    where = f" ({d.report.where})" if d.report.where else ""
                    title = f"Báo cáo hằng năm{where}, {plan_name(plan_by_id(d.plan.id))}"
                date = f"{d.next:%d/%m/%Y}" if ident != "thuong-xuyen" else "Thường"
                wanted.append((ident, date, address, title))
        if shown != wanted:
            problems.append(f"{page}: lists {shown}, the data gives {wanted}")
        # A window with nothing due says so; one with entries does not.
        for section in (n for n in root.walk() if n.tag == "section"):
            ident = str(section.attrs.get("aria-labelledby"))
            empty = any(
                n.text()
                in ("Không có việc nào đến hạn trong khoảng này.", "Không có việc thường xuyên.")
                for n in section.walk()
                if n.tag == "p"
            )
            if empty != (counts.get(ident) == "0"):
                problems.append(f"{page}: {ident} says it is empty: {empty}")
        # Each entry: the badge of a yearly deadline; a task's timeline quoted as written.
        due = {
            f"ke-hoach/{d.plan.id}/#{d.task.anchor if d.task else 'bc-' + d.report.id}": d
            for d in mine
        }
        for node in (
            n for n in root.walk() if n.tag == "li" and "ckh-due" in str(n.attrs.get("class"))
        ):
            link = target(page, str(next(a for a in node.walk() if a.tag == "a").attrs["href"]))
            d = due[link]
            badge = "hằng năm" in next(n.text() for n in node.walk() if n.tag == "span")
            quoted = [
                p.text()
                for p in node.walk()
                if p.tag == "p" and p.text().startswith("Thời hạn (nguyên văn):")
            ]
            wording = (
                [f"Thời hạn (nguyên văn): {' '.join(d.wording.split())}"]
                if d.task and d.wording
                else []
            )
            if (badge, quoted) != (d.every_year is not None, wording):
                problems.append(f"{page}: {link} shows {(badge, quoted)}")
        # The way back (a commune's page: through its province), its calendar, its place in the
        # list of places to choose from.
        parent = places[place]["parent"]
        kicker = [
            target(page, str(a.attrs["href"]))
            for p in root.walk()
            if p.tag == "p" and "ckh-kicker" in str(p.attrs.get("class"))
            for a in p.walk()
            if a.tag == "a"
        ]
        if kicker != ["thoi-han/", *([f"thoi-han/{parent}/"] if parent else [])]:
            problems.append(f"{page}: leads back to {kicker}")
        calendar = [
            target(page, str(a.attrs["href"]))
            for a in root.walk()
            if a.tag == "a" and ".ics" in str(a.attrs.get("href"))
        ]
        if calendar != [f"thoi-han/{place}.ics"]:
            problems.append(f"{page}: calendar {calendar}")
        first = next(o for o in root.walk() if o.tag == "option")
        if target(page, str(first.attrs.get("value"))) != page:
            problems.append(f"{page}: the place list starts at {first.attrs}")
        # Each entry's text (the task's, or the reporting duty's words, cut at a word before
        # 240 characters); who leads and supports each task, as the task's row names them;
        # who reports to whom.
        for node in (
            n for n in root.walk() if n.tag == "li" and "ckh-due" in str(n.attrs.get("class"))
        ):
            link = target(page, str(next(a for a in node.walk() if a.tag == "a").attrs["href"]))
            task = next((t for t in seed_tasks() if t.address == link), None)
            body = next(n for n in node.walk() if "ckh-due-body" in str(n.attrs.get("class")))
            texts = [c.text() for c in body.children if isinstance(c, Node) and c.tag == "p"]
            written = reader_text((task.text if task else due[link].wording) or "")
            if len(written) > 240:
                written = written[:239].rsplit(" ", 1)[0] + "…"
            if texts[1] != written:
                problems.append(f"{page}: {link} reads “{texts[1][:80]}”, not “{written[:80]}”")
            if task is None:
                report = due[link].report
                named = {
                    p.text().split(":")[0]: [
                        target(page, str(a.attrs["href"])) for a in p.walk() if a.tag == "a"
                    ]
                    for p in node.walk()
                    if p.tag == "p" and p.text().startswith(("Báo cáo:", "Gửi tới:"))
                }
                whom = {
                    label: [f"co-quan/{r.agency_id}/" for r in refs]
                    for label, refs in (("Báo cáo", report.by), ("Gửi tới", report.to))
                    if refs
                }
                if named != whom:
                    problems.append(f"{page}: {link} names {named}, not {whom}")
                continue
            said = {
                p.text().split(":")[0]: [
                    target(page, str(a.attrs["href"])) for a in p.walk() if a.tag == "a"
                ]
                for p in node.walk()
                if p.tag == "p" and p.text().startswith(("Chủ trì:", "Phối hợp:"))
            }
            should = {
                label: [f"co-quan/{resolve(n, task.jurisdiction)}/" for n in refs]
                for label, refs in (("Chủ trì", task.lead), ("Phối hợp", task.support))
                if refs
            }
            if said != should:
                problems.append(f"{page}: {link} names {said}, not {should}")
            duties = {
                k.removeprefix("data-"): sorted(str(v).split())
                for k, v in node.attrs.items()
                if k.startswith("data-")
            }
            roles = {
                "chu-tri": sorted({resolve(n, task.jurisdiction) for n in task.lead}),
                "phoi-hop": sorted({resolve(n, task.jurisdiction) for n in task.support}),
            }
            if duties != {k: v for k, v in roles.items() if v}:
                problems.append(f"{page}: {link} filters as {duties}, not {roles}")

    calendar = [
        target("thoi-han/", str(a.attrs["href"]))
        for a in overview.walk()
        if a.tag == "a" and ".ics" in str(a.attrs.get("href"))
    ]
    first = next(o for o in overview.walk() if o.tag == "option")
    if (calendar, first.attrs.get("value")) != (["thoi-han/tat-ca.ics"], ""):
        problems.append(f"thoi-han/: calendar {calendar}, place list starting at {first.attrs}")

    # The overview counts each province's (and the centre's) deadlines with its communes';
    # a province's page, each of its communes'.
    def counted(ids: set[str]) -> list[str]:
        found = [_window(d, built) for d in deadlines if d.plan.jurisdiction in ids]
        return [str(found.count(w)) for w in [w[0] for w in WINDOWS] + ["thuong-xuyen"]]

    tops = sorted({places[p]["parent"] or p for p in with_deadlines})
    wanted_overview = {
        f"thoi-han/{t}/": counted({t} | {c for c in places if places[c]["parent"] == t})
        for t in tops
    }
    shown_overview = {
        a: list(cells.values())[1:]
        for a, cells in table_counts("thoi-han/", overview, "Địa bàn").items()
    }
    if shown_overview != wanted_overview:
        problems.append(f"thoi-han/: counts {shown_overview}, not {wanted_overview}")
    for top in tops:
        communes = [c for c in with_deadlines if places[c]["parent"] == top]
        page = f"thoi-han/{top}/"
        shown_communes = {
            a: list(cells.values())[1:]
            for a, cells in table_counts(page, pages.page(page), "Địa bàn").items()
        }
        if shown_communes != {f"thoi-han/{c}/": counted({c}) for c in communes}:
            problems.append(f"{page}: communes counted {shown_communes}")
    assert problems == []


def _size(n: int) -> str:
    # As Vietnamese writes decimals: 1,2 MB.
    return f"{n / 1e6:.1f} MB".replace(".", ",") if n >= 1e6 else f"{max(1, round(n / 1e3))} KB"


def open_data_page_offers_every_file_with_its_size_and_each_places_tasks(pages: Pages) -> None:
    """/du-lieu/: the files of every task, each linked with its size as served; a row a place
    with plans, counting its tasks, linking its files and calendar; the calendar of every
    deadline; the schemas and an example of a page's JSON, each linked to a file that is there."""
    page = "du-lieu/"
    root = pages.page(page)
    # The day the data was built: the one the deadlines pages count from.
    stated = re.search(r"tính đến ngày (\d\d/\d\d/\d{4})", pages.page("thoi-han/").text())
    assert stated and f"Dữ liệu dựng ngày {stated[1]};" in root.text(), page
    names = {j["id"]: j["name"] for j in registry()["jurisdictions"]}
    every = [
        (
            target(page, str(a.attrs["href"])),
            li.text(),
        )
        for li in root.walk()
        if li.tag == "li"
        for a in li.walk()
        if a.tag == "a" and re.search(r"nhiem-vu\.(json|csv|xlsx)$", str(a.attrs.get("href")))
    ]
    formats = (("json", "JSON"), ("csv", "CSV (Excel)"), ("xlsx", "XLSX (Excel)"))
    wanted = [
        (
            f"du-lieu/nhiem-vu.{fmt}",
            f"Tất cả nhiệm vụ, {label} ({_size((pages.root / f'du-lieu/nhiem-vu.{fmt}').stat().st_size)})",
        )
        for fmt, label in formats
    ]
    assert every == wanted, every
    places = table_counts(page, root, "Nhiệm vụ")
    rows = {}
    for table in (n for n in root.walk() if n.tag == "table"):
        for tr in (n for n in table.walk() if n.tag == "tr"):
            cells = [c for c in tr.children if isinstance(c, Node) and c.tag in ("td", "th")]
            links = [target(page, str(a.attrs["href"])) for a in tr.walk() if a.tag == "a"]
            if any(link.startswith("du-lieu/dia-ban/") for link in links):
                rows[cells[0].text()] = (cells[1].text(), links)
    counts: dict[str, int] = {}
    for task in seed_tasks():
        counts[task.jurisdiction] = counts.get(task.jurisdiction, 0) + 1
    assert rows == {
        names[j]: (
            str(n),
            # The place's name leads to its deadlines page, which links its communes'.
            [f"thoi-han/{j}/"]
            + [f"du-lieu/dia-ban/{j}.{fmt}" for fmt, _ in formats]
            + [f"thoi-han/{j}.ics"],
        )
        for j, n in counts.items()
    }, places
    links = {link for found in links_by_heading(page, root).values() for link in found}
    assert "thoi-han/tat-ca.ics" in links
    assert "CC BY 4.0" in root.text(), "the data's licence"
    # The columns table names each field a task has in the JSON download.
    record = json.loads((pages.root / "du-lieu/nhiem-vu.json").read_text(encoding="utf-8"))
    fields = [
        cells["Trường JSON"]
        for cells in (
            {h: c.text() for h, c in zip(heads, row, strict=True)}
            for table in root.walk()
            if table.tag == "table"
            for heads in [
                [h.text() for h in table.walk() if h.tag == "th" and h.attrs.get("scope") == "col"]
            ]
            if "Trường JSON" in heads
            for row in (
                [c for c in tr.children if isinstance(c, Node) and c.tag in ("td", "th")]
                for tr in table.walk()
                if tr.tag == "tr"
            )
            if len(row) == len(heads) and row[0].tag == "th" and row[0].attrs.get("scope") == "row"
        )
    ]
    assert sorted(fields) == sorted(record["tasks"][0]), fields
    for heading in ("Lược đồ JSON", "JSON của từng trang"):
        found = links_by_heading(page, root).get(heading, [])
        assert found and all((pages.root / link).is_file() for link in found), (heading, found)


# --- permanent addresses --------------------------------------------------------------------


@cache
def site_url() -> str:
    """The portal's permanent address, as mkdocs.yml gives it."""
    found = re.search(
        r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M
    )
    assert found, "mkdocs.yml has a site_url"
    return found[1].rstrip("/") + "/"


def pages_give_their_own_permanent_address(pages: Pages) -> None:
    """Each plan, group and agency page shows, after “Địa chỉ cố định:”, the
    address it will keep: the site's address and its own path."""
    addresses = [f"ke-hoach/{p['id']}/" for p in seed_plans()]
    addresses += [f"ke-hoach/{p['id']}/nhom-{g['id']}/" for p in seed_plans() for g in p["groups"]]
    addresses += [f"co-quan/{a['id']}/" for a in registry()["agencies"]]
    for address in addresses:
        root = pages.page(address)
        shown = re.search(r"Địa chỉ cố định:\s*(\S+)", root.text())
        assert shown and shown[1] == site_url() + address, (address, shown and shown[1])
        # Its QR code, for a printed page (tests/test_printed_pages.py decodes one).
        qr = [
            n
            for n in root.walk()
            if n.attrs.get("aria-label") == f"Mã QR của địa chỉ {site_url()}{address}"
        ]
        assert [[c.tag for c in q.walk()][1:2] for q in qr] == [["svg"]], address


def group_heading(group: Mapping[str, Any]) -> str:
    """“Nhóm 4. Title”; the title alone, or the group's place, when the document numbers it not."""
    if group["number"]:
        return (
            f"Nhóm {group['number']}. {group['title']}"
            if group["title"]
            else f"Nhóm {group['number']}"
        )
    n = group["id"].rsplit("-", 1)[-1]
    return group["title"] or (
        f"Nhóm không số thứ {n}" if n.isdigit() else f"Nhóm (mã {group['id']})"
    )


def pages_are_titled_by_what_they_show(pages: Pages) -> None:
    """The title a browser's tab and a search result show, and the description under it, for
    each plan, group, place, theme and document page."""
    names = {a["id"]: a["name"] for a in registry()["agencies"]}
    wanted: dict[str, tuple[str, str]] = {}  # address → (title, the description's opening)
    for plan in seed_plans():
        page = f"ke-hoach/{plan['id']}/"
        opening = " ".join((plan["title"] or plan_citation(plan)).split())[:40]
        wanted[page] = (f"{plan_name(plan)} – {names[plan['issuer']]}", opening)
        for group in plan["groups"]:
            wanted[f"{page}nhom-{group['id']}/"] = (
                f"{group_heading(group)} – {plan_name(plan)}",
                f"{group_heading(group)}. {plan_citation(plan)}"[:40],
            )
    for place in registry()["jurisdictions"]:
        wanted[f"co-quan/{place['id']}/"] = (
            f"Cơ quan, đơn vị – {place['name']}",
            f"Danh bạ cơ quan, đơn vị {place['name']}",
        )
    for theme in themes():
        wanted[f"chu-de/{theme['id']}/"] = (f"Chủ đề: {theme['name']}", theme["name"])
    for doc in documents():
        wanted[f"van-ban/{doc['id']}/"] = (document_citation(doc), document_citation(doc)[:40])
    for page, title in (
        ("ke-hoach/", "Các kế hoạch"),
        ("co-quan/", "Danh bạ cơ quan, đơn vị"),
        ("van-ban/", "Văn bản được căn cứ"),
        ("chu-de/", "Chủ đề"),
        ("so-do/", "Sơ đồ văn bản"),
        ("du-lieu/", "Dữ liệu mở"),
    ):
        wanted[page] = (title, "")
    built = re.search(r"tính đến ngày (\S+) \(ngày dựng trang\)", pages.page("thoi-han/").text())
    assert built, "the deadlines page says the day it counts from"
    wanted["thoi-han/"] = (
        "Thời hạn",
        f"Việc gì đến hạn khi nào trong các kế hoạch, tính đến ngày {built[1]}.",
    )
    for place in registry()["jurisdictions"]:
        if (pages.root / "thoi-han" / place["id"] / pages.page_name).is_file():
            wanted[f"thoi-han/{place['id']}/"] = (
                f"Thời hạn – {place['name']}",
                f"Việc gì đến hạn khi nào trong các kế hoạch của {place['name']}, tính đến ngày {built[1]}.",
            )
    for plan in seed_plans():
        if (pages.root / "ke-hoach" / plan["id"] / "noi-dung" / pages.page_name).is_file():
            wanted[f"ke-hoach/{plan['id']}/noi-dung/"] = (
                f"Nội dung kế hoạch: {plan_name(plan)} – {names[plan['issuer']]}",
                wanted[f"ke-hoach/{plan['id']}/"][1],
            )
    problems = []
    for page, (title, opening) in wanted.items():
        shown = pages.title_and_description(page)
        if shown[0] != title or not shown[1].startswith(opening):
            problems.append(f"{page}: titled {shown}, not “{title}”, “{opening}…”")
    assert problems == []


def pages_link_their_calendar_data_and_json_twin_and_print_their_citation(pages: Pages) -> None:
    """A plan's and an agency's page: its calendar of deadlines (linked, its permanent address
    written out to copy), its tasks as JSON, CSV and XLSX, and itself as JSON (also linked from
    the page's head); every plan, group and agency page prints its citation atop each sheet."""
    places = {j["id"]: j["name"] for j in registry()["jurisdictions"]}
    owners = [
        (f"ke-hoach/{p['id']}/", f"thoi-han/ke-hoach/{p['id']}.ics", f"du-lieu/ke-hoach/{p['id']}")
        for p in seed_plans()
    ]
    owners += [
        (f"co-quan/{a['id']}/", f"thoi-han/{a['id']}.ics", f"du-lieu/co-quan/{a['id']}")
        for a in registry()["agencies"]
    ]
    problems: list[str] = []
    for page, calendar, data in owners:
        root = pages.page(page)
        links = links_by_heading(page, root).get("Lịch thời hạn và dữ liệu", [])
        wanted = [calendar, f"{data}.json", f"{data}.csv", f"{data}.xlsx", f"{page}index.json"]
        if links != wanted:
            problems.append(f"{page}: links {links}, not {wanted}")
        if f"(iCalendar): {site_url()}{calendar}." not in root.text():
            problems.append(f"{page}: does not write out {site_url()}{calendar}")
        if pages.meta(page)["json_twin"] != "index.json":
            problems.append(f"{page}: its head names no JSON twin")
    headers = {}
    for plan in seed_plans():
        headers[f"ke-hoach/{plan['id']}/"] = plan_citation(plan)
        for group in plan["groups"]:
            headers[f"ke-hoach/{plan['id']}/nhom-{group['id']}/"] = plan_citation(plan)
    for agency in registry()["agencies"]:
        for page, _ in agency_task_pages(pages, agency["id"]):
            headers[page] = f"{agency['name']} ({places[agency['id'].split('/')[0]]})"
    for page, header in headers.items():
        meta = pages.meta(page)
        if meta["print_header"] != header:
            problems.append(f"{page}: prints “{meta['print_header']}” atop each sheet")
        # Tables need the page's whole width: no navigation or contents sidebar.
        if meta["hide"] != "navigation toc":
            problems.append(f"{page}: hides “{meta['hide']}”, not the sidebars")
        # A page names a JSON twin only where there is one.
        if meta["json_twin"] and not (pages.root / page / str(meta["json_twin"])).is_file():
            problems.append(f"{page}: names a JSON twin that is not there")
    assert problems == []


# --- the facts, on the built site and on the generator's pages --------------------------------

FACTS = (
    plan_pages_show_every_task_with_its_facts_as_the_data_gives_them,
    group_pages_show_their_tasks_with_the_same_facts,
    plan_pages_show_the_date_and_number_the_plan_was_issued_with,
    search_records_show_every_task_with_its_facts,
    agency_pages_list_each_task_under_the_role_the_plan_gives_the_agency,
    agency_pages_show_each_listed_task_with_its_facts,
    group_pages_count_each_agencys_roles_in_the_group,
    document_pages_say_what_each_document_is_and_what_implements_it,
    plan_pages_name_the_documents_they_implement,
    theme_pages_gather_every_group_and_task_of_their_theme,
    place_pages_count_each_agencys_tasks_by_role,
    plan_list_shows_each_plan_with_its_issuer_and_date,
    pages_give_their_own_permanent_address,
    plan_pages_say_who_issued_and_signed_the_plan_and_what_it_says,
    agency_pages_say_who_the_agency_is_and_where_each_plans_tasks_are,
    pages_are_titled_by_what_they_show,
    theme_pages_compare_the_figures_each_plan_sets,
    group_pages_say_which_plan_theme_and_neighbours_the_group_has,
    deadline_pages_list_each_deadline_in_its_window_with_its_task,
    task_rows_are_cited_by_their_place_in_the_document_the_same_on_every_page,
    search_records_show_every_page_with_its_title_and_detail,
    documents_list_shows_each_document_with_its_date_issuer_title_and_implementers,
    the_document_graph_draws_each_related_document_and_plan_as_a_linked_box,
    theme_pages_show_each_plans_groups_and_tasks_with_lead_and_timeline,
    pages_link_their_calendar_data_and_json_twin_and_print_their_citation,
    plan_pages_state_each_reporting_duty_with_its_day_words_and_agencies,
    open_data_page_offers_every_file_with_its_size_and_each_places_tasks,
    agency_json_twins_list_each_task_with_its_role_and_wording,
)


@pytest.mark.parametrize("fact", FACTS, ids=lambda fact: fact.__name__)
def test_built_site_says(fact: Callable[[Pages], None], engine_site: Path) -> None:
    """Each fact over the site as each engine builds it (mkdocs, Zensical): the engine turns
    the generated Markdown into what the reader sees, and could drop or garble any of it."""
    fact(Pages(engine_site, "index.html"))


def test_generated_pages_say_every_fact_the_data_gives(generated: Path) -> None:
    """The same facts on the pages the generator writes, before mkdocs: in this process, so
    that mutation testing (scripts/mutation.sh) sees which code they depend on."""
    for fact in FACTS:
        fact(Pages(generated, "index.md"))


# --- in a browser ------------------------------------------------------------------------------

ROW_CELLS = """row => {
  const table = row.closest('table');
  const heads = [...table.querySelectorAll('thead th')].map(th => th.innerText.trim());
  const cells = [...row.children].map(c => c.innerText);
  return Object.fromEntries(heads.map((h, i) => [h, cells[i]]));
}"""


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.browser
def test_plan_pages_as_displayed_show_the_same_facts(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.set_viewport_size({"width": 1280, "height": 900})
    problems: list[str] = []
    for plan in seed_plans():
        page.goto(site_url + f"ke-hoach/{plan['id']}/")
        for task in (t for t in seed_tasks() if t.plan == plan["id"]):
            row = page.locator(f"tr#{task.anchor}")
            if row.count() != 1:
                problems.append(f"{task.address}: no row")
                continue
            displayed: dict[str, str] = row.evaluate(ROW_CELLS)
            cells = {h: _squash(text) for h, text in displayed.items()}
            # The number cell also holds the copy buttons the script reveals: the number is
            # its first line.
            cells[NUMBER] = _squash(displayed.get(NUMBER, "").strip().split("\n")[0])
            problems += facts_shown(f"{task.address} (browser)", cells, task)
    assert problems == []
    assert watched.errors == []


def test_reader_text_drops_list_markers_and_line_breaks() -> None:
    assert reader_text("a) Một;\n- hai\n-  ba") == "a) Một; hai ba"


def test_an_agency_named_twice_in_one_cell_is_counted_once(tmp_path: Path) -> None:
    """A cell may name one body under two of its names (“Ngân hàng Chính sách xã hội Chi nhánh
    tỉnh”, “NHCSXH Chi nhánh tỉnh”): its page lists the task once, and counts it once."""
    project = copy_project(tmp_path / "project", ROOT / "tests" / "fixtures" / "minimal")
    plan = next((project / "data" / "plans").glob("*.yaml"))
    text = plan.read_text(encoding="utf-8")
    once = "lead: [Ngân hàng Chính sách xã hội Chi nhánh tỉnh]"
    assert once in text
    plan.write_text(
        text.replace(
            once, "lead: [Ngân hàng Chính sách xã hội Chi nhánh tỉnh, NHCSXH Chi nhánh tỉnh]"
        ),
        encoding="utf-8",
    )
    assert generator_main(["generate", "--project", str(project)]) == 0
    page = "co-quan/tinh-a/nhcsxh/"
    root = Pages(project / "docs", "index.md").page(page)
    leads = links_by_heading(page, root)[LEADS_HEADING]
    tasks = [link for link in leads if "#nv-" in link]
    assert len(tasks) == len(set(tasks)) == 2, tasks
    assert "Chủ trì 2 nhiệm vụ" in root.text()
