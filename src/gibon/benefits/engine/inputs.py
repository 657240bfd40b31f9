"""Input variables and how tables of persons and households become entity arrays for one month."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from gibon.errors import InvalidInput
from gibon.kit import gwanak, places

# name: (entity, type, Korean label)
INPUTS: dict[str, tuple[str, str, str]] = {
    "age": ("person", "int", "나이 (해당 월 말일 기준 만 나이)"),
    "age_months": ("person", "int", "개월 수 (출생월 = 0개월)"),
    "birth_year": ("person", "int", "출생 연도"),
    "birth_key": ("person", "int", "생년월일 순번"),
    "born_this_month": ("person", "bool", "해당 월 출생"),
    "school_grade": ("person", "int", "학년 (초1=1 … 고3=12, 학령 외 0)"),
    "is_head": ("person", "bool", "가구주"),
    "is_spouse": ("person", "bool", "배우자"),
    "is_child": ("person", "bool", "자녀"),
    "is_parent": ("person", "bool", "부모"),
    "female": ("person", "bool", "여성"),
    "disability_severe": ("person", "bool", "장애의 정도가 심한 장애인 (중증)"),
    "disability_mild": ("person", "bool", "장애의 정도가 심하지 않은 장애인 (경증)"),
    "pregnant": ("person", "bool", "임신 중"),
    "student": ("person", "bool", "학생"),
    "employed": ("person", "bool", "취업 중"),
    "earned_income": ("person", "int", "근로소득 (월)"),
    "business_income": ("person", "int", "사업소득 (월)"),
    "pension_income": ("person", "int", "공적연금 소득 (월, 국민연금 등)"),
    "pension_a_benefit": ("person", "int", "국민연금 A급여액 (월, 모르면 -1)"),
    "property_income": ("person", "int", "재산소득 (월, 임대·이자)"),
    "other_income": ("person", "int", "기타 이전소득 (월)"),
    "asset_housing": ("person", "int", "주택·토지 등 부동산 (공시가격)"),
    "asset_deposits": ("person", "int", "임차보증금 (구성원 보유분)"),
    "asset_financial": ("person", "int", "금융재산 (예금·적금·주식·보험 등)"),
    "asset_car": ("person", "int", "자동차 가액"),
    "debt": ("person", "int", "부채"),
    "ltc_grade": ("person", "int", "장기요양등급 (0 없음, 1–5, 6 인지지원)"),
    "n_conditions": ("person", "int", "등록된 만성질환 수"),
    "size": ("household", "int", "가구원 수"),
    "tenure_owner": ("household", "bool", "자가"),
    "tenure_jeonse": ("household", "bool", "전세"),
    "tenure_monthly_rent": ("household", "bool", "월세"),
    "tenure_public_rental": ("household", "bool", "공공임대"),
    "tenure_free": ("household", "bool", "무상 거주"),
    "deposit": ("household", "int", "임차보증금"),
    "monthly_rent": ("household", "int", "월 임차료"),
    "living_alone": ("household", "bool", "1인 가구 (홀로 거주)"),
    "crisis": ("household", "bool", "긴급복지 위기사유 발생"),
    "seoul": ("household", "bool", "서울특별시 거주"),
    "capital_area": ("household", "bool", "수도권 (서울·인천·경기) 거주"),
    "metro_city": ("household", "bool", "특별시·광역시의 자치구 거주 (기초연금 대도시)"),
    "rural": ("household", "bool", "군 거주 (기초연금 농어촌)"),
    "housing_grade": (
        "household",
        "int",
        "주거급여 급지 (1 서울, 2 경기·인천, 3 광역시·세종, 4 그 외)",
    ),
    "nbls_region": (
        "household",
        "int",
        "기본재산액 지역 (1 서울, 2 경기, 3 광역시·세종·창원, 4 그 외)",
    ),
    "dong_code": ("household", "int", "행정동 번호 (관악구 동 목록의 순번, 0 = 모름)"),
}

TENURES = ("owner", "jeonse", "monthly_rent", "public_rental", "free")
RELATIONS = ("head", "spouse", "child", "parent", "other")
LTC = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "cognitive": 6}


@dataclass
class Population:
    """Entity arrays for one month: persons, households and couples (기초연금 units)."""

    n: dict[str, int]
    person_household: np.ndarray
    person_couple: np.ndarray
    couple_household: np.ndarray
    inputs: dict[str, np.ndarray]
    household_ids: Any  # a numpy array, or a polars Series from from_frames
    person_ids: Any

    def person_id_list(self) -> list[str]:
        ids = self.person_ids
        return [str(x) for x in (ids.to_list() if hasattr(ids, "to_list") else ids.tolist())]


def month_start(month: str | dt.date) -> dt.date:
    if isinstance(month, dt.date):
        return month.replace(day=1)
    try:
        y, m = str(month).split("-")[:2]
        return dt.date(int(y), int(m), 1)
    except (ValueError, TypeError):
        raise InvalidInput(
            f"month '{month}' is not YYYY-MM", where="month", example="2026-06"
        ) from None


def build(households: Mapping[str, Any], persons: Mapping[str, Any], month: dt.date) -> Population:
    """Columns as arrays or lists; persons.household_id must name a household."""
    hh_ids = households["household_id"]  # from_frames keeps ids as polars columns (no copies)
    if "_h" in persons:
        hidx = persons["_h"]
    else:
        hh_ids = np.asarray(hh_ids)
        hidx = _household_index(hh_ids, persons)
    inputs = _person_inputs(persons, hidx, len(hh_ids), month)
    _household_assets_to_head(households, persons, hidx, inputs)
    inputs.update(_household_inputs(households, hidx, len(hh_ids)))
    couple, couple_hh = _couples(inputs, hidx, len(hh_ids))
    return Population(
        n={"person": len(hidx), "household": len(hh_ids), "couple": len(couple_hh)},
        person_household=hidx.astype(np.int64, copy=False),
        person_couple=couple,
        couple_household=couple_hh,
        inputs=inputs,
        household_ids=hh_ids,
        person_ids=_ids(persons["person_id"]),
    )


def _ids(col: Any) -> Any:
    return col if hasattr(col, "to_list") else np.asarray(col)


def _household_index(hh_ids: np.ndarray, persons: Mapping[str, Any]) -> np.ndarray:
    p_hh_ids = np.asarray(persons["household_id"])
    order = np.argsort(hh_ids, kind="stable")
    pos = np.clip(np.searchsorted(hh_ids[order], p_hh_ids), 0, max(len(hh_ids) - 1, 0))
    hidx = order[pos] if len(hh_ids) else np.zeros(len(p_hh_ids), dtype=np.int64)
    bad = hh_ids[hidx] != p_hh_ids if len(hh_ids) else np.ones(len(p_hh_ids), bool)
    if bad.any():
        raise InvalidInput(
            f"person's household_id {p_hh_ids[bad][0]!r} is not in households",
            where="persons.household_id",
        )
    return np.asarray(hidx)


def _eq(cols: Mapping[str, Any], name: str, value: str) -> np.ndarray:
    """``cols[name] == value``, or the pre-encoded column ``name=value`` (from polars)."""
    key = f"{name}={value}"
    out: np.ndarray = (
        np.asarray(cols[key], dtype=bool) if key in cols else np.asarray(cols[name]) == value
    )
    return out


def _num(cols: Mapping[str, Any], name: str, n: int, default: int = 0) -> np.ndarray:
    if name not in cols or cols[name] is None:
        # calloc'd zeros cost no page faults until written (rules never write inputs)
        return np.zeros(n, dtype=np.int64) if default == 0 else np.full(n, default, np.int64)
    arr = np.asarray(cols[name])
    if arr.dtype == object:
        arr = np.array([default if v is None else v for v in arr], dtype=np.int64)
    return arr.astype(np.int64, copy=False)


def _flag(cols: Mapping[str, Any], name: str, n: int) -> np.ndarray:
    if name not in cols or cols[name] is None:
        return np.zeros(n, dtype=bool)
    arr = np.asarray(cols[name])
    if arr.dtype == object:
        arr = np.array([bool(v) for v in arr])
    return arr.astype(bool, copy=False)


def _person_inputs(
    p: Mapping[str, Any], hidx: np.ndarray, n_hh: int, month: dt.date
) -> dict[str, np.ndarray]:
    n = len(hidx)
    if "birth_date=days" in p:  # days since 1970 (from_frames)
        birth_key = np.asarray(p["birth_date=days"], np.int64)
        by, bm, bd = _civil(birth_key)
    else:
        birth = np.asarray(p["birth_date"]).astype("datetime64[D]")
        by = birth.astype("datetime64[Y]").astype(np.int64) + 1970
        bm = birth.astype("datetime64[M]").astype(np.int64) % 12 + 1
        bd = (birth - birth.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
        birth_key = birth.astype(np.int64)
    y, m = month.year, month.month
    last_day = (np.datetime64(f"{y:04d}-{m:02d}", "M") + 1).astype("datetime64[D]") - 1
    ld = int(str(last_day)[8:10])
    age = y - by - ((m < bm) | ((m == bm) & (ld < bd)))
    school_year = y if m >= 3 else y - 1
    grade = school_year - by - 6
    out = {
        "age": age.astype(np.int64, copy=False),
        "age_months": ((y - by) * 12 + (m - bm)).astype(np.int64, copy=False),
        "birth_year": by,
        "birth_key": birth_key,
        "born_this_month": (by == y) & (bm == m),
        "school_grade": np.where((grade >= 1) & (grade <= 12), grade, 0).astype(np.int64),
        "is_head": _eq(p, "relation", "head"),
        "is_spouse": _eq(p, "relation", "spouse"),
        "is_child": _eq(p, "relation", "child"),
        "is_parent": _eq(p, "relation", "parent"),
        "female": _eq(p, "sex", "F"),
        "disability_severe": _eq(p, "disability", "severe"),
        "disability_mild": _eq(p, "disability", "mild"),
        "pregnant": _flag(p, "pregnant", n),
        "student": _flag(p, "student", n),
        "ltc_grade": _ltc(p.get("ltc_grade"), n),
        "n_conditions": _n_conditions(p.get("conditions"), n),
        "pension_a_benefit": _num(p, "pension_a_benefit", n, default=-1),
    }
    for name in (
        "earned_income",
        "business_income",
        "pension_income",
        "property_income",
        "other_income",
        "asset_housing",
        "asset_deposits",
        "asset_financial",
        "asset_car",
        "debt",
    ):
        out[name] = _num(p, name, n)
    out["employed"] = _employed(p, out, n)
    return out


def _civil(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month and day of each day number: numpy's calendar on the span of days present,
    then read by index (the casts per person cost ten times more)."""
    if not len(days):
        return days, days, days
    first = int(days.min())
    span = np.arange(first, int(days.max()) + 1).astype("datetime64[D]")
    month = span.astype("datetime64[M]")
    year = span.astype("datetime64[Y]").astype(np.int64) + 1970
    month_no = month.astype(np.int64) % 12 + 1
    day = (span - month.astype("datetime64[D]")).astype(np.int64) + 1
    at = days - first
    return np.take(year, at), np.take(month_no, at), np.take(day, at)


