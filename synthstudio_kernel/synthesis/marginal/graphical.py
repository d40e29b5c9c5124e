"""A graphical model over a junction tree: belief propagation, marginals and i.i.d. sampling.

The measured cliques are triangulated (greedy elimination by the size of the clique it
creates), the maximal cliques joined into a junction tree (maximum spanning tree on shared
attributes), and the model is the exponential family with one log-potential per maximal
clique. Belief propagation runs in log space; marginals over attributes that no single
clique holds come from variable elimination over the smallest subtree that covers them.
Sampling draws rows independently, clique by clique from the root, each conditioned on
its separator (never mbi's deterministic "round" sampler).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .factor import Domain, Factor, logsumexp

#: Log-potential of an impossible cell (finite, so that log-sum-exp stays well defined).
IMPOSSIBLE = -1e9


def triangulate(domain: Domain, cliques: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
    """Maximal cliques of a chordal completion of the graph that joins each clique's attributes."""
    neighbours: dict[str, set[str]] = {a: set() for a in domain.attrs}
    for clique in cliques:
        for a in clique:
            neighbours[a].update(b for b in clique if b != a)
    sizes = dict(zip(domain.attrs, domain.sizes, strict=True))
    remaining = set(domain.attrs)
    found: list[frozenset[str]] = []
    while remaining:

        def cost(v: str) -> tuple[int, int, int]:
            group = neighbours[v] & remaining
            return (sizes[v] * math.prod(sizes[u] for u in group), len(group), domain.index(v))

        v = min(remaining, key=cost)
        group = (neighbours[v] & remaining) | {v}
        found.append(frozenset(group))
        for a in group:
            neighbours[a].update(group - {a})
        remaining.discard(v)
    maximal = [c for c in found if not any(c < other for other in found)]
    unique = list(dict.fromkeys(maximal))
    return [domain.canonical(c) for c in unique]


