"""Parallel guesses see each other: the attempt is counted and committed before any password check."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine

from gibon import db
from gibon.accounts import service, throttle
from gibon.db import utcnow


def test_twenty_simultaneous_guesses_let_only_the_free_attempts_reach_the_password_check(
    engine: Engine,
) -> None:
    username = f"parallel-{uuid.uuid4().hex[:8]}"
    address = f"10.77.{uuid.uuid4().int % 250}.1"
    now = utcnow()

    def guess(_: int) -> bool:
        with db.transaction(engine) as session:  # its own connection and commit, like a request
            return service.begin_sign_in(session, username, address, now, "test").allowed

    try:
        with ThreadPoolExecutor(max_workers=10) as pool:
            allowed = list(pool.map(guess, range(20)))
        free = throttle.LIMITS[throttle.Scope.account].free
        assert allowed.count(True) == free + 1  # attempts 1..free+1 have no delay before them
        with db.transaction(engine) as session:
            assert throttle.locked_until(session, throttle.Scope.account, username, now)
    finally:
        with db.transaction(engine) as session:
            throttle.lift(session, throttle.Scope.account, username)
            throttle.lift(session, throttle.Scope.address, address)
