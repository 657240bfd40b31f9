"""The home page shows the demo load's progress while `gibon serve --load-demo` loads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gibon import demo
from gibon.config import Settings


def test_the_progress_writer_records_stages_and_counts(tmp_path: Path) -> None:
    path = demo.progress_file(tmp_path)
    writer = demo.ProgressWriter(path, total=1000)
    writer.stage("generating")
    assert demo.read_progress(path) == demo.LoadProgress("generating", 0, 1000)
    writer.advance(1000)
    loaded = demo.read_progress(path)
    assert loaded is not None
    assert (loaded.stage, loaded.done, loaded.percent) == ("domains", 1000, 100)
    writer.stage("done")
    finished = demo.read_progress(path)
    assert finished is not None
    assert not finished.running


def test_the_home_page_shows_the_load_in_korean_while_it_runs(
    client: TestClient, settings: Settings
) -> None:
    path = demo.progress_file(settings.data_dir)
    demo.write_progress(path, demo.LoadProgress("residents", 120_000, 478_000))
    page = client.get("/")
    assert page.status_code == 200
    assert "데모 지역을 적재하고 있습니다" in page.text
    assert "주민 적재 중: 120,000명 / 478,000명 (25%)" in page.text
    assert 'http-equiv="refresh"' in page.text


def test_the_home_page_has_no_progress_once_the_load_is_done(
    client: TestClient, settings: Settings
) -> None:
    demo.write_progress(demo.progress_file(settings.data_dir), demo.LoadProgress("done"))
    page = client.get("/")
    assert "데모 지역을 적재하고 있습니다" not in page.text
    assert 'http-equiv="refresh"' not in page.text


def test_a_broken_progress_file_is_ignored(tmp_path: Path) -> None:
    path = demo.progress_file(tmp_path)
    path.write_text("{not json", encoding="utf-8")
    assert demo.read_progress(path) is None


@pytest.mark.parametrize(
    ("page", "fields"),
    [
        ("/login", {"username": "district", "password": "gibon-demo-1"}),
        ("/my/login", {"login": "elder-kim", "secret": "gibon-demo-1"}),
    ],
)
def test_both_sign_in_pages_say_the_demo_is_still_loading(
    client: TestClient, settings: Settings, page: str, fields: dict[str, str]
) -> None:
    """Until the load commits there are no demo accounts, staff or resident: say so, not
    "wrong password"."""
    path = demo.progress_file(settings.data_dir)
    demo.write_progress(path, demo.LoadProgress("domains", 478_000, 478_000))
    form = client.get(page)
    assert "아직 로그인할 수 없습니다: 돌봄·방문·약료 예시 만드는 중 (100%)" in form.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token is not None
    refused = client.post(page, data={**fields, "csrf_token": token[1]})
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "5"
    assert "아직 로그인할 수 없습니다" in refused.text
    assert "맞지 않" not in refused.text
    demo.write_progress(path, demo.LoadProgress("done"))
    assert "아직 로그인할 수 없습니다" not in client.get(page).text
