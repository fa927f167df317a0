"""The maintenance flow: cleans up after runs and reports the system's health, hourly.

- Runs whose flow died without a word (`running` in the database, heartbeat silent for
  `run_silent_s`) are marked crashed there and in Prefect, their leftover jobs cancelled:
  nothing stays Running for ever.
- RQ's registries are cleaned on both queues; runs that ended over `keep_ended_run_s` ago lose
  their Redis keys and jobs.
- The health report (`python -m flows.health` prints the same) becomes the `health` artifact,
  and the flow run ends Failed when the system is unhealthy, so Prefect's notifications apply.
"""

from datetime import timedelta
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.orchestration import get_client
from prefect.exceptions import ObjectNotFound
from prefect.states import Completed, Crashed, Failed, State
from redis import Redis

from tasks.queueing.queue import shared_redis
from tasks.settings import Settings
from tasks.store.persist import open_database, utc_now
from tasks.upkeep.cleanup import clean_queues, crash_silent_runs, forget_ended_runs
from tasks.upkeep.health import HealthReport, check_health

stage = task(cache_policy=NO_CACHE, persist_result=False)


@flow(name="maintenance", persist_result=False)
def maintenance(output_dir: str | None = None) -> State:
    """Clean up after runs and check the system's health; Failed when it is unhealthy.

    `output_dir`: where the SQLite database is when DATABASE_URL is unset (default
    $OPENINGS_OUTPUT_DIR).
    """
    settings = Settings()
    database_url = settings.database_url_for(Path(output_dir or settings.output_dir))
    engine = open_database(database_url)
    with shared_redis(settings) as redis:
        done = crash_silent(engine, redis, settings)
        if redis is not None:
            done += clean_redis(engine, redis, settings)
        report = check(redis, settings, database_url)
    create_markdown_artifact(
        report.markdown()
        + "\n## Cleaned up\n\n"
        + "".join(f"- {line}\n" for line in done or ["nothing to clean"]),
        key="health",
        description="Queues, workers, Redis and the database, and what maintenance cleaned",
    )
    if not report.healthy:
        return Failed(message="unhealthy: " + "; ".join(report.problems))
    return Completed(message=f"healthy; {len(done)} clean-ups")


@stage
def crash_silent(engine, redis: Redis | None, settings: Settings) -> list[str]:
    """Runs whose flow fell silent: crashed in the database and, if still Running, in Prefect."""
    logger = get_run_logger()
    silent_since = utc_now() - timedelta(seconds=settings.run_silent_s)
    done = []
    with get_client(sync_client=True) as client:
        for run in crash_silent_runs(engine, redis, silent_since, settings):
            line = f"run {run.run_id}: crashed (its flow fell silent)"
            try:
                flow_run = client.read_flow_run(run.run_id)
            except ObjectNotFound:  # a run of another Prefect server (or an ephemeral one)
                flow_run = None
            if flow_run is not None and flow_run.state and not flow_run.state.is_final():
                message = "its process stopped beating (found by maintenance); Retry runs it again"
                client.set_flow_run_state(run.run_id, Crashed(message=message), force=True)
                line += f"; its Prefect flow run was {flow_run.state.name}, now Crashed"
            logger.warning("%s", line)
            done.append(line)
    return done


@stage
def clean_redis(engine, redis: Redis, settings: Settings) -> list[str]:
    """RQ's registries on both queues, and the keys and jobs of runs that ended a while ago."""
    ended_before = utc_now() - timedelta(seconds=settings.keep_ended_run_s)
    done = clean_queues(redis, settings) + forget_ended_runs(redis, engine, ended_before)
    for line in done:
        get_run_logger().info("%s", line)
    return done


@stage
def check(redis: Redis | None, settings: Settings, database_url: str) -> HealthReport:
    report = check_health(redis, settings, database_url)
    for problem in report.problems:
        get_run_logger().error("%s", problem)
    return report
