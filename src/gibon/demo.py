"""The demo district: a synthetic Gwanak population, one account per role, and each domain's demo."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from rich.progress import Progress
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from gibon import population
from gibon.accounts import service as accounts
from gibon.accounts.models import Role, User
from gibon.care import deadlines as care_deadlines
from gibon.care import demo as care_demo
from gibon.kit import files
from gibon.kit.crypto import Vault
from gibon.pharm import demo as pharm_demo
from gibon.residents import repository as residents_repo
from gibon.residents import service as residents
from gibon.simulator.models import OutreachContact
from gibon.visits import demo as visits_demo
from gibon.visits import repository as visits_repo
from gibon.visits import service as visits
from gibon.visits.schemas import DayPlanCreate, PlanCreate
from gibon.window import demo as window_demo

DEMO_PASSWORD = "gibon-demo-1"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    display_name: str
    dong: str | None = None
    organization_id: str | None = None
    phone: str | None = None  # synthetic: the 0000 exchange is never issued


DEMO_ACCOUNTS = (
    DemoAccount("admin", Role.admin, "관리자"),
    DemoAccount("district", Role.district_team, "통합돌봄과 김하늘", phone="02-0000-1100"),
    DemoAccount(
        "sillim", Role.dong_officer, "신림동 주민센터 이도윤", dong="신림동", phone="02-0000-1101"
    ),
    DemoAccount(
        "boramae",
        Role.dong_officer,
        "보라매동 주민센터 박서연",
        dong="보라매동",
        phone="02-0000-1102",
    ),
    DemoAccount(
        "doctor", Role.visiting_professional, "방문의사 최민준", organization_id="doctor-01"
    ),
    DemoAccount("pharmacist", Role.pharmacist, "방문약사 정지우", organization_id="pha-01"),
    DemoAccount("provider", Role.provider, "관악재가복지센터", organization_id="prov-001"),
    DemoAccount("analyst", Role.policy_analyst, "정책분석 한서준"),
)


def is_empty(session: Session) -> bool:
    return residents_repo.count_persons(session) == 0


def load(
    session: Session,
    vault: Vault,
    *,
    seed: int = 1,
    persons: int | None = None,
    progress: Progress | None = None,
    written: ProgressWriter | None = None,
) -> int:
    """Generate and store the synthetic district and the demo accounts; returns persons loaded."""
    if written:
        written.stage("generating")
    households, people = population.generate(seed=seed, persons=persons)
    if written:
        written.total = people.height
    clear_domains(session)  # their rows point at the residents about to be replaced
    task = (
        progress.add_task("주민 적재 (loading residents)", total=people.height)
        if progress
        else None
    )

    def advance(n: int) -> None:
        if progress is not None and task is not None:
            progress.advance(task, n)
        if written is not None:
            written.advance(n)

    loaded = residents.load_population(session, households, people, vault, progress=advance)
    ensure_accounts(session)
    load_domains(session, vault, seed=seed, small=persons is not None and persons < 50_000)
    window_demo.ensure(session, DEMO_PASSWORD, care_deadlines.today())  # after the care cases
    return loaded


def clear_domains(session: Session) -> None:
    care_demo.clear(session)
    pharm_demo.clear(session)
    visits_repo.clear(session)
    session.execute(delete(OutreachContact))
    window_demo.clear(session)


def load_domains(session: Session, vault: Vault, *, seed: int = 1, small: bool = False) -> None:
    """Each domain's demo on top of the residents and accounts (cases, pharmacist visits, a day)."""
    care_demo.load(
        session, vault, rng_seed=seed, cases=care_demo.SMALL_CASES if small else care_demo.CASES
    )
    pharm_demo.load(session, vault)
    planner = session.scalars(select(User).where(User.username == "district")).one()
    day = PlanCreate(
        requests=visits_demo.day(seed, 40 if small else 220),
        title="의료드림 예시 하루 (합성 주민)",
        time_limit=2 if small else 8,
        seed=seed,
    )
    visits.create_plan(session, planner, day)
    session.add_all(visits_demo.roster(seed))  # the roster, then today planned from the system
    session.flush()
    today = DayPlanCreate(date=care_deadlines.today(), time_limit=2 if small else 8, seed=seed)
    visits.plan_from_system(session, planner, today)


def ensure_accounts(session: Session) -> list[User]:
    existing = set(session.scalars(select(User.username)))
    for account in DEMO_ACCOUNTS:
        if account.username not in existing:
            accounts.create_user(
                session,
                username=account.username,
                password=DEMO_PASSWORD,
                role=account.role,
                display_name=account.display_name,
                dong=account.dong,
                organization_id=account.organization_id,
            ).phone = account.phone
    return list(session.scalars(select(User).order_by(User.id)))


# -- progress of a load, for the home page while `gibon serve --load-demo` loads in the background

STAGES_KO = {
    "generating": "합성 주민 만드는 중",
    "residents": "주민 적재 중",
    "domains": "돌봄·방문·약료 예시 만드는 중",
    "done": "적재 완료",
    "failed": "적재 실패",
}


@dataclass(frozen=True)
class LoadProgress:
    """What a running (or finished) demo load has done; kept in a small JSON file."""

    stage: str  # generating, residents, domains, done, failed
    done: int = 0
    total: int = 0
    message: str = ""

    @property
    def running(self) -> bool:
        return self.stage not in ("done", "failed")

    @property
    def label(self) -> str:
        return STAGES_KO.get(self.stage, self.stage)

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0


def progress_file(data_dir: Path) -> Path:
    return data_dir / "demo-progress.json"


def write_progress(path: Path, progress: LoadProgress) -> None:
    files.write_text_atomic(path, json.dumps(asdict(progress), ensure_ascii=False))


def read_progress(path: Path) -> LoadProgress | None:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return LoadProgress(**raw)
    except (OSError, ValueError, TypeError):
        return None


class ProgressWriter:
    """Writes the residents' count to the progress file at most twice a second."""

    def __init__(self, path: Path, total: int) -> None:
        self.path, self.total, self.done, self._last = path, total, 0, 0.0

    def stage(self, stage: str, message: str = "") -> None:
        write_progress(self.path, LoadProgress(stage, self.done, self.total, message))

    def advance(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        if now - self._last >= 0.5 or self.done >= self.total:
            self._last = now
            self.stage("residents" if self.done < self.total else "domains")