ASSETS = ("asset_housing", "asset_deposits", "asset_financial", "asset_car", "debt")


def _household_assets_to_head(
    h: Mapping[str, Any], p: Mapping[str, Any], hidx: np.ndarray, out: dict[str, np.ndarray]
) -> None:
    """Population tables hold assets per household: give them to the head (else first member)."""
    if any(k in p for k in ASSETS) or not any(k in h for k in ASSETS):
        return
    n_hh = int(hidx.max()) + 1 if len(hidx) else 0
    n_hh = max(n_hh, len(h["household_id"]))
    holder = _holders(out["is_head"], hidx, n_hh)
    for k in ASSETS:
        if k in h:
            held = np.zeros(len(hidx), dtype=np.int64)
            held[holder] = _num(h, k, n_hh)[hidx[holder]]
            out[k] = held


def _holders(is_head: np.ndarray, hidx: np.ndarray, n_hh: int) -> np.ndarray:
    """Each household's first head, else its first member (their rows)."""
    if len(hidx) and bool(np.all(hidx[1:] >= hidx[:-1])):  # members stored by household
        starts = np.flatnonzero(np.concatenate(([True], hidx[1:] != hidx[:-1])))
        holder = starts.copy()
        heads = np.flatnonzero(is_head)
        at = hidx[heads]
        first = heads[np.concatenate(([True], at[1:] != at[:-1]))] if len(heads) else heads
        holder[np.searchsorted(hidx[starts], hidx[first])] = first
        return holder
    rank = np.where(is_head, 0, 1) * len(hidx) + np.arange(len(hidx))
    best = np.full(n_hh, np.iinfo(np.int64).max)
    np.minimum.at(best, hidx, rank)
    return np.flatnonzero(best[hidx] == rank)


