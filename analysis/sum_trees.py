"""Counts that add up, and what a reader can work out of them: a tree of sums (a total, its
schools, each school's grades) with a range on every count, its exact feasible ranges, and the
withholding that leaves no hidden count pinned to one value. Pure; used by `analysis.disclosure`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from analysis.suppression import Hidden

INF = 10**9


@dataclass
class Node:
    key: tuple  # (criterion, category); the root is ("", "")
    value: int
    families: list[list[Node]] = field(default_factory=list)  # each family's values add up to this node's
    hidden: Hidden = Hidden.SHOWN
    box: tuple[int, int] = (0, INF)
    exempt: bool = False  # zero because its group is empty: protected by the group's own count
    virtual: bool = False  # a sum nobody publishes (a component of linked attributes)

    def walk(self) -> Iterable[Node]:
        yield self
        for family in self.families:
            for child in family:
                yield from child.walk()


def feasible(root: Node) -> dict[tuple, tuple[int, int]]:
    """The exact range of values each node can take given every node's box and the sums."""
    up: dict[int, tuple[int, int]] = {}

    def climb(node: Node) -> tuple[int, int]:
        low, high = node.box
        for family in node.families:
            sums = [climb(child) for child in family]
            low, high = max(low, sum(s[0] for s in sums)), min(high, sum(s[1] for s in sums))
        up[id(node)] = (low, high)
        return low, high

    climb(root)
    ranges: dict[tuple, tuple[int, int]] = {}

    def descend(node: Node, feasible: tuple[int, int]) -> None:
        ranges[node.key] = feasible
        for family in node.families:
            total_low = sum(up[id(child)][0] for child in family)
            total_high = sum(up[id(child)][1] for child in family)
            for child in family:
                own_low, own_high = up[id(child)]
                others_low, others_high = total_low - own_low, total_high - own_high
                descend(child, (max(own_low, feasible[0] - others_high), min(own_high, feasible[1] - others_low)))

    descend(root, up[id(root)])
    return ranges


def pinned_nodes(root: Node) -> list[Node]:
    ranges = feasible(root)
    return [node for node in root.walk() if node.hidden != Hidden.SHOWN and not node.exempt
            and ranges[node.key][0] >= ranges[node.key][1]]


def placement(root: Node) -> dict[int, tuple[Node, list[Node]]]:
    """For every node below the root: its parent and the family it belongs to."""
    placed = {}
    for node in root.walk():
        for family in node.families:
            for child in family:
                placed[id(child)] = (node, family)
    return placed


def protect(root: Node, set_box) -> Node | None:
    """Withhold shown nodes until no hidden node is pinned to one value. Returns None when done, or
    the pinned node that no withholding below the root can protect."""
    placed = placement(root)
    while pinned := pinned_nodes(root):
        current = pinned[0]
        chosen = None
        while chosen is None:
            parent, family = placed[id(current)]
            shown = [child for child in family if child.hidden == Hidden.SHOWN] if len(family) > 1 else []
            if not shown and parent is not root:
                # The other ways of adding up the same parent (a component's grades beside its schools).
                shown = [child for other in parent.families if other is not family and len(other) > 1
                         for child in other if child.hidden == Hidden.SHOWN]
            if shown:
                # Withhold the smallest: it widens the pinned node's range at the least cost.
                chosen = min(shown, key=lambda child: (child.value, child.key))
            elif parent is root:
                return pinned[0]
            elif parent.hidden == Hidden.SHOWN and len(placed[id(parent)][1]) > 1:
                chosen = parent
            else:
                # Hiding the parent cannot help (it is hidden already, or the only one in its family and
                # so equal to its own parent): widen the parent's range from its siblings instead.
                current = parent
        chosen.hidden = Hidden.COMPLEMENTARY
        set_box(chosen)
    return None


def unomitted(nodes: Iterable[Node]) -> list[Node]:
    return [n for member in nodes for n in member.walk() if n.hidden != Hidden.OMITTED and not n.virtual]


def protect_or_omit(root: Node, set_box) -> None:
    """Protect the tree; where withholding cannot, say nothing of the stuck node's family and what
    hangs below it, then of the other families beside it, climbing towards the root."""
    placed = placement(root)
    while (stuck := protect(root, set_box)) is not None:
        node, below = stuck, []
        while not below:
            parent, family = placed[id(node)]
            below = unomitted(family)
            if not below and parent is not root:
                below = unomitted(child for other in parent.families for child in other)
            if below or parent is root:
                break
            node = parent
        if not below:
            # Nothing is published of it or beside it: what pins it is the total and the groups'
            # sizes alone (or the worst case this check assumes, that the reader knows every size).
            stuck.exempt = True
            continue
        for member in below:
            member.hidden = Hidden.OMITTED
            set_box(member)


def covering_ranges(boxes: Mapping[str, tuple[int, int]], *, low: int, high: int) -> dict[str, tuple[int, int]]:
    """Exact ranges of counts in boxes whose sum lies in [low, high] (a student may be in several
    categories of a multi-valued attribute, but everyone is in one at least)."""
    total_low, total_high = sum(b[0] for b in boxes.values()), sum(b[1] for b in boxes.values())
    return {k: (max(b[0], low - (total_high - b[1])), min(b[1], high - (total_low - b[0]))) for k, b in boxes.items()}


def protect_covering(hidden: dict[str, Hidden], box, *, low: int, high: int,
                      exempt: frozenset = frozenset()) -> dict[str, tuple[int, int]]:
    """Withhold shown counts of a multi-valued attribute until no hidden one is pinned; omit all of
    them if that is not enough. Returns the ranges a reader is left with."""
    while True:
        ranges = covering_ranges({k: box(k, h) for k, h in hidden.items()}, low=low, high=high)
        pinned = [k for k, h in hidden.items()
                  if h != Hidden.SHOWN and k not in exempt and ranges[k][0] >= ranges[k][1]]
        if not pinned:
            return ranges
        shown = [k for k, h in hidden.items() if h == Hidden.SHOWN]
        if shown:
            hidden[min(shown, key=lambda k: (box(k, Hidden.SHOWN)[0], k))] = Hidden.COMPLEMENTARY
        elif any(h != Hidden.OMITTED for h in hidden.values()):
            for k in hidden:
                hidden[k] = Hidden.OMITTED
        else:
            return ranges  # nothing is published of it; what is left follows from the totals alone
