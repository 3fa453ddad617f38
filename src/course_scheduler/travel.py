"""The travel graph as networkx, for planners exploring routes (venues are nodes, edges carry
minutes). The check path uses the equivalent Dijkstra in ``compile.shortest_paths`` so that it
needs no graph library; a test keeps the two in agreement."""

from __future__ import annotations

from typing import Any

from .model import Programme


def travel_graph(programme: Programme) -> Any:
    """An undirected ``networkx.Graph``: node per venue (with its name), edge per travel link."""
    import networkx as nx

    graph = nx.Graph()
    for venue in programme.venues:
        graph.add_node(venue.id, name=venue.name, kind=venue.kind.value)
    for link in programme.travel:
        a, b = link.between
        if not graph.has_edge(a, b) or graph[a][b]["minutes"] > link.minutes:
            graph.add_edge(a, b, minutes=link.minutes, mode=link.mode)
    return graph


def travel_minutes(programme: Programme) -> dict[tuple[str, str], int]:
    """Shortest travel minutes between every connected pair of venues."""
    import networkx as nx

    lengths = nx.all_pairs_dijkstra_path_length(travel_graph(programme), weight="minutes")
    return {(a, b): int(m) for a, row in lengths for b, m in row.items()}
