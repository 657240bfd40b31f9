"""Prescribing cascades: a drug started soon after another, to treat the first one's side effect."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from gibon.pharm.checks._common import evidence, finding, names_ko
from gibon.pharm.context import Context
from gibon.pharm.findings import Finding

NEW_START_DAYS = 60


def check(ctx: Context) -> list[Finding]:
    out = []
    for rule in ctx.kb.criteria["cascades"]["rules"]:
        out += _rule(ctx, rule)
    return out


def _rule(ctx: Context, rule: dict[str, Any]) -> list[Finding]:
    firsts, thens = ctx.matching(rule["first"]), ctx.matching(rule["then"])
    if not firsts or not thens:
        return []
    # Only a first drug newly started inside the history counts: chronic drugs already taken when
    # the history begins would otherwise look like a sequence because of refill timing.
    history_start = min(s.dispensed for s in ctx.supplies)
    out = []
    for b in sorted(thens - firsts):
        b_start = min(s.start for s in ctx.by_ingredient[b])
        for a in sorted(firsts):
            a_supplies = ctx.by_ingredient[a]
            a_start = min(s.start for s in a_supplies)
            still = any(s.start <= b_start <= s.end + timedelta(days=7) for s in a_supplies)
            new_start = a_start >= history_start + timedelta(days=NEW_START_DAYS)
            later = (
                a_start + timedelta(days=7)
                <= b_start
                <= a_start + timedelta(days=rule["window_days"])
            )
            if new_start and later and still:
                used = [*a_supplies, *ctx.by_ingredient[b]]
                lag = (b_start - a_start).days
                out.append(
                    finding(
                        "prescribing_cascade",
                        rule["severity"],
                        [a, b],
                        f"처방연쇄 의심: {names_ko(ctx, [a])} → {names_ko(ctx, [b])} ({lag}일 후)",
                        f"{ctx.kb.criteria['cascades']['citation']}; {rule['source']}",
                        rule["id"],
                        rule["text"],
                        rule["action"],
                        rule["prescriber_note"],
                        evidence(
                            used,
                            None,
                            first_started=a_start.isoformat(),
                            second_started=b_start.isoformat(),
                            days_between=lag,
                        ),
                    )
                )
                break
    return out
