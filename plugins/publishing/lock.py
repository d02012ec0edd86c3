"""One build at a time per output folder and per cache.

Two builds writing the same output or the same Pelican cache at once would
break each other. Each build holds an OS file lock (released by the system
even when the process is killed) beside the output folder and in the cache
folder. A second build waits, printing which process holds the lock (the
holder writes its pid, host, start time and command into ``<lock>.info``),
and gives up with :class:`BuildLocked` after ``wait`` seconds.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import socket
import sys
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from filelock import FileLock, Timeout

# Seconds a build waits for another one by default.
WAIT = 600.0
# Exit code of `invoke build` / `invoke publish` when the wait ran out (EX_TEMPFAIL: try again later).
EXIT_CODE = 75


class BuildLocked(Exception):
    """Another build held a lock for longer than the wait; the message is for the editor."""


@dataclass(frozen=True)
class Lock:
    path: Path
    what: str  # what it guards, as the editor reads it: "thư mục website …"


def output_lock(output: Path) -> Lock:
    output = Path(output)
    return Lock(output.parent / f".{output.name}.lock", f"thư mục website {output}")


def cache_lock(cache: Path) -> Lock:
    return Lock(Path(cache) / ".lock", f"bộ nhớ đệm {cache}")


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextmanager
def hold(locks: list[Lock], wait: float = WAIT, say: Callable[[str], None] = _say) -> Iterator[None]:
    """Hold every lock, in order, waiting at most ``wait`` seconds in all.

    A lock this thread holds already is taken again at no cost, so a task may
    hold the output lock around a build that takes it too.
    """
    deadline = time.monotonic() + wait
    with ExitStack() as stack:
        for lock in locks:
            stack.enter_context(_hold(lock, wait, deadline, say))
        yield


@contextmanager
def _hold(lock: Lock, wait: float, deadline: float, say: Callable[[str], None]) -> Iterator[None]:
    lock.path.parent.mkdir(parents=True, exist_ok=True)
    file_lock = FileLock(lock.path, is_singleton=True)
    first = not file_lock.is_locked
    try:
        file_lock.acquire(blocking=False)
    except Timeout:
        say(f"Đang chờ: một bản dựng khác đang dùng {lock.what} ({holder(lock)}). "
            f"Bản dựng này sẽ chờ tối đa {wait:g} giây.")
        try:
            file_lock.acquire(timeout=max(0.0, deadline - time.monotonic()))
        except Timeout:
            raise BuildLocked(f"Đã chờ {wait:g} giây mà bản dựng khác vẫn đang dùng {lock.what} ({holder(lock)}). "
                              "Bản dựng này dừng lại, không thay đổi gì. Hãy đợi bản dựng kia xong rồi chạy lại, "
                              "hoặc cho chờ lâu hơn: --wait GIÂY.") from None
        say("Bản dựng kia đã xong; bắt đầu dựng.")
    try:
        if first:
            _write_info(lock)
        yield
    finally:
        file_lock.release()


def info_path(lock: Lock) -> Path:
    return lock.path.with_name(lock.path.name + ".info")


def _write_info(lock: Lock) -> None:
    info = {"pid": os.getpid(), "host": socket.gethostname(),
            "started": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "command": shlex.join([sys.executable, *sys.argv])}
    # Only the holder writes, so one temporary name is enough; the rename keeps waiters from reading half.
    temp = info_path(lock).with_suffix(".tmp")
    temp.write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
    os.replace(temp, info_path(lock))


def holder(lock: Lock) -> str:
    """Who holds ``lock``, from its info file: 'tiến trình 123 trên máy x, bắt đầu lúc …, lệnh: …'."""
    try:
        info = json.loads(info_path(lock).read_text(encoding="utf-8"))
        started = dt.datetime.fromisoformat(info["started"])
        return (f"tiến trình {info['pid']} trên máy {info['host']}, bắt đầu lúc {started:%H:%M:%S %d/%m/%Y}, "
                f"lệnh: {info['command']}")
    except (OSError, ValueError, KeyError, TypeError):
        return "một bản dựng khác (không đọc được thông tin về nó)"
