"""What an operator does to a run, in the default lane: retry (resume) it, retry only what failed,
cancel it, read its outcome from its state. Real Redis, real RQ workers, Prefect's test harness;
the slow lane (tests/test_operator.py) does the same through a real server, worker and CLI."""

import time
import uuid

import polars as pl
import pytest
from prefect.client.orchestration import get_client
from prefect.events.filters import EventAnyResourceFilter, EventFilter, EventNameFilter
from prefect.states import Cancelling
from redis import Redis
from rq.job import Job, JobStatus
from sqlmodel import Session, select

from deployments.sample.site import SampleSite
from flows.scrape import main
from flows.scrape_companies import _interrupt_behind, scrape_companies
from tasks.queueing.queue import run_jobs_key
from tasks.store.persist import RunRow, company_results, find_run, open_database
from tests.conftest import (
    flow_run_in_thread,
    free_port,
    wait_for,
    write_companies,
)
from tests.conftest import (
    greenhouse_board as _board,
)

pytestmark = pytest.mark.usefixtures("prefect_harness")


def _state(flow_run_id):
    with get_client(sync_client=True) as client:
        return client.read_flow_run(flow_run_id).state


def test_a_retried_run_keeps_what_it_saved_and_tries_failures_again(pipeline_env, site, tmp_path):
    late_port = free_port()  # the failing company's board answers only from the retry on
    companies = [
        _board(site.base_url, "Steady"),
        _board(site.base_url, "Sure"),
        _board(f"http://127.0.0.1:{late_port}", "Late"),
    ]
    out = tmp_path / "out"
    file = str(write_companies(tmp_path / "c.yaml", companies))
    with flow_run_in_thread(companies_file=file, output_dir=str(out)) as (run_id, outcome):
        pass
    first = outcome["state"]
    engine = open_database(f"sqlite:///{out / 'openings.db'}")
    before = company_results(engine, run_id)
    hits = {name: site.hits(f"/greenhouse/v1/boards/{name}/jobs") for name in ("steady", "sure")}

    with SampleSite(port=late_port) as late_site:
        # The run again, as Prefect's Retry does it: the same flow run id, with its parameters.
        code = main(["--resume", run_id])
        late_hits = late_site.hits("/greenhouse/v1/boards/late/jobs")
    second = _state(run_id)

    assert (first.name, first.message) == ("Completed with failures", "2 succeeded, 1 failed")
    assert (code, second.name, second.message) == (0, "Completed", "3 succeeded")
    after = company_results(engine, run_id)
    # Saved companies are untouched: same row, not fetched again.
    assert {cid: after[cid] for cid in ("steady", "sure")} == {
        cid: before[cid] for cid in ("steady", "sure")
    }
    assert {n: site.hits(f"/greenhouse/v1/boards/{n}/jobs") for n in hits} == hits
    assert before["late"].status == "failed" and before["late"].attempts == 1
    assert (after["late"].status, after["late"].attempts, late_hits) == ("succeeded", 2, 1)
    runs = pl.read_parquet(out / "company_runs.parquet")
    assert runs.height == 3 and set(runs["status"]) == {"succeeded"}
    run = find_run(engine, run_id)
    assert (run.status, run.succeeded, run.failed, run.message) == (
        "completed",
        3,
        0,
        "3 succeeded",
    )


def test_retry_failed_scrapes_only_what_did_not_succeed_as_a_new_run(pipeline_env, site, tmp_path):
    companies = [
        _board(site.base_url, "Kept"),
        _board(f"http://127.0.0.1:{free_port()}", "Down"),
    ]
    companies_file = write_companies(tmp_path / "c.yaml", companies)
    out = str(tmp_path / "out")
    [kept, down] = scrape_companies(str(companies_file), out, max_failed_share=1.0)
    kept_hits = site.hits("/greenhouse/v1/boards/kept/jobs")

    state = scrape_companies(retry_failed=kept.run_id, output_dir=out, return_state=True)

    [retried] = state.result(raise_on_failure=False).results  # RunFailed: all of them failed
    assert retried.company == "Down" and retried.run_id != kept.run_id
    assert retried.status == "failed" and state.type.value == "FAILED"  # still down: all failed
    assert site.hits("/greenhouse/v1/boards/kept/jobs") == kept_hits
    assert down.status == "failed"
    # Covering only the failed part of its file, the retry leaves Kept tracked, its postings in.
    latest = pl.read_parquet(tmp_path / "out" / "postings_latest.parquet")
    assert set(latest["company"]) == {"Kept"} and latest.height == kept.found


