"""Where the explorer draws each node: computed here (networkx, seeded) so that a page is still
at once and the same every build."""

from __future__ import annotations

import math
from typing import Any

import networkx as nx

from kg.store import GraphStore


def spring_rows(store: GraphStore, nodes: set[str]) -> dict[str, tuple[float, float]]:
    """Spring layout per connected component, components packed in rows, largest first."""
    # Nodes and edges inserted in sorted order: spring_layout's start depends on the order, and
    # a set's order changes from run to run (string hashing is salted per process).
    g: nx.Graph[str] = nx.Graph()
    g.add_nodes_from(sorted(nodes))
    g.add_edges_from(sorted((s, o) for s in nodes for o in store.succ[s] if o in nodes))
    components = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    positions: dict[str, tuple[float, float]] = {}
    row_width = 2600.0
    x = y = row_height = 0.0
    for component in components:
        radius = 45.0 * len(component) ** 0.5 + 30.0
        local: dict[str, Any] = {component[0]: (0.0, 0.0)}
        if len(component) > 1:
            iterations = 50 if len(component) < 500 else 25
            sub: nx.Graph[str] = nx.Graph()
            sub.add_nodes_from(component)  # sorted
            sub.add_edges_from(sorted((min(u, v), max(u, v)) for u, v in g.subgraph(component).edges()))
            local = nx.spring_layout(sub, seed=7, iterations=iterations)
        if x + 2 * radius > row_width and x > 0:
            x, y, row_height = 0.0, y + row_height + 60.0, 0.0
        for node, (px, py) in local.items():
            positions[node] = (x + radius + float(px) * radius, y + radius + float(py) * radius)
        x += 2 * radius + 60.0
        row_height = max(row_height, 2 * radius)
    return positions


def radial(store: GraphStore, nodes: set[str], focus: str) -> dict[str, tuple[float, float]]:
    """An ego view: the focus in the middle, each further step out on a wider ring."""
    # Breadth-first over the store's own adjacency: a networkx subgraph copy per page cost
    # more than the rest of the page.
    succ, pred = store.succ, store.pred
    depth = {focus: 0}
    frontier = [focus]
    while frontier:
        following = []
        for node in frontier:
            near = (succ[node], pred[node])
            if len(near[0]) + len(near[1]) > len(nodes):  # a busy node: look from the page's side
                around = [n for n in nodes if n in near[0] or n in near[1]]
            else:
                around = [n for n in (*near[0], *near[1]) if n in nodes]
            for other in around:
                if other not in depth:
                    depth[other] = depth[node] + 1
                    following.append(other)
        frontier = following
    rings: dict[int, list[str]] = {}
    for node in sorted(nodes, key=lambda n: (depth.get(n, 99), store.node_data[n]["type"], n)):
        rings.setdefault(depth.get(node, 99), []).append(node)
    positions: dict[str, tuple[float, float]] = {}
    for level, ring in rings.items():
        radius = 0.0 if level == 0 else 170.0 * min(level, 6) + 6.0 * len(ring)
        for i, node in enumerate(ring):
            angle = 2 * math.pi * i / len(ring) + 0.35 * level
            positions[node] = (radius * math.cos(angle), radius * math.sin(angle))
    return positions