def _employed(p: Mapping[str, Any], out: dict[str, np.ndarray], n: int) -> np.ndarray:
    worked: np.ndarray = (out["earned_income"] + out["business_income"]) > 0
    if "employed" in p and p["employed"] is not None:
        given = np.asarray(p["employed"], dtype=object)
        return np.array(
            [w if g is None else bool(g) for g, w in zip(given, worked, strict=True)], bool
        )
    if "employment=idle" in p:
        idle_flag: np.ndarray = ~np.asarray(p["employment=idle"], dtype=bool) | worked
        return idle_flag
    if "employment" in p and p["employment"] is not None:
        emp = np.asarray(p["employment"]).astype(str)
        idle = np.isin(emp, ["none", "unemployed", "inactive", "retired", "student", "None", ""])
        active: np.ndarray = ~idle | worked
        return active
    return worked


def _ltc(col: Any, n: int) -> np.ndarray:
    if col is None:
        return np.zeros(n, dtype=np.int64)
    if isinstance(col, np.ndarray) and col.dtype.kind in "iu":
        return col.astype(np.int64, copy=False)  # already encoded
    return np.array([LTC.get(str(v), 0) if v is not None else 0 for v in col], dtype=np.int64)


def _n_conditions(col: Any, n: int) -> np.ndarray:
    if col is None:
        return np.zeros(n, dtype=np.int64)
    if isinstance(col, np.ndarray) and col.dtype.kind in "iu":
        return col.astype(np.int64, copy=False)  # already counted
    return np.array([0 if v is None else len(v) for v in col], dtype=np.int64)


