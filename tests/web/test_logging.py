"""A real ``gibon serve`` process: its log holds no resident or phone number, and it keeps
answering /health while a heavy calculation runs."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from gibon import db
from gibon.accounts import service as accounts
from gibon.accounts.models import Role
from gibon.benefits.schemas import EXAMPLE
from gibon.web import logging as weblog

RRN = "580302-2345678"
PHONE = "010-2345-6789"
PASSWORD = "log-test-password-1"


@dataclass(frozen=True)
class Served:
    url: str
    log: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("serve")
    url = f"sqlite:///{tmp / 'serve.db'}"
    db.upgrade(url)
    with db.transaction(db.engine_for(url)) as session:
        accounts.create_user(
            session,
            username="log-district",
            password=PASSWORD,
            role=Role.district_team,
            display_name="로그 시험 통합돌봄과",
        )
    db.dispose_engines()
    port = _free_port()
    env = {
        **os.environ,
        "GIBON_DATABASE_URL": url,
        "GIBON_SECRET_KEY_FILE": str(tmp / "secret.key"),
        "GIBON_DATA_DIR": str(tmp / "data"),
        "PYTHONPATH": str(Path(__file__).parents[2] / "src"),
    }
    log = tmp / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from gibon.cli import main; main()",
                "serve",
                "--port",
                str(port),
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_for(base, proc)
            yield Served(base, log)
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=20)


def _wait_for(base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, "gibon serve exited"
        try:
            if httpx.get(base + "/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("gibon serve did not answer /health")


def _token(base: str) -> dict[str, str]:
    body = {"username": "log-district", "password": PASSWORD}
    answer = httpx.post(base + "/api/auth/token", json=body, timeout=10).json()
    return {"Authorization": f"Bearer {answer['access_token']}"}


def test_a_session_of_requests_with_resident_and_phone_numbers_leaves_none_in_the_log(served):
    auth = _token(served.url)
    with httpx.Client(base_url=served.url, headers=auth, timeout=20) as c:
        c.get("/api/cases", params={"q": RRN})  # refused (422), but the URL reached the server
        c.get("/care", params={"q": RRN, "phone": PHONE})
        c.post("/api/cases/search", json={"q": RRN})
        c.post("/care/cases/new/search", data={"q": RRN})
        c.get(f"/care/cases/{RRN.replace('-', '')}")
        c.get(f"/login?next=/care?q={PHONE}")
        c.get(f"/api/simulator/outreach/{PHONE}/contacts")
    time.sleep(0.5)  # the access log is written after each answer
    text = served.log.read_text(encoding="utf-8", errors="replace")
    assert "GET /care?…" in text, text[-2000:]  # the access log is on, with paths only
    digits = re.compile(r"\d")
    assert not weblog.RRN.search(text), [ln for ln in text.splitlines() if "-23456" in ln]
    assert not weblog.PHONE.search(text)
    assert RRN not in text and RRN.replace("-", "") not in text
    assert PHONE not in text and PHONE.replace("-", "") not in text
    assert digits.search(text)  # the log is not empty of numbers altogether (ports, statuses)


def test_health_answers_while_a_heavy_calculation_runs(served):
    households = json.dumps([json.loads(EXAMPLE)] * 4000)
    auth = {**_token(served.url), "content-type": "application/json"}
    heavy_done = threading.Event()

    def heavy() -> None:
        httpx.post(
            served.url + "/api/benefits/calculate", content=households, headers=auth, timeout=120
        )
        heavy_done.set()

    thread = threading.Thread(target=heavy)
    thread.start()
    time.sleep(0.3)  # let the calculation start
    health = httpx.get(served.url + "/health", timeout=60)
    answered_first = not heavy_done.is_set()
    thread.join(timeout=120)
    assert health.status_code == 200
    assert heavy_done.is_set()
    assert answered_first, "/health waited for the calculation to finish"


def test_the_suite_wide_url_check_spots_a_resident_or_phone_number_in_a_request_target():
    from tests.browser import personal_targets

    targets = ["/care?status=open", f"/care?q={RRN}", f"/x/{PHONE.replace('-', '')}", "/health"]
    assert personal_targets(targets) == [targets[1], targets[2]]
