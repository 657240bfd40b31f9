"""Korean particles that follow the last syllable (을/를, 이/가, 은/는)."""

from __future__ import annotations


def has_final(word: str) -> bool:
    """Whether the last syllable ends in a consonant (받침); digits read as their Korean names."""
    last = (word or " ").rstrip()[-1:] or " "
    if last.isdigit():
        return last in "0136789"  # 영, 일, 삼, 육, 칠, 팔, 구 end in a consonant
    if "가" <= last <= "힣":
        return (ord(last) - 0xAC00) % 28 != 0
    return False


def eul(word: str) -> str:
    return word + ("을" if has_final(word) else "를")


def i_ga(word: str) -> str:
    return word + ("이" if has_final(word) else "가")
