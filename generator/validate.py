"""Stage 2a, validate: one data file against its schema model, with one error per problem in
plain Vietnamese (file, line, field, what was expected, what was found), and what of a file
that does not fit can still be used (stand-ins), so that one run reports every mistake."""

from __future__ import annotations

import copy
import difflib
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from generator import schema
from generator.errors import DataError, field_path
from generator.load import Path_, RawFile

M = TypeVar("M", bound=BaseModel)

_PYDANTIC_MESSAGES = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường này không có trong lược đồ (gõ sai tên trường?)",
    "string_type": "phải là một chuỗi văn bản",
    "list_type": "phải là một danh sách (các dòng bắt đầu bằng “- ”)",
    "model_type": "phải là một mục gồm các trường (khóa: giá trị)",
    "dict_type": "phải là một mục gồm các trường (khóa: giá trị)",
    "string_too_short": "không được để trống",
    "too_short": "danh sách không được rỗng",
    "string_pattern_mismatch": (
        "id phải gồm chữ thường ASCII và chữ số, nối bằng một dấu gạch nối (vd. so-tai-chinh)"
    ),
}
_PATTERN_MESSAGES = {
    schema.AGENCY_ID_PATTERN: (
        "id phải gồm chữ thường ASCII và chữ số, dạng <địa bàn>/<cơ quan> "
        "(vd. nghe-an/so-tai-chinh)"
    ),
    schema.TASK_ID_PATTERN: (
        "id phải gồm chữ thường ASCII và chữ số, các cấp nối bằng dấu chấm "
        "(vd. 4.1, iv.1.a, 5.khong-so-1)"
    ),
}


def _describe(error: dict[str, object], model: type[BaseModel]) -> str:
    kind = str(error["type"])
    found = error.get("input")
    loc: Path_ = tuple(error["loc"])  # type: ignore[arg-type]
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    if kind == "literal_error":
        # The choices as the data writes them (the schema lists enum members, not their text).
        choices = [f"'{c}'" for c in schema.literal_choices(model, loc)]
        expected = " hoặc ".join(filter(None, [", ".join(choices[:-1]), *choices[-1:]]))
        return f"phải là một trong {expected}; gặp “{found}”"
    message = _PYDANTIC_MESSAGES.get(kind, str(error["msg"]))
    if kind == "string_pattern_mismatch":
        pattern = (error.get("ctx") or {}).get("pattern", "")  # type: ignore[attr-defined]
        message = _PATTERN_MESSAGES.get(pattern, message)
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(str(loc[-1]), schema.field_names_at(model, loc[:-1]), 1)
        return f"trường này không có trong lược đồ; có phải “{close[0]}”?" if close else message
    if kind == "missing":
        return message
    if isinstance(found, list):
        return f"{message}; gặp một danh sách"
    if isinstance(found, dict):
        return f"{message}; gặp một mục gồm các trường"
    if found is None:
        return f"{message}; đang để trống"
    return f"{message}; gặp “{found}”"


def _container(data: Any, loc: Path_) -> dict[str, Any] | list[Any] | None:
    """The dict or list that holds (or would hold) the value at `loc`, if there is one."""
    for part in loc[:-1]:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    key = loc[-1]
    if isinstance(data, dict) and isinstance(key, str):
        return data
    if isinstance(data, list) and isinstance(key, int) and key < len(data):
        return data
    return None


def _salvage(raw: RawFile, model: type[M], errors: list[Any]) -> tuple[M | None, list[str]]:
    """`raw` as `model` with every value that does not fit replaced by a stand-in and every
    unknown field dropped, and the fields replaced; None when the file is beyond that."""
    data = copy.deepcopy(raw.data)
    replaced = []
    for error in errors:
        loc: Path_ = tuple(error["loc"])
        container = _container(data, loc) if loc else None
        annotation = schema.type_at(model, loc)
        if container is None:
            return None, []
        if error["type"] == "extra_forbidden":
            del container[loc[-1]]  # type: ignore[arg-type]
        elif annotation is not None:
            container[loc[-1]] = schema.stand_in(annotation)  # type: ignore[index]
            replaced.append(field_path(loc))
        else:
            return None, []
    try:
        return model.model_validate(data), replaced
    except ValidationError:
        return None, []


def validate_file(raw: RawFile, model: type[M]) -> tuple[M | None, list[DataError], list[str]]:
    """`raw` as `model`, with one error per problem (file, line, field, plain words).

    A file that does not fit is still returned where possible, its bad values replaced by
    stand-ins (schema.STAND_IN), so that its references can be checked in the same run; the
    third value lists the fields replaced. None only when nothing of the file can be used."""
    try:
        return model.model_validate(raw.data), [], []
    except ValidationError as exc:
        errors = []
        for error in exc.errors():
            loc: Path_ = tuple(error["loc"])
            errors.append(
                DataError(
                    raw.path, raw.line_of(loc), field_path(loc), _describe(dict(error), model)
                )
            )
        salvaged, replaced = _salvage(raw, model, exc.errors())
        return salvaged, errors, replaced


def echoes_stand_in(error: DataError, stand_ins: dict[str, list[str]]) -> bool:
    """Whether `error` is about a stand-in, i.e. repeats a mistake the schema already named."""
    if schema.STAND_IN in error.message:
        return True
    return any(
        error.field == f or error.field.startswith((f + ".", f + "["))
        for f in stand_ins.get(error.file, ())
    )
