"""Korean labels of the visits domain, for pages, exports and the CLI."""

from __future__ import annotations

from gibon.care import labels as care_labels
from gibon.visits.engine.problem import PROFESSION_KO

PROFESSION = PROFESSION_KO
SERVICE = care_labels.SERVICE
SOURCE = {
    "followup": "통합돌봄 모니터링",
    "referral": "의료드림 의뢰",
    "pharm": "방문약료",
    "request": "직접 요청",
}
EVENT = {"arrived": "도착", "completed": "완료", "missed": "미방문", "note": "메모"}
MISS_REASONS = (
    "부재 (연락 안 됨)",
    "방문 거절",
    "입원 중",
    "주소 찾지 못함",
    "시간 부족",
    "기타",
)
PRIORITY = {1: "긴급", 2: "보통", 3: "여유"}
MODE = {"walk": "도보", "transit": "대중교통", "car": "차량"}
