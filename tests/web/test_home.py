from __future__ import annotations

import re
from html.parser import HTMLParser

from fastapi.testclient import TestClient

from gibon.kit import gwanak
from tests import factories


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.dong_paths: list[str] = []
        self.ids: dict[str, str] = {}
        self._capture: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "path" and attributes.get("data-dong"):
            self.dong_paths.append(attributes["data-dong"] or "")
        if attributes.get("id"):
            self._capture = attributes["id"]

    def handle_data(self, data: str) -> None:
        if self._capture:
            self.ids[self._capture] = data.strip()
            self._capture = None


def _parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def test_the_home_page_draws_all_21_dongs(client: TestClient) -> None:
    page = _parse(client.get("/").text)
    assert sorted(page.dong_paths) == sorted(gwanak.dong_names())


def test_the_home_page_counts_the_loaded_population(client: TestClient) -> None:
    page = _parse(client.get("/").text)
    assert page.ids["kpi-persons"] == f"{factories.SMALL_POPULATION:,}명"


def test_the_district_api_gives_aggregates_that_add_up(client: TestClient) -> None:
    body = client.get("/api/district").json()
    assert sum(d["persons"] for d in body["dongs"]) == body["totals"]["persons"]
    assert body["totals"]["persons"] == factories.SMALL_POPULATION
    assert 0 < body["totals"]["share_65plus"] < 1
    assert "name" not in body["dongs"][0]


def test_the_map_can_be_shaded_by_another_figure(client: TestClient) -> None:
    html = client.get("/", params={"figure": "share_alone"}).text
    assert "1인 가구 비율" in html


def test_every_asset_the_page_loads_is_served_by_gibon_itself(client: TestClient) -> None:
    html = client.get("/").text
    links = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert links
    assert all(link.startswith(("/", "#")) for link in links), links
    assert client.get("/static/gibon.css").status_code == 200
