"""Layout of the document graph (implements / replaces) as a layered picture, computed in
Python so the template only draws boxes and lines. Pure functions of the portal's relations."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

BOX_WIDTH = 230
BOX_HEIGHT = 86
GAP_X = 30
GAP_Y = 70
MARGIN = 20


@dataclass(frozen=True)
class Node:
    id: str
    lines: tuple[str, ...]  # label lines, already short enough for the box
    url: str
    is_plan: bool
    replaced: bool


@dataclass(frozen=True)
class Box:
    node: Node
    x: int
    y: int


@dataclass(frozen=True)
class Edge:
    x1: int
    y1: int
    x2: int
    y2: int
    replaces: bool  # dashed: "replaces"; solid: "implements"


@dataclass(frozen=True)
class Layout:
    boxes: tuple[Box, ...]
    edges: tuple[Edge, ...]
    width: int
    height: int


def ranks(nodes: list[str], implements: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Row of each node: 0 for a node that implements nothing shown, else one below its lowest parent."""
    memo: dict[str, int] = {}

    def rank(node: str, trail: frozenset[str]) -> int:
        if node not in memo:
            parents = [p for p in implements.get(node, ()) if p in nodes and p not in trail]
            memo[node] = 1 + max((rank(p, trail | {node}) for p in parents), default=-1)
        return memo[node]

    return {node: rank(node, frozenset()) for node in nodes}


def order_rows(
    rows: dict[int, list[str]], implements: dict[str, tuple[str, ...]]
) -> dict[int, list[str]]:
    """Each row sorted by the mean position of its parents (barycentre), so lines cross less."""
    position: dict[str, float] = {}
    ordered = {}
    for row in sorted(rows):

        def key(node: str) -> tuple[float, str]:
            parents = [position[p] for p in implements.get(node, ()) if p in position]
            return (sum(parents) / len(parents) if parents else float("inf"), node)

        ordered[row] = sorted(rows[row], key=key)
        position.update({node: float(i) for i, node in enumerate(ordered[row])})
    return ordered


def layout(
    nodes: list[Node], implements: dict[str, tuple[str, ...]], replaces: dict[str, tuple[str, ...]]
) -> Layout:
    """Boxes in rows (a document above what implements it) and the lines between them."""
    ids = [n.id for n in nodes]
    by_id = {n.id: n for n in nodes}
    row_of = ranks(ids, implements)
    rows: dict[int, list[str]] = defaultdict(list)
    for node in ids:
        rows[row_of[node]].append(node)
    ordered = order_rows(dict(rows), implements)
    widest = max((len(r) for r in ordered.values()), default=0)
    width = 2 * MARGIN + widest * BOX_WIDTH + max(widest - 1, 0) * GAP_X
    boxes: dict[str, Box] = {}
    for row, members in ordered.items():
        row_width = len(members) * BOX_WIDTH + (len(members) - 1) * GAP_X
        left = (width - row_width) // 2
        for i, node in enumerate(members):
            x = left + i * (BOX_WIDTH + GAP_X)
            boxes[node] = Box(by_id[node], x, MARGIN + row * (BOX_HEIGHT + GAP_Y))
    edges = []
    for child, parents in implements.items():
        for parent in parents:
            if child in boxes and parent in boxes:
                c, p = boxes[child], boxes[parent]
                edges.append(
                    Edge(c.x + BOX_WIDTH // 2, c.y, p.x + BOX_WIDTH // 2, p.y + BOX_HEIGHT, False)
                )
    for new, olds in replaces.items():
        for old in olds:
            if new in boxes and old in boxes:
                n, o = boxes[new], boxes[old]
                left_to_right = n.x > o.x
                x1 = n.x if left_to_right else n.x + BOX_WIDTH
                x2 = o.x + BOX_WIDTH if left_to_right else o.x
                edges.append(Edge(x1, n.y + BOX_HEIGHT // 2, x2, o.y + BOX_HEIGHT // 2, True))
    height = 2 * MARGIN + len(ordered) * BOX_HEIGHT + max(len(ordered) - 1, 0) * GAP_Y
    return Layout(tuple(boxes.values()), tuple(edges), width, height)


def clip(text: str, limit: int = 34) -> str:
    """Text that fits one line of a box."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