def spanning_tree(cliques: Sequence[tuple[str, ...]]) -> list[tuple[int, int]]:
    """Junction-tree edges: a maximum spanning tree on the number of shared attributes."""
    candidates = [
        (len(set(cliques[i]) & set(cliques[j])), i, j) for i in range(len(cliques)) for j in range(i + 1, len(cliques))
    ]
    candidates.sort(key=lambda t: (-t[0], t[1], t[2]))
    parent = list(range(len(cliques)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    edges = []
    for _, i, j in candidates:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[ri] = rj
            edges.append((i, j))
    return edges


def model_size(domain: Domain, cliques: Sequence[Sequence[str]]) -> int:
    """Cells of the junction tree that the measured ``cliques`` need."""
    return sum(domain.size(c) for c in triangulate(domain, cliques))


@dataclass
class JunctionTree:
    """Maximal cliques, tree edges and a breadth-first order from clique 0."""

    domain: Domain
    cliques: list[tuple[str, ...]]
    edges: list[tuple[int, int]]
    neighbours: dict[int, list[int]] = field(init=False)
    order: list[tuple[int, int]] = field(init=False)  # (node, parent), parent -1 for the root

    def __post_init__(self) -> None:
        self.neighbours = {i: [] for i in range(len(self.cliques))}
        for i, j in self.edges:
            self.neighbours[i].append(j)
            self.neighbours[j].append(i)
        self.order = self.bfs(0)
        # Message plumbing: the axes a message sums out, and its shape inside the receiver.
        self.out_axes: dict[tuple[int, int], tuple[int, ...]] = {}
        self.into: dict[tuple[int, int], tuple[int, ...]] = {}
        for i, j in [*self.edges, *((j, i) for i, j in self.edges)]:
            sep = set(self.cliques[i]) & set(self.cliques[j])
            self.out_axes[(i, j)] = tuple(k for k, a in enumerate(self.cliques[i]) if a not in sep)
            self.into[(i, j)] = tuple(
                self.domain.sizes[self.domain.index(a)] if a in sep else 1 for a in self.cliques[j]
            )

    @classmethod
    def build(cls, domain: Domain, measured: Sequence[Sequence[str]]) -> JunctionTree:
        cliques = triangulate(domain, measured)
        return cls(domain, cliques, spanning_tree(cliques))

    def bfs(self, root: int) -> list[tuple[int, int]]:
        order, seen, queue = [(root, -1)], {root}, [root]
        while queue:
            node = queue.pop(0)
            for other in self.neighbours[node]:
                if other not in seen:
                    seen.add(other)
                    order.append((other, node))
                    queue.append(other)
        return order

    def separator(self, i: int, j: int) -> tuple[str, ...]:
        shared = set(self.cliques[i]) & set(self.cliques[j])
        return tuple(a for a in self.cliques[i] if a in shared)

    def home(self, attrs: Sequence[str]) -> int | None:
        """The smallest clique holding every attribute of ``attrs`` (None if none does)."""
        wanted = set(attrs)
        holders = [i for i, c in enumerate(self.cliques) if wanted <= set(c)]
        if not holders:
            return None
        return min(holders, key=lambda i: self.domain.size(self.cliques[i]))

    @property
    def size(self) -> int:
        return sum(self.domain.size(c) for c in self.cliques)


class GraphicalModel:
    """Log-potentials (arrays over each junction-tree clique) scaled to ``total`` rows."""

    def __init__(self, tree: JunctionTree, potentials: Sequence[np.ndarray], total: float) -> None:
        self.tree = tree
        self.domain = tree.domain
        self.potentials = list(potentials)
        self.total = float(total)
        self._beliefs: list[np.ndarray] | None = None

    # --- belief propagation -----------------------------------------------------------------
    def calibrate(self, evidence: Mapping[str, int] | None = None) -> list[np.ndarray]:
        """Normalised clique marginals (probabilities), optionally given ``evidence`` codes."""
        if not evidence and self._beliefs is not None:
            return self._beliefs
        tree = self.tree
        pots = list(self.potentials)
        for attr, code in (evidence or {}).items():
            home = tree.home([attr])
            assert home is not None
            indicator = np.full(self.domain.sizes[self.domain.index(attr)], IMPOSSIBLE)
            indicator[int(code)] = 0.0
            pots[home] = pots[home] + Factor(self.domain, (attr,), indicator).expand(tree.cliques[home])
        messages: dict[tuple[int, int], np.ndarray] = {}

        def gather(node: int, skip: int) -> np.ndarray:
            acc = pots[node]
            for other in tree.neighbours[node]:
                if other != skip:
                    acc = acc + messages[(other, node)]
            return acc

        for node, parent in reversed(tree.order[1:]):
            edge = (node, parent)
            messages[edge] = logsumexp(gather(node, parent), tree.out_axes[edge]).reshape(tree.into[edge])
        for node, parent in tree.order[1:]:
            edge = (parent, node)
            messages[edge] = logsumexp(gather(parent, node), tree.out_axes[edge]).reshape(tree.into[edge])
        beliefs = []
        for node in range(len(tree.cliques)):
            belief = np.broadcast_to(gather(node, -1), self.domain.shape(tree.cliques[node]))
            top = float(belief.max())
            values = np.exp(belief - top)
            beliefs.append(values / values.sum())
        if not evidence:
            self._beliefs = beliefs
        return beliefs

    def belief(self, node: int, evidence: Mapping[str, int] | None = None) -> Factor:
        return Factor(self.domain, self.tree.cliques[node], self.calibrate(evidence)[node])

    # --- marginals ----------------------------------------------------------------------------
    def marginal(self, attrs: Sequence[str]) -> np.ndarray:
        """Expected counts over ``attrs`` (array in domain order of ``attrs``)."""
        attrs = self.domain.canonical(attrs)
        return self._probabilities(attrs).values * self.total

    def _probabilities(self, attrs: tuple[str, ...]) -> Factor:
        home = self.tree.home(attrs)
        if home is not None:
            return self.belief(home).sum(attrs)
        # Variable elimination over the smallest subtree covering ``attrs``.
        holders = [self.tree.home([a]) for a in attrs]
        root = holders[0]
        assert root is not None
        order = self.tree.bfs(root)
        parent = dict(order)
        needed = {root}
        for node in holders[1:]:
            while node is not None and node != -1 and node not in needed:
                needed.add(node)
                node = parent[node]
        wanted = set(attrs)
        messages: dict[int, list[Factor]] = {n: [] for n in needed}
        for node, up in reversed(order):
            if node not in needed:
                continue
            factor = self.belief(node)
            if up != -1:
                factor = factor.divide(factor.sum(self.tree.separator(node, up)))
            for message in messages[node]:
                factor = factor * message
            if up == -1:
                return factor.sum(attrs)
            keep = set(self.tree.separator(node, up)) | (wanted & set(factor.attrs))
            messages[up].append(factor.sum(a for a in factor.attrs if a in keep))
        raise AssertionError("the subtree has no root")  # pragma: no cover

    # --- sampling --------------------------------------------------------------------------------
    def sample(
        self, n: int, uniforms: np.random.Generator, evidence: Mapping[str, int] | None = None
    ) -> dict[str, np.ndarray]:
        """``n`` rows drawn i.i.d. from the model: one code array per attribute."""
        beliefs = self.calibrate(evidence)
        codes: dict[str, np.ndarray] = {}
        for node, parent in self.tree.order:
            attrs = self.tree.cliques[node]
            values = beliefs[node]
            sep = self.tree.separator(node, parent) if parent != -1 else ()
            new = tuple(a for a in attrs if a not in sep)
            if not new:
                continue
            sep_axes = [attrs.index(a) for a in sep]
            new_axes = [attrs.index(a) for a in new]
            sep_shape, new_shape = self.domain.shape(sep), self.domain.shape(new)
            table = values.transpose(sep_axes + new_axes).reshape(int(np.prod(sep_shape)), -1)
            row_sums = table.sum(axis=1, keepdims=True)
            cond = np.divide(table, row_sums, out=np.full(table.shape, 1.0 / table.shape[1]), where=row_sums > 0)
            rows = np.ravel_multi_index(tuple(codes[a] for a in sep), sep_shape) if sep else np.zeros(n, dtype=np.int64)
            flat = draw_rows(cond, rows, uniforms.random(n))
            for attr, drawn in zip(new, np.unravel_index(flat, new_shape), strict=True):
                codes[attr] = drawn.astype(np.int64)
        return codes


def draw_rows(cond: np.ndarray, rows: np.ndarray, u: np.ndarray) -> np.ndarray:
    """For each draw, a column of ``cond[rows[i]]`` (rows are distributions), by inverse CDF.

    One ``searchsorted`` over all rows at once: row ``r``'s CDF is shifted by ``r``, so the
    flattened CDF increases and ``r + u`` lands inside row ``r``.
    """
    k = cond.shape[1]
    cdf = np.cumsum(cond, axis=1)
    cdf /= cdf[:, -1:]
    shifted = (cdf + np.arange(cond.shape[0])[:, None]).ravel()
    target = rows.astype(float) + np.clip(u, 1e-12, 1 - 1e-12)
    flat = np.searchsorted(shifted, target, side="left")
    return np.clip(flat - rows * k, 0, k - 1)
