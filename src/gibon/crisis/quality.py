"""How good is each signal: per source and indicator (and by dong, by month) the alerts, the
households contacted, the needs confirmed, precision, median days to first contact and the share
never reached. Pure: it takes the rows the repository reads."""

from __future__ import annotations

from typing import Any

import polars as pl

from gibon.crisis import indicators, labels

RESOLVED = ("linked", "done", "not_needed", "unreachable")
CONFIRMED = ("linked", "done")


def table(signals: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    """One row per group: alerts (signals), households (items), contacted, confirmed, resolved,
    precision (confirmed / resolved), median days to first contact, never-reached share."""
    days = (pl.col("first_contact_at") - pl.col("opened_at")).dt.total_microseconds() / 86_400e6
    items = signals.group_by([*by, "item_id"]).agg(
        pl.len().alias("alerts"),
        pl.col("status").first(),
        pl.col("first_contact_at").first().is_not_null().alias("contacted"),
        pl.col("first_reached_at").first().is_not_null().alias("reached"),
        days.first().alias("days_to_contact"),
    )
    resolved = pl.col("status").is_in(RESOLVED)
    out = items.group_by(by).agg(
        pl.col("alerts").sum(),
        pl.len().alias("households"),
        pl.col("contacted").sum(),
        pl.col("status").is_in(CONFIRMED).sum().alias("confirmed"),
        resolved.sum().alias("resolved"),
        pl.col("days_to_contact").median().alias("median_days_to_contact"),
        (resolved & ~pl.col("reached")).sum().alias("never_reached"),
    )
    return out.with_columns(
        _share("confirmed", "resolved").alias("precision"),
        _share("confirmed", "alerts").alias("precision_per_alert"),
        _share("never_reached", "resolved").alias("never_reached_share"),
    ).sort(by)


def _share(part: str, whole: str) -> pl.Expr:
    """part / whole, or null (shown as —) when nothing is in the whole yet."""
    return pl.when(pl.col(whole) > 0).then(pl.col(part) / pl.col(whole))


def report(signals: pl.DataFrame, rejected: pl.DataFrame, truth: set[str]) -> dict[str, Any]:
    """The whole report as plain data (JSON, HTML and CLI render this)."""
    month = signals.with_columns(
        pl.col("opened_at").dt.offset_by("9h").dt.strftime("%Y-%m").alias("month")
    )
    by_ind = table(signals, ["source", "indicator"])
    return {
        "by_source": _rows(table(signals, ["source"])),
        "by_indicator": _rows(by_ind),
        "by_dong": _rows(table(signals, ["dong"])),
        "by_month": _rows(table(month, ["month"])),
        "by_dong_month": _rows(table(month, ["dong", "month"])),
        "rejected_alerts": {labels.REJECT.get(r, r): int(n) for r, n in rejected.iter_rows()},
        "recall": _recall(signals, truth),
    }


def _recall(signals: pl.DataFrame, truth: set[str]) -> list[dict[str, Any]]:
    """Synthetic district only: of the households really in crisis, how many each source put on
    the worklist (needs the hidden truth, so it is empty for real data)."""
    if not truth:
        return []
    out = []
    for source in sorted(signals["source"].unique().to_list()):
        seen = set(signals.filter(pl.col("source") == source)["household_id"].to_list())
        hit = len(seen & truth)
        out.append(
            {"source": source, "source_label": labels.SOURCE[source], "caught": hit,
             "truth": len(truth), "recall": hit / len(truth)}
        )  # fmt: skip
    return out


def _rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    rows = frame.to_dicts()
    for r in rows:
        if "source" in r:
            r["source_label"] = labels.SOURCE.get(r["source"], r["source"])
        if "indicator" in r:
            ind = indicators.catalogue().get(r["indicator"])
            r["indicator_label"] = ind.label if ind else r["indicator"]
    return rows
