"""Who may use 방문약료, in one place for the API and the pages.

The role gate is ``Pharmacist`` (a dependency); the per-visit gate is ``service.get_visit``, which
every read or change of a visit, its findings, follow-ups and dispensing draft goes through.
"""

from __future__ import annotations

from fastapi import Depends

from gibon.access.deps import require
from gibon.access.policy import Action

# the policy's 방문약료 entry (the district, and a pharmacist for the visits assigned to them)
Pharmacist = Depends(require(Action.change, "pharm_visit"))
ResidentFinder = Depends(require(Action.search, "pharm_resident"))
