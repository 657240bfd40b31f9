"""Input files read one way (size limit, UTF-8 or CP949/EUC-KR), and files written atomically.

Atomic writes: a reader sees the old file or the new one, never half of either.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gibon.errors import InvalidInput, TooLarge

MB = 2**20
MAX_INPUT_BYTES = 64 * MB
# Korean files from Windows tools (Excel, HWP exports) are CP949, a superset of EUC-KR.
DETECTED = ("utf-8-sig", "cp949")
ENCODING_HELP = "입력 파일 인코딩: utf-8, cp949, euc-kr (없으면 자동 감지)"


def read_input_text(
    path: Path, *, encoding: str | None = None, max_bytes: int = MAX_INPUT_BYTES, example: str
) -> str:
    """The text of an input file: UTF-8 or CP949/EUC-KR, detected unless ``encoding`` is given.

    A file over ``max_bytes`` is refused before it is read, so a huge file cannot stall a parser.
    """
    data = _read_bytes(path, max_bytes, example)
    if encoding is not None:
        return _decode(data, _codec(encoding), path, example)
    for codec in DETECTED:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return _decode(data, "utf-8", path, example)  # raises, naming the first bad byte


def read_input_json(
    path: Path, *, encoding: str | None = None, max_bytes: int = MAX_INPUT_BYTES, example: str
) -> Any:
    text = read_input_text(path, encoding=encoding, max_bytes=max_bytes, example=example)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"JSON 형식이 아닙니다 ({exc.lineno}행 {exc.colno}열: {exc.msg})",
            where=f"{path}:{exc.lineno}",
            example=example,
        ) from None


def _read_bytes(path: Path, max_bytes: int, example: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise TooLarge(
                f"파일이 너무 큽니다: {size / MB:.1f} MB (최대 {max_bytes / MB:g} MB)",
                where=str(path),
                example=example,
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput("파일이 없습니다", where=str(path), example=example) from None
    except OSError as exc:
        raise InvalidInput(
            f"파일을 읽을 수 없습니다 ({exc.strerror})", where=str(path), example=example
        ) from None


def _codec(encoding: str) -> str:
    import codecs

    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InvalidInput(
            f"알 수 없는 인코딩입니다: {encoding}", where="--encoding", example="--encoding cp949"
        ) from None


def _decode(data: bytes, codec: str, path: Path, example: str) -> str:
    try:
        return data.decode("utf-8-sig" if codec == "utf-8" else codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidInput(
            f"{codec}(으)로 읽을 수 없는 바이트가 있습니다 (UTF-8도 CP949도 아닌 파일). "
            "인코딩을 --encoding 으로 지정하세요",
            where=f"{path}:{line}",
            example="--encoding euc-kr",
        ) from None


def ensure_writable_dir(path: Path) -> Path:
    """Create ``path`` if needed and check it is a writable directory."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(
            f"cannot create directory ({exc.strerror})",
            where=str(path),
            example="--out var/population",
        ) from exc
    if not path.is_dir() or not os.access(path, os.W_OK):
        raise InvalidInput(
            "directory is not writable", where=str(path), example="--out var/population"
        )
    return path


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it over ``target`` only on success."""
    ensure_writable_dir(target.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual file mode
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_text_atomic(target: Path, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_atomic(target: Path, writer: Callable[[Path], None]) -> None:
    with atomic_path(target) as tmp:
        writer(tmp)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