def test_the_run_state_says_how_the_run_went(pipeline_env, site, tmp_path):
    down = f"http://127.0.0.1:{free_port()}"
    files = {
        "all": [_board(site.base_url, "A1"), _board(site.base_url, "A2")],
        "some": [
            _board(site.base_url, "S1"),
            _board(site.base_url, "S2"),
            _board(down, "S3"),
        ],
        "most": [
            _board(site.base_url, "M1"),
            _board(down, "M2"),
            _board(down, "M3"),
        ],
    }
    states = {
        kind: scrape_companies(
            str(write_companies(tmp_path / f"{kind}.yaml", companies)),
            str(tmp_path / kind),
            return_state=True,
        )
        for kind, companies in files.items()
    }

    assert (states["all"].type.value, states["all"].name) == ("COMPLETED", "Completed")
    assert states["all"].message == "2 succeeded"
    assert (states["some"].type.value, states["some"].name) == (
        "COMPLETED",
        "Completed with failures",
    )
    assert states["some"].message == "2 succeeded, 1 failed"
    assert states["most"].type.value == "FAILED"
    assert states["most"].message == "1 succeeded, 2 failed (failures: 2 network)"


def test_an_unreachable_redis_fails_the_run_with_one_clear_line(
    pipeline_env, monkeypatch, site, tmp_path, capsys
):
    url = f"redis://127.0.0.1:{free_port()}/0"
    monkeypatch.setenv("REDIS_URL", url)
    companies_file = write_companies(tmp_path / "c.yaml", [_board(site.base_url, "Any")])
    started = time.monotonic()

    code = main([str(companies_file), "--output", str(tmp_path)])

    assert code == 1 and time.monotonic() - started < 60
    err = capsys.readouterr().err
    assert f"Redis at {url} is not reachable" in err and "Traceback" not in err
    engine = open_database(f"sqlite:///{tmp_path / 'openings.db'}")
    [run_id] = [row.run_id for row in _runs(engine)]
    run = find_run(engine, run_id)
    assert run.status == "failed" and url in run.message and run.finished_at is not None


def _runs(engine):
    with Session(engine) as session:
        return session.exec(select(RunRow)).all()


