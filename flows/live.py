"""What a run is doing, while it runs: a progress artifact, a table with a row per company, and
the run log, each rate-limited (every artifact publish is a new version in the Prefect server)."""

import time
from collections import Counter

from prefect.artifacts import (
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)

from flows import outcomes
from tasks.queueing.events import Event
from tasks.store.persist import CompanyResult

# What a company's latest worker event says it is doing, until it is saved.
DOING = {
    ("fetch", "started"): "fetching",
    ("fetch", "finished"): "fetched",
    ("fetch", "failed"): "fetch failed",  # RQ may retry it
    ("enrich", "started"): "enriching",
    ("enrich", "finished"): "saving",
    ("enrich", "failed"): "enrich failed",
}


class LiveView:
    """The run in the Prefect UI: the `scrape-progress` artifact (every `progress_s` at most)
    and the `company-runs` table (every `table_s` at most, when something changed). The run
    publishes the table's final version when it ends."""

    def __init__(
        self,
        run_id: str,
        names: dict[str, str],
        settled: dict[str, CompanyResult],
        progress_s: float,
        table_s: float,
        logger,
    ):
        """`names`: every company of the run by id, in input order. `settled`: those that ended
        before anything was enqueued (saved by a resumed run; bad entries of the file)."""
        self.run_id, self.logger = run_id, logger
        self.progress_s, self.table_s = progress_s, table_s
        self.names = names
        self.doing = {cid: "queued" for cid in self.names if cid not in settled}
        self.detail: dict[str, str] = {}
        self.results = dict(settled)
        self.fetched: set[str] = set()  # company ids: a retried fetch reports more than once
        self._published = {"progress": 0.0, "table": time.monotonic()}
        self._table_changed = False
        self._progress = create_progress_artifact(
            self._percent(), key="scrape-progress", description=self._description()
        )

    def on_event(self, event: Event) -> None:
        self.logger.debug("%s %s %s %s", event.company_id, event.stage, event.state, event.detail)
        doing = DOING.get((event.stage, event.state))
        if doing is None or event.company_id not in self.doing:
            return  # the flow's own events, or a company already saved
        self.doing[event.company_id] = doing
        self.detail[event.company_id] = event.detail if event.state == "failed" else ""
        if event.stage == "fetch" and event.state != "started":
            self.fetched.add(event.company_id)
        self._table_changed = True
        self._publish()

    def on_waiting(self, waiting: list[str]) -> None:
        """Once a minute while companies are awaited: which, at what stage, on which worker."""
        more = f"; and {len(waiting) - 10} more" if len(waiting) > 10 else ""
        companies = "company" if len(waiting) == 1 else "companies"
        self.logger.info(
            "waiting for %d %s: %s%s", len(waiting), companies, "; ".join(waiting[:10]), more
        )

    def on_company(self, result: CompanyResult) -> None:
        self.doing.pop(result.company_id, None)
        self.results[result.company_id] = result
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
        self._table_changed = True
        self._publish(force_progress=not self.doing)

    def _publish(self, force_progress: bool = False) -> None:
        now = time.monotonic()
        if force_progress or now - self._published["progress"] >= self.progress_s:
            self._published["progress"] = now
            update_progress_artifact(self._progress, self._percent(), self._description())
        if self._table_changed and now - self._published["table"] >= self.table_s:
            self._published["table"], self._table_changed = now, False
            create_table_artifact(
                self.rows(),
                key="company-runs",
                description=f"Run {self.run_id}, in flight: one row per company",
            )

    def rows(self) -> list[dict]:
        """A row per company in input order: what it came to, or what it is doing now."""
        blank = dict.fromkeys(outcomes.COMPANY_FIELDS)
        return [
            outcomes.company_row(self.results[cid])
            if cid in self.results
            else {
                **blank,
                "company": name,
                "status": self.doing[cid],
                "error": self.detail.get(cid),
            }
            for cid, name in self.names.items()
        ]

    def _percent(self) -> float:
        return 100.0 * len(self.results) / max(len(self.names), 1)

    def _description(self) -> str:
        doing = Counter(self.doing.values())
        counts = ", ".join(f"{doing[d]} {d}" for d in sorted(doing))
        done = f"{len(self.results)}/{len(self.names)} companies done"
        return f"{done}, {len(self.fetched)} fetched" + (f" ({counts})" if counts else "")
