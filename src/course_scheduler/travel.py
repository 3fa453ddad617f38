"""The travel graph as networkx, for planners exploring routes (venues are nodes, edges carry
minutes). The check path uses the equivalent Dijkstra in ``compile.shortest_paths`` so that it
needs no graph library; a test keeps the two in agreement."""

from __future__ import annotations

from typing import Any

from .model import Programme


def travel_graph(programme: Programme) -> Any:
    """A ``networkx.DiGraph``: node per venue (with its name), an edge each way per ``between``
    link and one edge per one-way (``from``/``to``) link; the shortest edge is kept."""
    import networkx as nx

    graph = nx.DiGraph()
    for venue in programme.venues:
        graph.add_node(venue.id, name=venue.name, kind=venue.kind.value)
    for link in programme.travel:
        a, b = link.ends
        for x, y in ((a, b),) if link.one_way else ((a, b), (b, a)):
            if not graph.has_edge(x, y) or graph[x][y]["minutes"] > link.minutes:
                graph.add_edge(x, y, minutes=link.minutes, mode=link.mode)
    return graph


def travel_minutes(programme: Programme) -> dict[tuple[str, str], int]:
    """Shortest travel minutes between every connected pair of venues."""
    import networkx as nx

    lengths = nx.all_pairs_dijkstra_path_length(travel_graph(programme), weight="minutes")
    return {(a, b): int(m) for a, row in lengths for b, m in row.items()}
