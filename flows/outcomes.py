"""What a run's companies and the run itself came to, announced where operators and tools look:

- Prefect events, so that automations (and anything reading Prefect's event feed) can react:
  `openings.company.<status>` for each company as it settles and `openings.run.started` /
  `openings.run.completed` when a run starts and ends, whatever its state. Prefect relates each
  to the flow run, its flow and deployment, and the work pool from the run context.
- The run's event stream in Redis (tasks.queueing.events), for `python -m flows.watch` and other
  consumers that follow a run without the Prefect API.

They are emitted by the flow, which has the Prefect API, never by RQ workers. `redis` is None
where the run's Redis is gone (an embedded one, after its flow's process died).
"""

from collections import Counter

from prefect.events import emit_event
from prefect.states import State
from redis import Redis

from tasks.models import CompanyStatus
from tasks.queueing import events
from tasks.queueing.events import COMPANY_COUNTS
from tasks.store.persist import CompanyResult

# What a company came to: the columns of the run's table artifact, and its event's payload.
COMPANY_FIELDS = tuple(
    name
    for name in CompanyResult.model_fields
    if name
    in {
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
        "fields_dropped",
        "error_category",
        "http_status",
        "error",
        "duration_s",
    }
)


def company_row(result: CompanyResult) -> dict:
    return result.model_dump(mode="json", include=set(COMPANY_FIELDS))


def run_started(redis: Redis, run_id: str, companies: int, kept: int, ttl_s: int) -> None:
    counts = {"companies": companies, "kept": kept}
    events.emit(redis, run_id, "", "run", "started", ttl_s=ttl_s, counts=counts)
    events.index_run(redis, run_id, ttl_s)
    emit_event(
        event="openings.run.started",
        resource={"prefect.resource.id": f"openings.run.{run_id}"},
        payload=counts,
    )


def company_settled(redis: Redis | None, result: CompanyResult, ttl_s: int) -> None:
    if redis is not None:
        events.emit(
            redis,
            result.run_id,
            result.company_id,
            "company",
            result.status.value,
            result.error or (f"{result.found} postings" if result.found else "0 postings listed"),
            ttl_s=ttl_s,
            counts={name: getattr(result, name) for name in COMPANY_COUNTS},
        )
    emit_event(
        event=f"openings.company.{result.status.value}",
        resource={
            "prefect.resource.id": f"openings.company.{result.company_id}",
            "prefect.resource.name": result.company,
        },
        payload=result.model_dump(mode="json", include=set(COMPANY_FIELDS) | {"run_id"}),
    )


def run_completed(
    redis: Redis | None, run_id: str, results: list[CompanyResult], state: State, ttl_s: int
) -> None:
    counts = Counter(result.status for result in results)
    totals = {
        "companies": len(results),
        **{status.value: counts[status] for status in CompanyStatus},
        **{name: sum(getattr(result, name) for result in results) for name in COMPANY_COUNTS},
    }
    ended = state.type.value.lower()  # completed, failed or cancelled
    if redis is not None:
        events.emit(
            redis, run_id, "", "run", ended, state.message or "", ttl_s=ttl_s, counts=totals
        )
    emit_event(
        event="openings.run.completed",
        # A label, so that an automation can match runs with failures (`"!0"`), e.g. the one
        # in infra/automations/alerts.yaml.
        resource={
            "prefect.resource.id": f"openings.run.{run_id}",
            "openings.failed": str(counts[CompanyStatus.failed]),
        },
        payload={
            "run_id": run_id,
            "state": state.type.value,
            "state_name": state.name,
            "message": state.message,
            **totals,
        },
    )
