"""Suppression over everything published together: the patterns page and its CSV, a report, the
student summary. Pure: students' categories and who raised what in, one decision per count out.

What a reader is assumed to know: every count shown; that "fewer than N" means 0 to N-1 (and at
least 1 for a category listed as interviewed); that "withheld" beside a shown total means N or more;
that each single-valued attribute (grade, school, ...) splits the interviewed students, so its
counts add up to the total; that a finer attribute nested in a coarser one in the roster (every
grade in one school) adds up to it too; that nobody raised a theme more often than they were
interviewed; and who raised nothing (interviewed minus raised). No hidden count may then be worked
out: every hidden count keeps at least two values consistent with everything published, and no
shown pair reveals a small complement ("6 of 7" says one student did not raise it).

How: the interviewed counts and each theme's counts are trees of sums (total -> school -> grade;
total -> gender; ...). For a tree with a range on every node the values each node can take are an
interval, computed exactly in two passes (`_feasible`). Cells are withheld until no hidden node is
pinned to one value. Each theme's counts are checked as if the reader knew every interviewed count
exactly, which can only help the reader, so the themes are protected whatever the interviewed row
shows; the interviewed row is then checked against what the themes' counts say about it (a group
cannot have fewer students than raised a theme in it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from analysis.suppression import Cell, Hidden

INF = 10**9


@dataclass
class _Node:
    key: tuple  # (criterion, category); the root is ("", "")
    value: int
    families: list[list[_Node]] = field(default_factory=list)  # each family's values add up to this node's
    hidden: Hidden = Hidden.SHOWN
    box: tuple[int, int] = (0, INF)
    exempt: bool = False  # zero because its group is empty: protected by the group's own count
    virtual: bool = False  # a sum nobody publishes (a component of linked attributes)

    def walk(self) -> Iterable[_Node]:
        yield self
        for family in self.families:
            for child in family:
                yield from child.walk()


def _feasible(root: _Node) -> dict[tuple, tuple[int, int]]:
    """The exact range of values each node can take given every node's box and the sums."""
    up: dict[int, tuple[int, int]] = {}

    def climb(node: _Node) -> tuple[int, int]:
        low, high = node.box
        for family in node.families:
            sums = [climb(child) for child in family]
            low, high = max(low, sum(s[0] for s in sums)), min(high, sum(s[1] for s in sums))
        up[id(node)] = (low, high)
        return low, high

    climb(root)
    ranges: dict[tuple, tuple[int, int]] = {}

    def descend(node: _Node, feasible: tuple[int, int]) -> None:
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


def _pinned(root: _Node) -> list[_Node]:
    ranges = _feasible(root)
    return [node for node in root.walk() if node.hidden != Hidden.SHOWN and not node.exempt
            and ranges[node.key][0] >= ranges[node.key][1]]


def _placement(root: _Node) -> dict[int, tuple[_Node, list[_Node]]]:
    """For every node below the root: its parent and the family it belongs to."""
    placed = {}
    for node in root.walk():
        for family in node.families:
            for child in family:
                placed[id(child)] = (node, family)
    return placed


def _protect(root: _Node, set_box) -> _Node | None:
    """Withhold shown nodes until no hidden node is pinned to one value. Returns None when done, or
    the pinned node that no withholding below the root can protect."""
    placed = _placement(root)
    while pinned := _pinned(root):
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


def _unomitted(nodes: Iterable[_Node]) -> list[_Node]:
    return [n for member in nodes for n in member.walk() if n.hidden != Hidden.OMITTED and not n.virtual]


def _protect_or_omit(root: _Node, set_box) -> None:
    """Protect the tree; where withholding cannot, say nothing of the stuck node's family and what
    hangs below it, then of the other families beside it, climbing towards the root."""
    placed = _placement(root)
    while (stuck := _protect(root, set_box)) is not None:
        node, below = stuck, []
        while not below:
            parent, family = placed[id(node)]
            below = _unomitted(family)
            if not below and parent is not root:
                below = _unomitted(child for other in parent.families for child in other)
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


