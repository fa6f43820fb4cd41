"""The one rule for ids of what the document leaves unnumbered (data/README.md states it):

- an unnumbered group is `khong-so-<n>`, n counting the plan's unnumbered groups;
- an unnumbered row in a numbered group is `<group>.khong-so-<n>` (`5.khong-so-1`);
- an unnumbered row in an unnumbered group is `<group>.<n>` (`khong-so-1.2`), so that
  "khong-so" is said once and anchors stay short (`nv-khong-so-1-2`);
- a bullet row (gạch đầu dòng) is `<group>.gach-<n>`;
n counts such rows in their group, from 1, in document order.
"""

from __future__ import annotations

import re

UNNUMBERED = "khong-so"
BULLET = "gach"


def unnumbered_group_id(position: int) -> str:
    return f"{UNNUMBERED}-{position}"


def unnumbered_task_id(group: str, position: int, bullet: bool = False) -> str:
    if bullet:
        return f"{group}.{BULLET}-{position}"
    if is_unnumbered_group(group):
        return f"{group}.{position}"
    return f"{group}.{UNNUMBERED}-{position}"


def is_unnumbered_group(group: str) -> bool:
    return re.fullmatch(rf"{UNNUMBERED}-\d+", group) is not None


def follows_rule(group: str, task: str) -> bool:
    """Whether `task`, an unnumbered row of `group`, has an id the rule gives."""
    rest = task.removeprefix(group + ".")
    if re.fullmatch(rf"{BULLET}-\d+", rest):
        return True
    pattern = r"\d+" if is_unnumbered_group(group) else rf"{UNNUMBERED}-\d+"
    return task != rest and re.fullmatch(pattern, rest) is not None