def _household_inputs(h: Mapping[str, Any], hidx: np.ndarray, n_hh: int) -> dict[str, np.ndarray]:
    size = np.bincount(hidx, minlength=n_hh).astype(np.int64, copy=False)
    out = {f"tenure_{t}": _eq(h, "tenure", t) for t in TENURES}
    out.update(
        {
            "size": size,
            "deposit": _num(h, "deposit", n_hh),
            "monthly_rent": _num(h, "monthly_rent", n_hh),
            "living_alone": _flag(h, "living_alone", n_hh) | (size == 1),
            "crisis": _flag(h, "crisis", n_hh),
            "dong_code": _dong_code(h, n_hh),
        }
    )
    if "seoul" in h:  # encoded in polars (from_frames)
        out.update({k: np.asarray(h[k]) for k in REGION})
    else:
        out.update(places.region_inputs(h.get("sido"), n_hh, h.get("sigungu")))
    return out


REGION = places.REGION


def dong_codes() -> dict[str, int]:
    """Each Gwanak dong's number in rules (``dong_code == 3``): its place in the dong list."""
    return dict(_dong_codes())


@lru_cache(maxsize=1)
def _dong_codes() -> tuple[tuple[str, int], ...]:
    return tuple((name, i) for i, name in enumerate(gwanak.dong_names(), start=1))


def _dong_code(h: Mapping[str, Any], n: int) -> np.ndarray:
    if "dong_code" in h:
        return _num(h, "dong_code", n)
    if "dong" not in h or h["dong"] is None:
        return np.zeros(n, dtype=np.int64)
    codes = dong_codes()
    return np.array([codes.get(str(d), 0) for d in h["dong"]], dtype=np.int64)


def _couples(
    rel: dict[str, np.ndarray], hidx: np.ndarray, n_hh: int
) -> tuple[np.ndarray, np.ndarray]:
    """Head and spouse form one unit, two parents another; everyone else is a unit alone.
    Units are numbered household by household (the pair, then the parents), then the persons
    alone in their order: the order of the keys 2·household, 2·household + 1, 2·n + row."""
    head_pair = rel["is_head"] | rel["is_spouse"]
    parents = rel["is_parent"]  # never head or spouse: one relation per person
    n_hs, n_par = _members(head_pair, hidx, n_hh), _members(parents, hidx, n_hh)
    has_pair, has_par = (n_hs >= 1) & (n_hs <= 2), n_par == 2
    in_pair, in_par = head_pair & has_pair[hidx], parents & has_par[hidx]
    units = has_pair.astype(np.int64) + has_par
    first = np.cumsum(units) - units  # each household's first unit
    alone = ~(in_pair | in_par)
    grouped = int(units.sum())
    inverse = np.where(
        alone, grouped + np.cumsum(alone) - 1, first[hidx] + (in_par & has_pair[hidx])
    )
    unit_hh = np.concatenate((np.repeat(np.arange(n_hh), units), hidx[np.flatnonzero(alone)]))
    return inverse.astype(np.int64, copy=False), unit_hh.astype(np.int64, copy=False)


def _members(held: np.ndarray, hidx: np.ndarray, n_hh: int) -> np.ndarray:
    """How many members of each household hold ``held``."""
    return np.bincount(hidx[np.flatnonzero(held)], minlength=n_hh)


