"""The networkx travel graph and the check path's own Dijkstra agree on every pair."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from course_scheduler import load
from course_scheduler.compile import shortest_paths
from course_scheduler.model import Programme
from course_scheduler.travel import travel_graph, travel_minutes

from .conftest import PUBLISHED


def test_reference_travel_graph() -> None:
    programme = load(PUBLISHED)
    graph = travel_graph(programme)
    assert graph.number_of_nodes() == len(programme.venues)
    minutes = travel_minutes(programme)
    assert minutes[("cei", "three-chimneys")] == 55
    assert minutes[("avinyo", "cei")] == 35
    assert minutes == shortest_paths(programme)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(0, 90), st.booleans()),
        max_size=15,
    )
)
def test_networkx_and_dijkstra_agree(edges: list[tuple[int, int, int, bool]]) -> None:
    """Both-way (``between``) and one-way (``from``/``to``) links, mixed."""
    data = load(PUBLISHED).model_dump(by_alias=True)
    data["venues"] = [{"id": f"v{i}", "name": f"Venue {i}"} for i in range(6)]
    data["travel"] = [
        {"from": f"v{a}", "to": f"v{b}", "minutes": m}
        if one_way
        else {"between": [f"v{a}", f"v{b}"], "minutes": m}
        for a, b, m, one_way in edges
        if a != b
    ]
    programme = Programme.model_validate(
        {k: data[k] for k in ("course", "venues", "travel", "groups")}
        | {"days": [{"date": "2025-01-06", "window": "9:00 - 17:00"}]}
    )
    assert travel_minutes(programme) == shortest_paths(programme)


def test_one_way_links_make_directed_times() -> None:
    """The road down is quicker than the road up: A to B and B to A differ, and a one-way
    link alone gives no way back."""
    programme = Programme.model_validate(
        {
            "course": {"title": "Two towns"},
            "venues": [{"id": v, "name": v.title()} for v in ("low", "high", "far")],
            "travel": [
                {"from": "low", "to": "high", "minutes": 240},
                {"from": "high", "to": "low", "minutes": 480},
                {"from": "high", "to": "far", "minutes": 10},
            ],
            "days": [{"date": "2025-01-06", "window": "9:00 - 17:00"}],
        }
    )
    minutes = shortest_paths(programme)
    assert minutes[("low", "high")] == 240 and minutes[("high", "low")] == 480
    assert minutes[("low", "far")] == 250 and ("far", "high") not in minutes
    assert travel_minutes(programme) == minutes
