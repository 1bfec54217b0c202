"""Running an import off the request: a thread with its own session.

Tastemaker has no durable job queue yet; until it does, a large import runs in a daemon
thread started after the request that queued it commits. If the process stops mid-run, the
job stays "running" without a heartbeat, and service.is_stale() lets it be run again
(the batches already committed are updated, not duplicated).
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy.orm import Session, sessionmaker

from tastemaker.imports.service import run_job

log = logging.getLogger(__name__)

_threads: dict[int, threading.Thread] = {}
_lock = threading.Lock()


def start_in_background(
    session_factory: sessionmaker[Session], workspace_id: int, job_id: int
) -> threading.Thread:
    def work() -> None:
        session = session_factory()
        try:
            run_job(session, workspace_id, job_id)
        except Exception:  # run_job records failures on the job; this is the last resort
            log.exception("background import %s could not run", job_id)
        finally:
            session.close()
            with _lock:
                _threads.pop(job_id, None)

    thread = threading.Thread(target=work, name=f"import-{job_id}", daemon=True)
    with _lock:
        _threads[job_id] = thread
    thread.start()
    return thread


def wait_for(job_id: int, timeout: float | None = None) -> None:
    """Blocks until the job's thread in this process ends (tests, and graceful shutdown)."""
    with _lock:
        thread = _threads.get(job_id)
    if thread is not None:
        thread.join(timeout)
