"""Prefect events for what a run's companies and the run itself came to, so that automations
(and anything reading Prefect's event feed) can react: `openings.company.<status>` for each
company as it settles and `openings.run.completed` when a run ends, whatever its state.

They are emitted by the flow, which has the Prefect API, never by RQ workers. Prefect relates
each event to the flow run, its flow and deployment, and the work pool from the run context.
"""

from collections import Counter

from prefect.events import emit_event
from prefect.states import State

from tasks.models import CompanyStatus
from tasks.store.persist import CompanyResult

# What a company came to: the columns of the run's table artifact, and its event's payload.
COMPANY_FIELDS = {
    "company",
    "source",
    "status",
    "attempts",
    "found",
    "new",
    "updated",
    "closed",
    "enrich_cached",
    "enrich_fallbacks",
    "rejected",
    "error_category",
    "http_status",
    "error",
    "duration_s",
}
TOTALS = ("found", "new", "updated", "closed", "rejected")


def company_settled(result: CompanyResult) -> None:
    emit_event(
        event=f"openings.company.{result.status.value}",
        resource={
            "prefect.resource.id": f"openings.company.{result.company_id}",
            "prefect.resource.name": result.company,
        },
        payload=result.model_dump(mode="json", include=COMPANY_FIELDS | {"run_id"}),
    )


def run_completed(run_id: str, results: list[CompanyResult], state: State) -> None:
    counts = Counter(result.status for result in results)
    emit_event(
        event="openings.run.completed",
        resource={"prefect.resource.id": f"openings.run.{run_id}"},
        payload={
            "state": state.type.value,
            "state_name": state.name,
            "message": state.message,
            "companies": len(results),
            **{status.value: counts[status] for status in CompanyStatus},
            **{name: sum(getattr(result, name) for result in results) for name in TOTALS},
        },
    )