def columns_from_rows(
    rows: Sequence[Mapping[str, Any]], names: Sequence[str]
) -> dict[str, list[Any]]:
    return {k: [r.get(k) for r in rows] for k in names}


def from_frames(households: Any, persons: Any, month: dt.date) -> Population:
    """Polars tables (the gibon.population contract): strings are encoded in polars, not Python."""
    import polars as pl

    h = households.with_row_index("_h")
    p = _with_household_index(h, persons)
    if p["_h"].null_count():
        bad = p.filter(pl.col("_h").is_null())["household_id"][0]
        raise InvalidInput(
            f"person's household_id {bad!r} is not in households", where="persons.household_id"
        )
    enc = [pl.col("relation").eq(r).alias(f"relation={r}") for r in RELATIONS]
    enc += [
        pl.col("sex").eq("F").alias("sex=F"),
        pl.col("disability").eq("severe").alias("disability=severe"),
        pl.col("disability").eq("mild").alias("disability=mild"),
    ]
    if "employment" in p.columns:
        enc.append(
            pl.col("employment")
            .is_in(["unemployed", "inactive", "none", "retired"])
            .fill_null(True)
            .alias("employment=idle")
        )
    if "ltc_grade" in p.columns:
        enc.append(
            pl.col("ltc_grade")
            .replace_strict(LTC, default=0, return_dtype=pl.Int64)
            .alias("ltc_grade")
        )
    if "conditions" in p.columns:
        enc.append(pl.col("conditions").list.len().fill_null(0).cast(pl.Int64).alias("conditions"))
    enc.append(pl.col("birth_date").cast(pl.Int32).alias("birth_date=days"))  # see _civil
    gone = ("relation", "sex", "disability", "employment", "name", "rrn", "dong", "household_id")
    p = (  # one query: every encoding in a single pass
        p.lazy()
        .with_columns(enc)
        .drop([c for c in (*gone, "birth_date") if c in p.columns])
        .collect()
    )
    h_enc = [pl.col("tenure").eq(t).alias(f"tenure={t}") for t in TENURES]
    if "dong" in h.columns:
        codes = dong_codes()
        h_enc.append(
            pl.col("dong")
            .replace_strict(codes, default=0, return_dtype=pl.Int64)
            .alias("dong_code")
        )
    h_enc += _region_columns(h)
    h_gone = ("tenure", "dong", "housing_type", "sido", "sigungu")
    h = h.lazy().with_columns(h_enc).drop([c for c in h_gone if c in h.columns]).collect()
    if "place=row" in h.columns and h["place=row"].null_count():
        at = int(h["place=row"].is_null().arg_true()[0])
        row = {c: [households[c][at]] for c in ("sido", "sigungu") if c in households.columns}
        places.region_inputs(row.get("sido"), 1, row.get("sigungu"))  # raises the Korean error
    ids = ("person_id", "household_id")  # kept as polars columns: no Python strings made
    pc = {c: p[c] if c in ids else p[c].to_numpy() for c in p.columns}
    pc["_h"] = pc["_h"].astype(np.int64, copy=False)
    # the rules read no other text column (sigungu, names…): Python strings cost ~0.1 µs each
    hc = {
        c: h[c] if c in ids else h[c].to_numpy()
        for c in h.columns
        if c in ids or h[c].dtype != pl.String
    }
    if "place=row" in hc:
        hc.update(_region_inputs(hc.pop("place=row")))
    return build(hc, pc, month)


def _with_household_index(h: Any, persons: Any) -> Any:
    """Persons with ``_h``, their household's row: by runs when persons come grouped in the
    households' order (as gibon.population writes them), else by a join."""
    import polars as pl

    if persons.height and h.height:
        run = persons["household_id"].rle_id()
        starts = (run != run.shift(1)).fill_null(True).arg_true()
        if (
            len(starts) == h.height
            and (persons["household_id"].gather(starts) == h["household_id"]).all()
        ):
            return persons.with_columns(run.cast(pl.UInt32).alias("_h"))
    return persons.join(
        h.select("household_id", "_h"), on="household_id", how="left", maintain_order="left"
    )


def _region_columns(h: Any) -> list[Any]:
    """The place (시군구, else 시도) as its row in ``places.region_table()`` (unknown codes give null)."""
    import polars as pl

    cols = [c for c in ("sigungu", "sido") if c in h.columns]
    if not cols:
        return []
    code = pl.coalesce([pl.col(c).cast(pl.String) for c in cols]).fill_null(places.HOME_SIGUNGU)
    rows, _ = places.region_table()
    return [code.replace_strict(rows, default=None, return_dtype=pl.Int32).alias("place=row")]


