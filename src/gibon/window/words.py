"""The resident's window in Korean or English: one label source for the window's own words
(headings, menus, buttons, explanations). Program names, reasons and statute text stay Korean:
they are the law's own words. The choice and large type are cookies (``POST /my/display``)."""

from __future__ import annotations

from collections.abc import Mapping

LANG_COOKIE, LARGE_COOKIE = "gibon_lang", "gibon_large"
LANGS = {"ko": "한국어", "en": "English"}

WORDS: dict[str, tuple[str, str]] = {
    "nav": ("내 복지 메뉴", "My welfare menu"),
    "nav_my": ("내 복지", "My welfare"),
    "nav_whatif": ("생활이 바뀌면", "If life changes"),
    "nav_consents": ("내 동의", "My consents"),
    "nav_records": ("열람 기록", "Who looked"),
    "nav_documents": ("내 문서", "My documents"),
    "large_on": ("큰 글씨로 보기", "Larger text"),
    "large_off": ("보통 글씨로 보기", "Normal text"),
    "my_title": ("님의 복지", "'s welfare"),
    "household": ("우리 가구", "My household"),
    "household_intro": (
        "구청이 가진 기록으로는 이렇게 되어 있어요. 틀린 곳이 있으면 아래에서 고쳐 달라고 할 수 있어요.",
        "This is what the district's records say. If something is wrong, ask for a correction below.",
    ),
    "correct": ("틀린 곳 고쳐 달라고 하기", "Ask for a correction"),
    "benefits": ("받을 수 있는 복지", "Welfare you can get"),
    "legal": ("법적 근거 보기", "See the legal source"),
    "receiving": ("지금 받고 있어요", "You receive this now"),
    "not_receiving": (
        "받을 수 있는데 아직 받고 있지 않아요. 동 주민센터에서 신청할 수 있어요.",
        "You could get this but do not receive it yet. You can apply at your dong office.",
    ),
    "apply_program": ("이 급여 신청하기", "Apply for this"),
    "apply_asked": (
        "신청을 요청했어요. 동 주민센터에서 연락드려요",
        "You asked to apply. Your dong office will contact you",
    ),
    "received_total": ("지금 받는 것", "What you receive now"),
    "could_total": ("받을 수 있는 것", "What you could receive"),
    "receiving_note": (
        "받고 있는지는 합성(가상) 주민의 자료로 정해요. 실제 지급 기록이 아니에요.",
        "Whether you receive it comes from synthetic (made-up) residents' data, not real payments.",
    ),
    "apply": ("돌봄 신청 (통합돌봄)", "Apply for integrated care"),
    "consents_title": ("내 동의", "My consents"),
    "consents_intro": (
        "돌봄을 신청하며 한 동의예요. 언제든 철회할 수 있어요. 철회하면 바로 적용되고, 담당 공무원에게 알려요.",
        "Consents you gave when applying for care. You can withdraw any of them at any time. "
        "It takes effect at once, and your officer is told.",
    ),
    "withdraw": ("이 동의 철회하기", "Withdraw this consent"),
    "records_title": ("누가 내 정보를 보았나요", "Who looked at my records"),
    "records_intro": (
        "구청과 주민센터, 돌봄 기관이 내 정보를 본 때와 이유예요. 막힌 시도와 내려받은 것도 보여드려요.",
        "When the district, your dong office and care providers looked at your data, and why. "
        "Refused attempts and downloads are listed too.",
    ),
    "explain": ("이 기록 설명 요청하기", "Ask for an explanation"),
    "whatif_title": ("생활이 바뀌면 받을 수 있는 복지", "Welfare if your life changes"),
    "whatif_intro": (
        "일을 시작하거나, 이사하거나, 아기가 태어나면 받을 수 있는 복지가 달라져요. 적은 내용은 저장하지 않아요.",
        "A job, a move or a baby changes what you can get. Try it here. Nothing you type is kept.",
    ),
    "whatif_go": ("계산해 보기", "Calculate"),
    "back": ("내 복지로 돌아가기", "Back to my welfare"),
}


def words(lang: str | None) -> Mapping[str, str]:
    index = 1 if lang == "en" else 0
    return {key: pair[index] for key, pair in WORDS.items()}


def lang_of(cookies: Mapping[str, str]) -> str:
    lang = cookies.get(LANG_COOKIE, "ko")
    return lang if lang in LANGS else "ko"
