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

How (the trees and their ranges are in `analysis/sum_trees.py`): the interviewed counts and each theme's counts are trees of sums (total -> school -> grade;
total -> gender; ...). For a tree with a range on every node the values each node can take are an
interval, computed exactly in two passes (`analysis.sum_trees.feasible`). Cells are withheld until no hidden node is
pinned to one value. Each theme's counts are checked as if the reader knew every interviewed count
exactly, which can only help the reader, so the themes are protected whatever the interviewed row
shows; the interviewed row is then checked against what the themes' counts say about it (a group
cannot have fewer students than raised a theme in it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from analysis.sum_trees import INF, Node, feasible, protect_covering, protect_or_omit
from analysis.suppression import Cell, Hidden


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

            # Each pair of categories once, in the order it first comes: a pair seen again joins nothing new.
            for a, b in dict.fromkeys((a, b) for row in rows for a in row[first] for b in row[second]):
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


def _published(root: Node) -> list[Node]:
    """Every node that is a published count: not the root (a total, decided apart), not a component."""
    return [node for node in list(root.walk())[1:] if not node.virtual]


def _cell(node_value: int, hidden: Hidden, threshold: int) -> Cell:
    return Cell(None if hidden != Hidden.SHOWN else node_value, hidden, threshold)


def _tree(counts: Mapping[tuple, int], total: int, structure: Structure, categories: Mapping[str, list[str]]) -> Node:
    """The tree of sums over the single-valued attributes; the two the roster links hang, both, under
    a node per component (a count nobody publishes, which ties their sums together)."""
    root = Node(("", ""), total)
    singles = [c for c in structure.criteria if c not in structure.multi_valued]
    linked = structure.linked
    if linked and not {linked.first, linked.second} <= set(singles):
        linked = None
    components: dict[int, Node] = {}
    for criterion in singles:
        members = [Node((criterion, category), counts.get((criterion, category), 0)) for category in categories[criterion]]
        if linked and criterion in (linked.first, linked.second):
            grouped: dict[int, list[Node]] = defaultdict(list)
            for node in members:
                grouped[linked.component.get(node.key, -1)].append(node)
            for number, children in sorted(grouped.items()):
                if number not in components:
                    components[number] = Node(("~", str(number)), 0, hidden=Hidden.OMITTED, exempt=True, virtual=True)
                components[number].families.append(children)
            continue
        root.families.append(members)
    if components:
        for node in components.values():
            node.value = sum(child.value for child in node.families[0])
        root.families.append(list(components.values()))
    return root


def suppress_publication(*, students: Mapping[object, Mapping[str, Iterable[str]]], raised: Mapping[object, set],
                         structure: Structure, threshold: int,
                         categories: Mapping[str, Iterable[str]] | None = None) -> Publication:
    """Decide every count published together about these students: the interviewed total and
    counts by attribute, and for each key of `raised` (a theme, a code) how many raised it, overall
    and by attribute."""
    if threshold < 3:
        raise ValueError("A threshold below 3 cannot hide a count of one student among the listed categories.")
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
        if total_cell.hidden != Hidden.SHOWN or n_total == 0:
            raised_cells[key] = omitted  # nothing by attribute: each count would follow from the total
            continue

        def r_box(node: Node, n_total=n_total, r_total=r_total) -> None:
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
        protect_or_omit(root, r_box)
        ranges = feasible(root)
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
            ranges = protect_covering(hidden, box, low=r_total, high=sum(caps.values()) - n_total,
                                       exempt=frozenset(k for k in cats if caps[k] == 0))
            for k in cats:
                decided[criterion][k] = _cell(values[k], hidden[k], t)
                lower_bounds[(criterion, k)] = max(lower_bounds[(criterion, k)], ranges[k][0])
        raised_cells[key] = decided

    # The interviewed counts, knowing what the themes' counts say about them.
    def i_box(node: Node) -> None:
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
    protect_or_omit(root, i_box)
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
        protect_covering(hidden, box, low=interviewed_total, high=INF)  # everyone is in one category at least
        for k in cats:
            interviewed_cells[criterion][k] = _cell(values[k], hidden[k], t)
    return Publication(t, Cell(interviewed_total, Hidden.SHOWN, t), categories, interviewed_cells, raised_totals,
                       raised_cells)