def _region_inputs(row: np.ndarray) -> dict[str, np.ndarray]:
    """The rules' region inputs of each household, read from its place's row (one lookup each)."""
    at = row.astype(np.intp, copy=False)
    return {key: column[at] for key, column in places.region_table()[1].items()}


@dataclass
class One:
    """One household's inputs as plain Python values (lists over members for person inputs),
    for the plain-Python plan (``engine.scalar``); the same values ``build`` gives."""

    values: dict[str, Any]
    ids: list[str]
    couple: list[int]  # each member's 기초연금 unit, numbered as ``build`` numbers them
    n_couple: int


def one(household: Any, month: dt.date) -> One:
    """A validated ``schemas.Household`` as ``build(*household_columns([h]), month)`` would
    read it, without numpy (one household is the calculator's hot path)."""
    members = household.members
    y, m = month.year, month.month
    last_day = (dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)).day
    school_year = y if m >= 3 else y - 1
    epoch = dt.date(1970, 1, 1)
    cols: dict[str, list[Any]] = {name: [] for name, spec in INPUTS.items() if spec[0] == "person"}
    for p in members:
        b = p.birth_date
        grade = school_year - b.year - 6
        cols["age"].append(y - b.year - (m < b.month or (m == b.month and last_day < b.day)))
        cols["age_months"].append((y - b.year) * 12 + (m - b.month))
        cols["birth_year"].append(b.year)
        cols["birth_key"].append((b - epoch).days)
        cols["born_this_month"].append(b.year == y and b.month == m)
        cols["school_grade"].append(grade if 1 <= grade <= 12 else 0)
        for rel in ("head", "spouse", "child", "parent"):
            cols[f"is_{rel}"].append(p.relation == rel)
        cols["female"].append(p.sex == "F")
        cols["disability_severe"].append(p.disability == "severe")
        cols["disability_mild"].append(p.disability == "mild")
        cols["pregnant"].append(bool(p.pregnant))
        cols["student"].append(bool(p.student))
        cols["ltc_grade"].append(0 if p.ltc_grade is None else LTC.get(str(p.ltc_grade), 0))
        cols["n_conditions"].append(len(p.conditions))
        cols["pension_a_benefit"].append(-1 if p.pension_a_benefit is None else p.pension_a_benefit)
        for name in ("earned_income", "business_income", "pension_income"):
            cols[name].append(getattr(p, name))
        cols["property_income"].append(p.property_income)
        cols["other_income"].append(p.other_income)
        a = p.assets
        cols["asset_housing"].append(a.housing)
        cols["asset_deposits"].append(a.deposits)
        cols["asset_financial"].append(a.financial)
        cols["asset_car"].append(a.car)
        cols["debt"].append(a.debt)
        worked = p.earned_income + p.business_income > 0
        cols["employed"].append(worked if p.employed is None else bool(p.employed))
    values: dict[str, Any] = dict(cols)
    size = len(members)
    housing = household.housing
    for t in TENURES:
        values[f"tenure_{t}"] = housing.tenure == t
    home = places.region_inputs(None, 1)
    values.update(
        {
            "size": size,
            "deposit": housing.deposit,
            "monthly_rent": housing.monthly_rent,
            "living_alone": bool(household.living_alone) or size == 1,
            "crisis": bool(household.crisis),
            "dong_code": dict(_dong_codes()).get(str(household.dong), 0),
            **{k: v[0].item() for k, v in home.items()},
        }
    )
    couple, n_couple = _one_couples(cols["is_head"], cols["is_spouse"], cols["is_parent"])
    return One(values, [str(p.id) for p in members], couple, n_couple)


def _one_couples(head: list[bool], spouse: list[bool], parent: list[bool]) -> tuple[list[int], int]:
    """``_couples`` for one household: head and spouse one unit, two parents another."""
    pair = [h or s for h, s in zip(head, spouse, strict=True)]
    n_pair, n_par = sum(pair), sum(parent)
    keys = [
        0 if pair[i] and n_pair <= 2 else 1 if parent[i] and n_par == 2 else 2 + i
        for i in range(len(head))
    ]
    rank = {k: r for r, k in enumerate(sorted(set(keys)))}
    return [rank[k] for k in keys], len(rank)
