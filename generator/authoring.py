"""The clerk's commands: `new-plan` (a skeleton plan file) and `import` (its tasks from a Word,
Excel, CSV or text table). Wires the importer and scaffold modules to arguments and the
terminal; all the work is theirs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from generator.errors import DataErrors
from generator.importer.planfile import PlanFileError
from generator.importer.read import UnreadableFile
from generator.importer.run import NoTable, format_report, import_table, load_registry
from generator.load import load_file
from generator.scaffold import PlanFacts, ScaffoldError, skeleton

COMMANDS = ("import", "new-plan")

Ask = Callable[[str], str]


def _import(args: argparse.Namespace) -> int:
    result = import_table(args.project.resolve(), args.file, args.plan, args.force)
    print(format_report(result))
    return 0


def _known_ids(project: Path) -> set[str]:
    """Ids of cited documents and plans: plans by file name, documents as documents.yaml lists
    them (read alone, so that a half-made plan elsewhere does not stop a new one)."""
    ids = {p.stem for p in (project / "data" / "plans").glob("*.y*ml")}
    raw, _ = load_file(project / "data" / "documents.yaml", project)
    documents = raw.data.get("documents") if raw and isinstance(raw.data, dict) else None
    return ids | {str(d.get("id")) for d in documents or [] if isinstance(d, dict)}


_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("number", "Số ký hiệu (vd. 686/KH-UBND; để trống nếu văn bản không ghi)"),
    ("kind", "Loại văn bản (Enter: Kế hoạch)"),
    ("issuer", "Cơ quan ban hành (id như nghe-an/ubnd-tinh, hoặc tên trong danh bạ)"),
    ("jurisdiction", "Địa bàn (id như nghe-an; Enter: theo cơ quan ban hành)"),
    ("date", "Ngày ban hành (vd. 21/8/2025; để trống nếu không ghi)"),
    ("signer", "Người ký (họ tên; để trống nếu không ghi)"),
    ("position", "Chức vụ người ký (vd. Phó Chủ tịch)"),
    ("implements", "Văn bản được triển khai (id, cách nhau bằng dấu phẩy)"),
)


def _facts(args: argparse.Namespace, ask: Ask | None) -> PlanFacts:
    """The flags given, and for each one missing the clerk's answer when there is a terminal."""
    values = {name: getattr(args, name) for name, _ in _QUESTIONS}
    for name, question in _QUESTIONS:
        if values[name] is None and ask is not None:
            values[name] = ask(f"{question}: ").strip() or None
    implements = tuple(
        part.strip() for part in (values["implements"] or "").split(",") if part.strip()
    )
    return PlanFacts(
        number=values["number"],
        kind=values["kind"] or "Kế hoạch",
        issuer=values["issuer"] or "",
        jurisdiction=values["jurisdiction"],
        date=values["date"],
        signer=values["signer"],
        position=values["position"],
        implements=implements,
        title=args.title,
        plan_id=args.id,
    )


def _new_plan(args: argparse.Namespace) -> int:
    project = args.project.resolve()
    ask: Ask | None = input if sys.stdin.isatty() else None
    facts = _facts(args, ask)
    if not facts.issuer:
        raise ScaffoldError(["thiếu cơ quan ban hành (--issuer)"])
    pid, text = skeleton(facts, load_registry(project), _known_ids(project))
    path = project / "data" / "plans" / f"{pid}.yaml"
    if path.exists():
        raise ScaffoldError([f"{path} đã có; không ghi đè"])
    path.write_text(text, encoding="utf-8")
    print(f"Đã tạo {path} (id: {pid}).")
    print(f"Tiếp theo: python -m generator import <tệp bảng nhiệm vụ> --plan {pid}")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m generator", description="Cổng Kế hoạch")
    sub = top.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="đọc bảng nhiệm vụ (.docx, .xlsx, .csv, .txt) vào kế hoạch")
    imp.add_argument("file", type=Path, help="tệp chứa bảng nhiệm vụ")
    imp.add_argument("--plan", required=True, help="id kế hoạch (tên tệp trong data/plans/)")
    imp.add_argument("--force", action="store_true", help="thay các nhiệm vụ đã có")
    imp.set_defaults(run=_import)
    new = sub.add_parser("new-plan", help="tạo tệp kế hoạch mới từ các thông tin trang đầu")
    new.add_argument("--number", help="số ký hiệu, vd. 686/KH-UBND")
    new.add_argument("--kind", help="loại văn bản (mặc định: Kế hoạch)")
    new.add_argument("--issuer", help="cơ quan ban hành: id hoặc tên trong danh bạ")
    new.add_argument("--jurisdiction", help="địa bàn, vd. nghe-an")
    new.add_argument("--date", help="ngày ban hành, vd. 21/8/2025")
    new.add_argument("--signer", help="họ tên người ký")
    new.add_argument("--position", help="chức vụ người ký")
    new.add_argument("--implements", help="id các văn bản được triển khai, cách nhau bằng dấu phẩy")
    new.add_argument("--title", help="trích yếu")
    new.add_argument("--id", help="id kế hoạch, nếu không muốn id tự đặt")
    new.set_defaults(run=_new_plan)
    for command in (imp, new):
        command.add_argument("--project", type=Path, default=Path.cwd(), help="thư mục dự án")
    return top


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except DataErrors as exc:
        print(exc.report(), file=sys.stderr)
    except ScaffoldError as exc:
        print("\n".join(f"Lỗi: {p}" for p in exc.problems), file=sys.stderr)
    except (PlanFileError, UnreadableFile) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
    except NoTable as exc:
        print(f"Lỗi: {exc}\nKhông có gì được ghi ra.", file=sys.stderr)
    return 1
