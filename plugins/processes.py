"""How worker processes start: the ground floor, for every process pool of the build
(photos and cards, pre-compression).

``fork`` where the system has it: a worker starts at once with what the parent has
loaded. Windows has no ``fork``; there workers are spawned, each a fresh Python that
imports the job's module, so a job and its function must be importable and picklable
(module-level functions, dataclasses of plain values), which every pool's jobs are."""

from __future__ import annotations

import multiprocessing
from multiprocessing.context import BaseContext


def process_context() -> BaseContext:
    """The start method for worker pools: fork if the system has it, else spawn."""
    return multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