def test_check_validates_a_file_without_running_anything(tmp_path, capsys):
    good = write_companies(tmp_path / "good.yaml", [_board("http://x.example", "Fine")])
    bad = tmp_path / "bad.yaml"
    bad.write_text("companies:\n  - name: No Url\n")

    assert main(["--check", str(good)]) == 0
    assert "1 companies, no problems" in capsys.readouterr().out
    assert main(["--check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("careers_url: required field is missing") == 1  # said once
    assert "Traceback" not in err


def test_cancel_stops_every_job_within_seconds_and_a_retry_finishes_the_run(
    pipeline_env, redis, site, tmp_path
):
    # Eight companies whose boards take a minute to answer: some jobs in flight, some queued.
    slow_site = SampleSite(latency_s=60).start()
    companies = [_board(slow_site.base_url, f"Slow{i}") for i in range(8)]
    companies.append(_board(site.base_url, "Quick"))
    out = tmp_path / "out"
    file = str(write_companies(tmp_path / "c.yaml", companies))
    with flow_run_in_thread(companies_file=file, output_dir=str(out)) as (run_id, outcome):
        wait_for(lambda: slow_site.request_count >= 2, 90, "fetch jobs in flight")
        requested = time.monotonic()
        with get_client(sync_client=True) as client:
            client.set_flow_run_state(run_id, Cancelling(), force=True)
        wait_for(lambda: not _live_jobs(redis, run_id), 30, "every job stopped")
        latency = time.monotonic() - requested
    engine = open_database(f"sqlite:///{out / 'openings.db'}")
    cancelled = company_results(engine, run_id)
    hits_at_cancel = {
        f"slow{i}": slow_site.hits(f"/greenhouse/v1/boards/slow{i}/jobs") for i in range(8)
    }

    state = outcome["state"]
    assert latency <= 5, f"jobs still live {latency:.1f} s after the cancel request"
    print(f"cancel reached every job in {latency:.2f} s")
    assert state.type.value == "CANCELLED"
    statuses = dict(
        pl.read_parquet(out / "company_runs.parquet").select("company", "status").rows()
    )
    assert {statuses[f"Slow{i}"] for i in range(8)} == {"cancelled"}
    assert statuses["Quick"] in {"succeeded", "cancelled"}
    run = find_run(engine, run_id)
    assert run.status == "cancelled" and run.finished_at is not None
    assert run.cancelled + run.succeeded == 9

    # Retried once the boards answer: the cancelled companies get a new attempt, what was saved
    # stays as it was, and every board is asked once more, not twice.
    slow_site.latency_s = 0
    try:
        assert main(["--resume", run_id]) == 0
    finally:
        slow_site.stop()
    after = company_results(engine, run_id)
    assert {r.status for r in after.values()} == {"succeeded"}
    assert {after[f"slow{i}"].attempts for i in range(8)} == {2}
    if cancelled["quick"].status == "succeeded":
        assert after["quick"] == cancelled["quick"]
    assert {
        board: slow_site.hits(f"/greenhouse/v1/boards/{board}/jobs") - hits
        for board, hits in hits_at_cancel.items()
    } == dict.fromkeys(hits_at_cancel, 1)
    assert find_run(engine, run_id).status == "completed"


LIVE = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED}


def _live_jobs(redis: Redis, run_id: str) -> list[str]:
    ids = [jid.decode() for jid in redis.smembers(run_jobs_key(run_id))]
    jobs = Job.fetch_many(ids, connection=redis)
    return [job.id for job in jobs if job is not None and job.get_status() in LIVE]


def test_resume_of_a_run_prefect_does_not_know_says_so(capsys):
    run_id = str(uuid.uuid4())
    assert main(["--resume", run_id]) == 2
    assert f"no flow run {run_id} on the Prefect server" in capsys.readouterr().err


def test_serve_refuses_a_companies_file_it_cannot_read(tmp_path, capsys):
    from deployments.serve import main as serve

    assert serve([str(tmp_path / "missing.yaml")]) == 2
    assert "no such companies file" in capsys.readouterr().err


def test_a_run_with_a_prefect_api_and_no_redis_url_says_it_runs_alone(
    pipeline_env, monkeypatch, site, tmp_path, caplog
):
    monkeypatch.delenv("REDIS_URL")  # the harness gives the run a PREFECT_API_URL
    companies_file = write_companies(tmp_path / "c.yaml", [_board(site.base_url, "Alone")])

    [result] = scrape_companies(str(companies_file), str(tmp_path))

    assert result.status == "succeeded"
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any(
        w.startswith("REDIS_URL is not set: this run uses an embedded Redis") for w in warnings
    )


def test_each_company_and_the_run_send_a_prefect_event(pipeline_env, site, tmp_path):
    down = f"http://127.0.0.1:{free_port()}"
    companies = [_board(site.base_url, "Evented"), _board(down, "Silent")]
    state = scrape_companies(
        str(write_companies(tmp_path / "c.yaml", companies)), str(tmp_path), return_state=True
    )
    run_id = str(state.state_details.flow_run_id)

    def openings_events():
        with get_client(sync_client=True) as client:
            page = client.read_events(
                EventFilter(
                    event=EventNameFilter(prefix=["openings."]),
                    any_resource=EventAnyResourceFilter(id=[f"prefect.flow-run.{run_id}"]),
                ),
                limit=50,  # the client's default (100) is over what the server takes
            )
        return {event.event: event for event in page.events}

    wait_for(lambda: len(openings_events()) == 4, 60, "the run's events in Prefect")
    events = openings_events()

    assert set(events) == {
        "openings.run.started",
        "openings.company.succeeded",
        "openings.company.failed",
        "openings.run.completed",
    }
    failed = events["openings.company.failed"]
    assert failed.resource.id == "openings.company.silent"
    assert failed.payload["error_category"] == "network" and failed.payload["run_id"] == run_id
    assert events["openings.company.succeeded"].payload["found"] > 0
    assert events["openings.run.started"].payload == {"companies": 2, "kept": 0}
    run = events["openings.run.completed"]
    assert run.resource.id == f"openings.run.{run_id}"
    assert run.payload["state_name"] == "Completed with failures"
    assert (run.payload["succeeded"], run.payload["failed"], run.payload["companies"]) == (1, 1, 2)
    related = {resource.role for resource in run.related}
    assert {"flow-run", "flow"} <= related


def test_an_interrupt_prefect_reraised_as_another_error_still_stops_the_run():
    # Ctrl-C landing while Prefect creates a task run comes out of Prefect as
    # ValueError("Task run is not set"), with the interrupt as its context (seen in CI).
    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise ValueError("Task run is not set")  # noqa: B904 (as Prefect raises it)
    except ValueError as exc:
        assert isinstance(_interrupt_behind(exc), KeyboardInterrupt)
    assert _interrupt_behind(ValueError("a plain bug")) is None