def _covering_ranges(boxes: Mapping[str, tuple[int, int]], *, low: int, high: int) -> dict[str, tuple[int, int]]:
    """Exact ranges of counts in boxes whose sum lies in [low, high] (a student may be in several
    categories of a multi-valued attribute, but everyone is in one at least)."""
    total_low, total_high = sum(b[0] for b in boxes.values()), sum(b[1] for b in boxes.values())
    return {k: (max(b[0], low - (total_high - b[1])), min(b[1], high - (total_low - b[0]))) for k, b in boxes.items()}


def _protect_covering(hidden: dict[str, Hidden], box, *, low: int, high: int,
                      exempt: frozenset = frozenset()) -> dict[str, tuple[int, int]]:
    """Withhold shown counts of a multi-valued attribute until no hidden one is pinned; omit all of
    them if that is not enough. Returns the ranges a reader is left with."""
    while True:
        ranges = _covering_ranges({k: box(k, h) for k, h in hidden.items()}, low=low, high=high)
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


@dataclass(frozen=True)
class Linking:
    """Two single-valued attributes tied by the roster's structure: grades 9 to 12 are taught at the
    two high schools only, 6 to 8 at the middle school. Each component (the high schools with their
    grades; the middle school with its grades) holds the same students counted either way, so its
    schools add up to what its grades add up to, and a reader who knows the schools knows that."""

    first: str
    second: str
    component: Mapping[tuple[str, str], int]  # (criterion, category) -> component number


@dataclass(frozen=True)
class Structure:
    """Which attributes are counted, which are single-valued (their counts add up to the total), and
    which two the roster ties together (see `Linking`)."""

    criteria: tuple[str, ...]
    multi_valued: frozenset[str]
    linked: Linking | None = None


def nesting(population: Iterable[Mapping[str, Iterable[str]]], *, criteria: Sequence[str],
            multi_valued: Iterable[str]) -> Linking | None:
    """The pair of single-valued attributes the roster ties most tightly (most components), if any:
    a reader who knows which grades each school teaches can add a school's grades up to its total."""
    singles = [c for c in criteria if c not in set(multi_valued)]
    rows = [{c: tuple(features.get(c, ())) for c in singles} for features in population]
    best: Linking | None = None
    best_count = 1
    for index, first in enumerate(singles):
        for second in singles[index + 1:]:
            parent: dict[tuple[str, str], tuple[str, str]] = {}

            def find(node, parent=parent):
                while parent.setdefault(node, node) != node:
                    parent[node] = parent[parent[node]]
                    node = parent[node]
                return node

            for row in rows:
                for a in row[first]:
                    for b in row[second]:
                        parent[find((first, a))] = find((second, b))
            roots = {node: find(node) for node in list(parent)}
            numbers = {root: n for n, root in enumerate(sorted(set(roots.values())))}
            count = len(numbers)
            if count > best_count:
                best, best_count = Linking(first, second, {node: numbers[root] for node, root in roots.items()}), count
    return best


@dataclass(frozen=True)
class Publication:
    threshold: int
    interviewed: Cell
    categories: dict[str, list[str]]
    interviewed_cells: dict[str, dict[str, Cell]]
    raised_totals: dict[object, Cell]
    raised_cells: dict[object, dict[str, dict[str, Cell]]]


def _published(root: _Node) -> list[_Node]:
    """Every node that is a published count: not the root (a total, decided apart), not a component."""
    return [node for node in list(root.walk())[1:] if not node.virtual]


def _cell(node_value: int, hidden: Hidden, threshold: int) -> Cell:
    return Cell(None if hidden != Hidden.SHOWN else node_value, hidden, threshold)


def _tree(counts: Mapping[tuple, int], total: int, structure: Structure, categories: Mapping[str, list[str]]) -> _Node:
    """The tree of sums over the single-valued attributes; the two the roster links hang, both, under
    a node per component (a count nobody publishes, which ties their sums together)."""
    root = _Node(("", ""), total)
    singles = [c for c in structure.criteria if c not in structure.multi_valued]
    linked = structure.linked
    if linked and not {linked.first, linked.second} <= set(singles):
        linked = None
    components: dict[int, _Node] = {}
    for criterion in singles:
        members = [_Node((criterion, category), counts.get((criterion, category), 0)) for category in categories[criterion]]
        if linked and criterion in (linked.first, linked.second):
            grouped: dict[int, list[_Node]] = defaultdict(list)
            for node in members:
                grouped[linked.component.get(node.key, -1)].append(node)
            for number, children in sorted(grouped.items()):
                if number not in components:
                    components[number] = _Node(("~", str(number)), 0, hidden=Hidden.OMITTED, exempt=True, virtual=True)
                components[number].families.append(children)
            continue
        root.families.append(members)
    if components:
        for node in components.values():
            node.value = sum(child.value for child in node.families[0])
        root.families.append(list(components.values()))
    return root


