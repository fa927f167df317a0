"""Relay a run's progress into a Prefect progress artifact and the run log, rate-limited."""

import time

from prefect.artifacts import create_progress_artifact, update_progress_artifact

from tasks.queueing.events import Event
from tasks.store.persist import CompanyResult


class ProgressRelay:
    def __init__(self, total: int, interval_s: float, logger, done: int = 0):
        """`done`: companies a resumed run had already saved."""
        self.total, self.done, self.interval_s, self.logger = total, done, interval_s, logger
        self.fetched: set[str] = set()  # company ids: a retried fetch reports more than once
        self._last_update = 0.0
        self._artifact = create_progress_artifact(
            0.0, key="scrape-progress", description=self._description()
        )

    def on_event(self, event: Event) -> None:
        self.logger.debug("%s %s %s %s", event.company_id, event.stage, event.state, event.detail)
        if event.stage == "fetch" and event.state != "started":
            self.fetched.add(event.company_id)
            self._update()

    def on_company(self, result: CompanyResult) -> None:
        self.done += 1
        if result.error:
            self.logger.warning("%s: %s: %s", result.company, result.status, result.error)
        else:
            self.logger.info(
                "%s: %s, %d postings (%d new, %d updated, %d closed)",
                result.company,
                result.status,
                result.found,
                result.new,
                result.updated,
                result.closed,
            )
        self._update(force=self.done == self.total)

    def _update(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last_update >= self.interval_s:
            self._last_update = now
            update_progress_artifact(
                self._artifact, 100.0 * self.done / max(self.total, 1), self._description()
            )

    def _description(self) -> str:
        return f"{self.done}/{self.total} companies done, {len(self.fetched)} fetched"
