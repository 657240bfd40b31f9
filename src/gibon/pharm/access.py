"""Who may use 방문약료, in one place for the API and the pages.

The role gate is ``Pharmacist`` (a dependency); the per-visit gate is ``service.get_visit``, which
every read or change of a visit, its findings, follow-ups and dispensing draft goes through.
"""

from __future__ import annotations

from fastapi import Depends

from gibon.pharm.service import PHARM_ROLES
from gibon.web.deps import require_roles

Pharmacist = Depends(require_roles(*PHARM_ROLES))