def suppress_publication(*, students: Mapping[object, Mapping[str, Iterable[str]]], raised: Mapping[object, set],
                         structure: Structure, threshold: int, breakdown: Iterable[object] | None = None,
                         categories: Mapping[str, Iterable[str]] | None = None) -> Publication:
    """Decide every count published together about these students: the interviewed total and
    counts by attribute, and for each key of `raised` (a theme, a code) how many raised it, overall
    and (for the keys in `breakdown`, all by default) by attribute."""
    if threshold < 3:
        raise ValueError("A threshold below 3 cannot hide a count of one student among the listed categories.")
    breakdown = set(raised if breakdown is None else breakdown)
    t = threshold
    interviewed_total = len(students)
    listed = {c: set((categories or {}).get(c, ())) for c in structure.criteria}
    categories = {}
    interviewed_counts: dict[tuple, int] = defaultdict(int)
    for features in students.values():
        for criterion in structure.criteria:
            for category in features.get(criterion, ()):
                interviewed_counts[(criterion, category)] += 1
    for criterion in structure.criteria:
        # Every category of the roster is listed, interviewed or not: a list of only the interviewed
        # ones would say that each holds one student at least.
        categories[criterion] = sorted(listed[criterion] | {k[1] for k in interviewed_counts if k[0] == criterion})

    if interviewed_total < t:
        small = Cell(None, Hidden.SMALL, t)
        return Publication(t, small, categories,
                           {c: {k: small for k in cats} for c, cats in categories.items()},
                           dict.fromkeys(raised, small),
                           {key: {c: {k: small for k in cats} for c, cats in categories.items()} for key in raised})

    # The raised counts of each theme, assuming the reader knew every interviewed count.
    raised_totals: dict[object, Cell] = {}
    raised_cells: dict[object, dict[str, dict[str, Cell]]] = {}
    lower_bounds: dict[tuple, int] = defaultdict(int)  # what the themes' counts say about interviewed counts
    for key, ids in raised.items():
        ids = set(ids) & set(students)
        r_total, n_total = len(ids), interviewed_total - len(ids)
        counts: dict[tuple, int] = defaultdict(int)
        for student_id in ids:
            for criterion in structure.criteria:
                for category in students[student_id].get(criterion, ()):
                    counts[(criterion, category)] += 1
        if r_total < t:
            total_cell = Cell(None, Hidden.SMALL, t)
        elif 0 < n_total < t:
            total_cell = Cell(None, Hidden.COMPLEMENTARY, t)
        else:
            total_cell = Cell(r_total, Hidden.SHOWN, t)
        raised_totals[key] = total_cell
        omitted = {c: {k: Cell(None, Hidden.OMITTED, t) for k in cats} for c, cats in categories.items()}
        if total_cell.hidden != Hidden.SHOWN or n_total == 0 or key not in breakdown:
            raised_cells[key] = omitted  # nothing by attribute: each count would follow from the total
            continue

        def r_box(node: _Node, n_total=n_total, r_total=r_total) -> None:
            if node.virtual:
                return  # a component's sum: no box but what its members add up to
            cap = interviewed_counts[node.key]
            floor = max(0, cap - n_total)
            if node.hidden == Hidden.OMITTED:
                node.box = (floor, min(cap, r_total))
            elif node.hidden == Hidden.SMALL:
                node.box = (floor, min(t - 1, cap, r_total))
            elif node.hidden == Hidden.COMPLEMENTARY:
                node.box = (max(t, floor), min(cap, r_total))
            else:
                node.box = (node.value, node.value)

        root = _tree(counts, r_total, structure, categories)
        root.box = (r_total, r_total)
        for node in _published(root):
            cap = interviewed_counts[node.key]
            complement = cap - node.value
            # Of a group with fewer than N interviewed nothing is said: its own count is withheld.
            node.hidden = (Hidden.OMITTED if cap < t else Hidden.SMALL if node.value < t
                           else Hidden.COMPLEMENTARY if 0 < complement < t else Hidden.SHOWN)
            node.exempt = cap == 0
            r_box(node)
        decided: dict[str, dict[str, Cell]] = {c: {} for c in structure.criteria}
        _protect_or_omit(root, r_box)
        ranges = _feasible(root)
        for node in _published(root):
            decided[node.key[0]][node.key[1]] = _cell(node.value, node.hidden, t)
            lower_bounds[node.key] = max(lower_bounds[node.key], ranges[node.key][0])
        for criterion in structure.multi_valued & set(structure.criteria):
            cats = categories[criterion]
            values = {k: counts[(criterion, k)] for k in cats}
            caps = {k: interviewed_counts[(criterion, k)] for k in cats}

            def box(k, hidden, values=values, caps=caps, n_total=n_total, r_total=r_total):
                floor = max(0, caps[k] - n_total)
                if hidden == Hidden.SHOWN:
                    return values[k], values[k]
                if hidden == Hidden.SMALL:
                    return floor, min(t - 1, caps[k], r_total)
                if hidden == Hidden.COMPLEMENTARY:
                    return max(t, floor), min(caps[k], r_total)
                return floor, min(caps[k], r_total)

            # Every student who raised it is in at least one category, and so is everyone who did not.
            hidden = {k: Hidden.OMITTED if caps[k] < t else Hidden.SMALL if values[k] < t
                      else Hidden.COMPLEMENTARY if 0 < caps[k] - values[k] < t else Hidden.SHOWN for k in cats}
            ranges = _protect_covering(hidden, box, low=r_total, high=sum(caps.values()) - n_total,
                                       exempt=frozenset(k for k in cats if caps[k] == 0))
            for k in cats:
                decided[criterion][k] = _cell(values[k], hidden[k], t)
                lower_bounds[(criterion, k)] = max(lower_bounds[(criterion, k)], ranges[k][0])
        raised_cells[key] = decided

    # The interviewed counts, knowing what the themes' counts say about them.
    def i_box(node: _Node) -> None:
        if node.virtual:
            return
        floor = lower_bounds.get(node.key, 0)
        if node.hidden == Hidden.OMITTED:
            node.box = (floor, interviewed_total)
        elif node.hidden == Hidden.SMALL:
            node.box = (floor, t - 1)
        elif node.hidden == Hidden.COMPLEMENTARY:
            node.box = (max(t, floor), interviewed_total)
        else:
            node.box = (node.value, node.value)

    root = _tree(interviewed_counts, interviewed_total, structure, categories)
    root.box = (interviewed_total, interviewed_total)
    for node in _published(root):
        node.hidden = Hidden.SMALL if node.value < t else Hidden.SHOWN
        i_box(node)
    _protect_or_omit(root, i_box)
    interviewed_cells: dict[str, dict[str, Cell]] = {c: {} for c in structure.criteria}
    for node in _published(root):
        interviewed_cells[node.key[0]][node.key[1]] = _cell(node.value, node.hidden, t)
    for criterion in structure.multi_valued & set(structure.criteria):
        cats = categories[criterion]
        values = {k: interviewed_counts[(criterion, k)] for k in cats}

        def box(k, hidden, values=values, criterion=criterion):
            floor = lower_bounds.get((criterion, k), 0)
            if hidden == Hidden.SHOWN:
                return values[k], values[k]
            if hidden == Hidden.SMALL:
                return floor, t - 1
            return max(t if hidden == Hidden.COMPLEMENTARY else 0, floor), interviewed_total

        hidden = {k: Hidden.SMALL if values[k] < t else Hidden.SHOWN for k in cats}
        _protect_covering(hidden, box, low=interviewed_total, high=INF)  # everyone is in one category at least
        for k in cats:
            interviewed_cells[criterion][k] = _cell(values[k], hidden[k], t)
    return Publication(t, Cell(interviewed_total, Hidden.SHOWN, t), categories, interviewed_cells, raised_totals,
                       raised_cells)
