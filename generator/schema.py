"""The shape of each data file, as pydantic models; `python -m generator schema` publishes them
as JSON Schema in data/schemas/. Only shape is checked here; references between files (agency
names, document ids, themes) are checked by the model stage."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
AGENCY_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$"
TASK_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*([.][a-z0-9]+(-[a-z0-9]+)*)*$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
AgencyId = Annotated[str, StringConstraints(pattern=AGENCY_ID_PATTERN)]
TaskId = Annotated[str, StringConstraints(pattern=TASK_ID_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _iso_date(value: str) -> str:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"ngày phải viết dạng YYYY-MM-DD, gặp “{value}”")
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"ngày không tồn tại: “{value}”") from None
    return value


IsoDate = Annotated[str, AfterValidator(_iso_date)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class JurisdictionIn(Strict):
    id: Id
    name: Text
    level: Literal["trung-uong", "tinh", "xa"]
    parent: Id | None = None


class AgencyIn(Strict):
    id: AgencyId
    name: Text
    kind: Literal["body", "collective"]
    names: list[Text] = []
    former_ids: list[AgencyId] = []


class AgenciesFile(Strict):
    jurisdictions: list[JurisdictionIn]
    agencies: list[AgencyIn]


class DocumentIn(Strict):
    id: Id
    kind: Text
    number: Text | None
    date: IsoDate | None
    issuer: Text | None
    jurisdiction: Id
    title: Text | None
    implements: list[Id] = []
    former_ids: list[Id] = []


class DocumentsFile(Strict):
    documents: list[DocumentIn]


class ThemeIn(Strict):
    id: Id
    name: Text
    description: Text


class ThemesFile(Strict):
    themes: list[ThemeIn]


class SignerIn(Strict):
    name: Text
    position: Text | None
    authority: list[Text] = []


class SourceIn(Strict):
    file: Text
    note: Text | None = None


class SectionIn(Strict):
    heading: Text | None  # null for the opening paragraphs before the first heading
    text: Text | None = None
    subsections: list[SectionIn] = []


class FigureIn(Strict):
    metric: Literal["von-uy-thac-tang-truong", "von-uy-thac-2030"]
    value: Text
    quote: Text
    task: TaskId | None = None
    where: Text | None = None


class TaskIn(Strict):
    id: TaskId
    former_ids: list[TaskId] = []  # old ids: their #nv-… anchors keep working
    number: Text | None
    text: Text
    lead: list[Text] = []
    support: list[Text] = []
    output: Text | None = None
    timeline: Text | None = None
    notes: Text | None = None


class GroupIn(Strict):
    id: Id
    former_ids: list[Id] = []  # old ids: their nhom-… pages redirect here
    number: Text | None
    title: Text
    theme: Id
    tasks: list[TaskIn] = Field(min_length=1)


class PlanFile(Strict):
    id: Id
    former_ids: list[Id] = []
    kind: Text
    number: Text | None
    date: IsoDate | None
    place: Text | None = None
    jurisdiction: Id
    issuer: AgencyId
    title: Text | None
    signer: SignerIn | None
    implements: list[Id] = []
    replaces: list[Id] = []
    source: SourceIn
    recipients: list[Text] = []
    sections: list[SectionIn] = []
    figures: list[FigureIn] = []
    tasks_title: Text | None = None
    appendix: Text | None = None  # the part holding the tasks, as citations name it ("Phụ lục 02")
    numbering: Literal["nested", "per-group"]
    groups: list[GroupIn] = Field(min_length=1)


FILE_MODELS: dict[str, type[Strict]] = {
    "agencies": AgenciesFile,
    "documents": DocumentsFile,
    "themes": ThemesFile,
    "plan": PlanFile,
}
