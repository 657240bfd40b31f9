"""FastAPI dependencies that ask the policy: ``user: CaseWorker`` instead of role ``if``s."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import cache
from typing import Annotated

from fastapi import Depends

from gibon.access.policy import Action, check
from gibon.accounts.models import User
from gibon.web.deps import CurrentUser

# dependency -> (action, resource): lets a test read which policy entry guards each route
REQUIREMENTS: dict[Callable[..., Awaitable[User]], tuple[Action, str]] = {}


@cache
def require(action: Action, resource: str) -> Callable[..., Awaitable[User]]:
    """A dependency admitting the roles the policy allows ``action`` on ``resource`` (any scope).

    Records in a narrower scope are checked again where they are loaded (``policy.check``).
    Asynchronous although it does no I/O: a plain ``def`` dependency is run in the thread pool,
    and that hop costs more CPU than the check (a lookup in the policy table).
    """

    async def allowed(user: CurrentUser) -> User:
        check(user, action, resource)
        return user

    allowed.__name__ = f"require_{action}_{resource}"
    REQUIREMENTS[allowed] = (action, resource)
    return allowed


def _user(action: Action, resource: str) -> object:
    return Depends(require(action, resource))


CaseWorker = Annotated[User, _user(Action.change, "care_case")]
CaseReader = Annotated[User, _user(Action.view, "care_case")]
CaseLister = Annotated[User, _user(Action.list, "care_case")]
CaseOpener = Annotated[User, _user(Action.create, "care_case")]
PersonSearcher = Annotated[User, _user(Action.search, "person")]
CareStatistics = Annotated[User, _user(Action.view, "care_statistics")]
ConferenceHolder = Annotated[User, _user(Action.create, "care_conference")]
ConferenceReader = Annotated[User, _user(Action.view, "care_conference")]
ConferenceEditor = Annotated[User, _user(Action.change, "care_conference")]
ProviderReader = Annotated[User, _user(Action.list, "care_provider")]
ProviderAdder = Annotated[User, _user(Action.create, "care_provider")]
ReferralOfferer = Annotated[User, _user(Action.create, "care_referral")]
ReferralInbox = Annotated[User, _user(Action.list, "care_referral")]
ReferralReader = Annotated[User, _user(Action.view, "care_referral")]
ReferralEditor = Annotated[User, _user(Action.change, "care_referral")]
FollowUpScheduler = Annotated[User, _user(Action.create, "care_followup")]
FollowUpLister = Annotated[User, _user(Action.list, "care_followup")]
FollowUpWorker = Annotated[User, _user(Action.change, "care_followup")]
Auditor = Annotated[User, _user(Action.view, "audit_log")]
BatchCalculator = Annotated[User, _user(Action.compute, "benefits_batch")]
SimulationReader = Annotated[User, _user(Action.view, "simulation")]
SimulationRunner = Annotated[User, _user(Action.create, "simulation")]
OutreachReader = Annotated[User, _user(Action.list, "outreach")]
OutreachWorker = Annotated[User, _user(Action.change, "outreach")]
PharmReviewer = Annotated[User, _user(Action.compute, "pharm_review")]
PharmLister = Annotated[User, _user(Action.list, "pharm_visit")]
PharmReader = Annotated[User, _user(Action.view, "pharm_visit")]
PharmPlanner = Annotated[User, _user(Action.create, "pharm_visit")]
PharmEditor = Annotated[User, _user(Action.change, "pharm_visit")]
RouteCalculator = Annotated[User, _user(Action.compute, "visit_route")]
PlanLister = Annotated[User, _user(Action.list, "visit_plan")]
PlanReader = Annotated[User, _user(Action.view, "visit_plan")]
PlanCreator = Annotated[User, _user(Action.create, "visit_plan")]
PlanEditor = Annotated[User, _user(Action.change, "visit_plan")]
CalendarExporter = Annotated[User, _user(Action.export, "visit_calendar")]
PolicyReader = Annotated[User, _user(Action.view, "access_policy")]
CaseExporter = Annotated[User, _user(Action.export, "care_case")]
FollowUpExporter = Annotated[User, _user(Action.export, "care_followup")]
ReferralExporter = Annotated[User, _user(Action.export, "care_referral")]
OutreachExporter = Annotated[User, _user(Action.export, "outreach")]
PlanExporter = Annotated[User, _user(Action.export, "visit_plan")]
PharmExporter = Annotated[User, _user(Action.export, "pharm_visit")]
PharmResidentSearcher = Annotated[User, _user(Action.search, "pharm_resident")]
FieldDayReader = Annotated[User, _user(Action.view, "visit_day")]
FieldDayWorker = Annotated[User, _user(Action.change, "visit_day")]
AccountAdmin = Annotated[User, _user(Action.change, "account")]
CrisisReporter = Annotated[User, _user(Action.create, "crisis_signal")]
CrisisLister = Annotated[User, _user(Action.list, "crisis_item")]
CrisisReader = Annotated[User, _user(Action.view, "crisis_item")]
CrisisWorker = Annotated[User, _user(Action.change, "crisis_item")]
CrisisWeightsReader = Annotated[User, _user(Action.view, "crisis_weights")]
CrisisWeightsEditor = Annotated[User, _user(Action.change, "crisis_weights")]
CrisisQuality = Annotated[User, _user(Action.view, "crisis_quality")]
CrisisDevices = Annotated[User, _user(Action.change, "crisis_device")]
MyConsents = Annotated[User, _user(Action.change, "my_consent")]
MyRequests = Annotated[User, _user(Action.create, "my_request")]
MyDocuments = Annotated[User, _user(Action.export, "my_documents")]
MyWhatIf = Annotated[User, _user(Action.compute, "my_whatif")]
RequestReader = Annotated[User, _user(Action.list, "resident_request")]
RequestAnswerer = Annotated[User, _user(Action.change, "resident_request")]
GuardianLister = Annotated[User, _user(Action.list, "guardianship")]
GuardianRecorder = Annotated[User, _user(Action.create, "guardianship")]
GuardianEditor = Annotated[User, _user(Action.change, "guardianship")]
