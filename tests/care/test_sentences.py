from __future__ import annotations

from gibon.care.cases import sentences


def test_the_case_log_reads_as_words_not_key_value_codes() -> None:
    assert sentences.detail("channel=self") == "신청 경로 본인"
    assert sentences.detail("outcome=not_eligible score=0") == "결과 비대상 · 점수 0"
    assert (
        sentences.detail("plan v1 conference 920") == "계획 1판을 통합지원회의(회의 920)에서 승인"
    )
    named = sentences.detail("provider=prov-001 ltc_home", lambda _k: "관악재가복지센터")
    assert named.startswith("제공기관 관악재가복지센터") and "ltc_home" not in named


def test_a_log_line_names_the_person_and_the_case() -> None:
    line = sentences.sentence("신림동 이도윤", 2002, "plan", "plan v1")
    assert line == "신림동 이도윤님이 사례 2002의 개인별지원계획: 계획 1판 작성"
