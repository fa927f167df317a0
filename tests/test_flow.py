"""The scrape_companies flow end to end: real Redis, real RQ workers, real Prefect, real crawl4ai
against the sample career site on 127.0.0.1. Checked where users look: the Parquet outputs."""

import json
import os
import subprocess
import time
from uuid import UUID

import polars as pl
import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterFlowRunId,
    ArtifactFilterKey,
    FlowRunFilter,
    FlowRunFilterId,
)
from prefect.client.schemas.sorting import ArtifactSort
from rq import Queue, Worker
from rq.job import Job
from sqlmodel import Session, select

from deployments.sample.site import SampleSite
from flows.scrape_companies import scrape_companies
from tasks.queueing import events
from tasks.queueing.workers import PROJECT_ROOT, worker_command
from tasks.store.persist import CompanyRow, RunRow, open_database
from tests.conftest import free_port, greenhouse_board, write_companies
from tests.scripted_model import ScriptedModel

pytestmark = pytest.mark.usefixtures("prefect_harness")

SOURCES = {"greenhouse", "lever", "ashby", "jsonld", "html"}


def test_every_source_format_lands_in_parquet(pipeline_env, demo_file, redis):
    live = []
    pubsub = redis.pubsub()
    pubsub.psubscribe(**{"openings:run:*": lambda message: live.append(message["data"])})
    listener = pubsub.run_in_thread(sleep_time=0.01, daemon=True)
    try:
        results = scrape_companies(str(demo_file), str(pipeline_env / "out"))
    finally:
        listener.stop()

    assert {r.status for r in results} == {"succeeded"}, [r.error for r in results]
    latest = pl.read_parquet(pipeline_env / "out" / "postings_latest.parquet")
    assert set(latest["source"]) == SOURCES
    assert latest.group_by("source").len()["len"].min() >= 2
    assert latest["posting_id"].is_unique().all()
    assert latest["title"].null_count() == 0 and latest["url"].null_count() == 0
    assert latest["first_seen_at"].dtype == pl.Datetime("us", "UTC")
    # The rules enricher ran: some postings carry salaries, seniority and skills.
    assert latest["salary_min"].drop_nulls().len() > 0
    assert latest["seniority"].drop_nulls().len() > 0
    assert latest.filter(pl.col("skills").list.len() > 0).height > 0

    runs = pl.read_parquet(pipeline_env / "out" / "company_runs.parquet")
    assert runs.height == 5 and set(runs["status"]) == {"succeeded"}
    assert runs["found"].sum() == latest.height == runs["new"].sum()
    snapshots = pl.read_parquet(
        pipeline_env / "out" / "postings" / "**" / "*.parquet", hive_partitioning=True
    )
    assert snapshots.height == latest.height and "scrape_date" in snapshots.columns

    # Progress went out live on pub/sub and stays replayable on the run's stream: the run's
    # start, each stage of each company, each company saved, and the run's end, in that order.
    run_id = results[0].run_id
    replayed = [event for _, event in events.read(redis, run_id, "0", 0)]
    replayed = [e for e in replayed if e.state != "alive"]  # heartbeats: as many as it took
    expected = {
        (r.company_id, stage, state)
        for r in results
        for stage, state in [
            ("fetch", "started"),
            ("fetch", "finished"),
            ("enrich", "started"),
            ("enrich", "finished"),
            ("company", "succeeded"),
        ]
    } | {("", "run", "started"), ("", "run", "completed")}
    assert {(e.company_id, e.stage, e.state) for e in replayed} == expected
    assert len(replayed) == len(expected)
    assert replayed[0].counts == {"companies": 5, "kept": 0}
    assert replayed[-1].run_ended and replayed[-1].counts["succeeded"] == 5
    found = {e.company_id: e.counts["found"] for e in replayed if e.stage == "company"}
    assert found == {r.company_id: r.found for r in results}
    assert events.latest_run(redis) == run_id
    # The run's timeline in the Prefect UI: its stages, not one task run per company.
    with get_client(sync_client=True) as client:
        task_runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[UUID(run_id)]))
        )
    stages = sorted((t.start_time, t.task_key.split("-")[0], t.state.type.value) for t in task_runs)
    assert [(name, state) for _, name, state in stages] == [
        ("validate", "COMPLETED"),
        ("enqueue", "COMPLETED"),
        ("await_companies", "COMPLETED"),
        ("export", "COMPLETED"),
    ]
    # Pub/sub channels span every database of the server: keep this run's events only.
    assert {
        (e.company_id, e.stage, e.state)
        for e in map(events.Event.model_validate_json, live)
        if e.run_id == run_id and e.state != "alive"
    } == expected


def test_broken_sites_fail_with_a_reason_and_the_rest_succeeds(pipeline_env, redis, site, tmp_path):
    companies = [
        {"name": "Gone Corp", "careers_url": f"{site.base_url}/jsonld/gone/missing"},
        {"name": "Offline Ltd", "careers_url": f"http://127.0.0.1:{free_port()}/careers"},
        {
            "name": "Busy Board",  # asks us to come back in an hour: not worth waiting for
            "careers_url": "https://boards.greenhouse.io/busy",
            "api_url": f"{site.base_url}/nasty/limited/busy?times=99&after=3600",
        },
        {"name": "Working Inc", "careers_url": f"{site.base_url}/jsonld/working/careers"},
    ]
    companies_file = write_companies(tmp_path / "c.yaml", companies)

    # Three of four fail: the run itself fails (tests/test_run_control.py); 1.0 keeps it
    # Completed so that this test reads its results.
    runs = scrape_companies(str(companies_file), str(pipeline_env), max_failed_share=1.0)
    results = {r.company: r for r in runs}

    assert results["Working Inc"].status == "succeeded" and results["Working Inc"].found > 0
    assert results["Gone Corp"].status == "failed"
    assert "HTTP 404" in results["Gone Corp"].error
    assert results["Offline Ltd"].status == "failed"
    assert results["Offline Ltd"].error.startswith("network:")
    assert "Retry-After 3600 s" in results["Busy Board"].error
    # The Prefect table artifact shows the same statuses and reasons.
    run_id = results["Gone Corp"].run_id
    with get_client(sync_client=True) as client:
        # The table is published while the run is in flight too: the newest version is final.
        artifact, *_ = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(any_=["company-runs"]),
                flow_run_id=ArtifactFilterFlowRunId(any_=[UUID(run_id)]),
            ),
            sort=ArtifactSort.CREATED_DESC,
        )
        [summary] = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(any_=["run-summary"]),
                flow_run_id=ArtifactFilterFlowRunId(any_=[UUID(run_id)]),
            )
        )
    table = {row["company"]: row for row in json.loads(artifact.data)}
    assert table["Gone Corp"]["status"] == "failed" and "HTTP 404" in table["Gone Corp"]["error"]
    # The markdown summary: totals, a row per company, and each failure with its reason.
    assert "**4 companies**: 1 succeeded, 0 partial, 3 failed." in summary.data
    working = results["Working Inc"]
    assert f"| Working Inc | succeeded | {working.found} | {working.new} |" in summary.data
    failures = summary.data.split("## Failures and rejections")[1]
    assert "| Gone Corp | failed | http | http: HTTP 404" in failures
    assert "| Offline Ltd | failed | network |" in failures
    assert table["Working Inc"]["found"] == results["Working Inc"].found
    assert table["Busy Board"]["error_category"] == "http"
    assert table["Busy Board"]["http_status"] == 429
    # In RQ the fetch job finished (the site answered 404); its meta says the company failed.
    gone = Job.fetch(f"{run_id}-gone-corp-fetch-1", connection=redis)
    assert gone.get_status() == "finished" and gone.meta["outcome"] == "failed"
    assert "HTTP 404" in gone.meta["error"]
    runs = pl.read_parquet(pipeline_env / "company_runs.parquet")
    statuses = runs.select("company", "status", "error_category", "http_status").rows()
    assert sorted(statuses) == [
        ("Busy Board", "failed", "http", 429),
        ("Gone Corp", "failed", "http", 404),
        ("Offline Ltd", "failed", "network", None),
        ("Working Inc", "succeeded", None, None),
    ]


def test_running_twice_creates_no_duplicates(pipeline_env, demo_file):
    out = str(pipeline_env / "out")
    first = scrape_companies(str(demo_file), out)
    second = scrape_companies(str(demo_file), out)

    latest = pl.read_parquet(pipeline_env / "out" / "postings_latest.parquet")
    assert latest.height == sum(r.found for r in first) == sum(r.found for r in second)
    assert latest["posting_id"].is_unique().all()
    assert sum(r.new for r in second) == 0 and sum(r.updated for r in second) == 0
    assert (latest["last_seen_at"] > latest["first_seen_at"]).all()
    assert pl.read_parquet(pipeline_env / "out" / "company_runs.parquet").height == 10
    # The database keeps the runs and the companies they covered.
    engine = open_database(f"sqlite:///{pipeline_env / 'out' / 'openings.db'}")
    with Session(engine) as session:
        runs = session.exec(select(RunRow).order_by(RunRow.started_at)).all()
        companies = session.exec(select(CompanyRow)).all()
    assert [(r.run_id, r.companies, r.succeeded, r.failed) for r in runs] == [
        (first[0].run_id, 5, 5, 0),
        (second[0].run_id, 5, 5, 0),
    ]
    assert all(r.finished_at is not None for r in runs)
    assert len(companies) == 5 and {c.last_run_id for c in companies} == {second[0].run_id}


def test_a_site_that_moves_host_and_port_keeps_its_postings(pipeline_env, tmp_path):
    """Postings without an ATS id are known by their URL's path: the next run on the new
    address finds them all, where it found them as new and closed the old ones before."""
    out = str(pipeline_env / "out")

    def run(site: SampleSite) -> list:
        careers = site.base_url + "/{}/careers"
        companies = [
            {"name": "Bluebird", "careers_url": careers.format("pages/bluebird/plain")},
            {
                "name": "Energy",
                "careers_url": careers.format("html/bluebird-energy"),
                "ats": "html",
            },
        ]
        results = scrape_companies(str(write_companies(tmp_path / "c.yaml", companies)), out)
        return sorted(results, key=lambda r: r.company)

    with SampleSite() as site:
        first = run(site)
    with SampleSite(host="127.0.0.2") as moved:
        second, address = run(moved), moved.base_url

    assert {r.status for r in first + second} == {"succeeded"}
    assert [(r.found, r.new, r.closed) for r in second] == [(r.found, 0, 0) for r in first]
    latest = pl.read_parquet(pipeline_env / "out" / "postings_latest.parquet")
    assert latest.height == sum(r.found for r in first)
    assert latest["url"].str.starts_with(address).all()
    assert (latest["last_seen_at"] > latest["first_seen_at"]).all()


def test_bad_entries_fail_with_what_and_where_and_the_run_goes_on(
    pipeline_env, redis, site, tmp_path
):
    listed = tmp_path / "listed.yaml"
    fine = greenhouse_board(site.base_url, "Fine")
    write_companies(
        listed,
        [
            fine,
            {"name": "No Url Co"},
            {"name": "Bad Scheme", "careers_url": "ftp://example.com/jobs"},
            {**fine, "careers_url": "https://boards.greenhouse.io/fine-again"},
        ],
    )

    state = scrape_companies(
        str(listed), str(pipeline_env), max_failed_share=1.0, return_state=True
    )

    results = {r.company: r for r in state.result()}
    assert state.name == "Completed with failures" and state.message == "1 succeeded, 2 failed"
    assert list(results) == ["Fine", "No Url Co", "Bad Scheme"]  # the duplicate is read once
    assert results["Fine"].status == "succeeded" and results["Fine"].found > 0
    for name, says in [
        ("No Url Co", "entry 2 (No Url Co): careers_url: required field is missing"),
        ("Bad Scheme", "entry 3 (Bad Scheme): careers_url: URL scheme should be 'http'"),
    ]:
        result = results[name]
        assert (result.status, result.error_category) == ("failed", "input"), result
        assert result.error.startswith(f"{listed}: {says}"), result.error
        assert not list(redis.scan_iter(f"rq:job:*-{result.company_id}-*"))  # never enqueued
    company_runs = pl.read_parquet(pipeline_env / "company_runs.parquet")
    assert sorted(company_runs["company"]) == ["Bad Scheme", "Fine", "No Url Co"]
    assert set(pl.read_parquet(pipeline_env / "postings_latest.parquet")["company"]) == {"Fine"}


def test_a_bad_salary_rates_file_fails_the_run_before_it_starts(
    pipeline_env, monkeypatch, redis, demo_file
):
    rates = pipeline_env / "rates.yaml"
    rates.write_text("currency: EUR\nrates:\n  USD: none\n")
    monkeypatch.setenv("OPENINGS_SALARY_RATES_FILE", str(rates))
    jobs_before = set(redis.scan_iter("rq:job:*"))

    state = scrape_companies(str(demo_file), str(pipeline_env / "out"), return_state=True)

    assert state.is_failed()
    assert (
        state.message == f"salary rates file {str(rates)!r}: rates: USD: 'none' is not a "
        "positive number"
    )
    assert set(redis.scan_iter("rq:job:*")) == jobs_before  # nothing was enqueued
    assert not (pipeline_env / "out" / "postings_latest.parquet").exists()


def test_workers_already_listening_are_used(pipeline_env, redis, redis_url, site, tmp_path):
    # With REDIS_URL set and workers listening, the run starts none of its own.
    workers = [
        subprocess.Popen(
            worker_command(queue, redis_url, f"external-{queue}"),
            env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        )
        for queue in ("io_fetch", "ai_enrich")
    ]
    try:
        for queue in ("io_fetch", "ai_enrich"):
            for _ in range(100):
                if Worker.count(queue=Queue(queue, connection=redis)):
                    break
                time.sleep(0.1)
        companies = [
            {"name": "Working Inc", "careers_url": f"{site.base_url}/jsonld/working/careers"}
        ]
        [result] = scrape_companies(
            str(write_companies(tmp_path / "c.yaml", companies)), str(pipeline_env)
        )
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=30)
    assert result.status == "succeeded" and result.found > 0
    fetch = Job.fetch(f"{result.run_id}-working-inc-fetch-1", connection=redis)
    enrich = Job.fetch(f"{result.run_id}-working-inc-enrich-1", connection=redis)
    assert (fetch.worker_name, enrich.worker_name) == ("external-io_fetch", "external-ai_enrich")


def test_two_workers_per_queue_do_not_hang_a_run(pipeline_env, monkeypatch, site, tmp_path):
    # rq 3.0 can strand dependents in READY_TO_ENQUEUE with several workers; the run must finish.
    monkeypatch.setenv("OPENINGS_LOCAL_FETCH_WORKERS", "2")
    monkeypatch.setenv("OPENINGS_LOCAL_ENRICH_WORKERS", "2")
    monkeypatch.setenv("OPENINGS_RUN_TIMEOUT_S", "120")
    companies = [
        {
            "name": f"Board {i}",
            "careers_url": f"https://boards.greenhouse.io/board{i}",
            "api_url": f"{site.base_url}/greenhouse/v1/boards/board{i}/jobs?content=true",
        }
        for i in range(12)
    ]
    results = scrape_companies(
        str(write_companies(tmp_path / "c.yaml", companies)), str(pipeline_env)
    )
    assert [r.status for r in results] == ["succeeded"] * 12
    assert not any("timeout" in (r.error or "") for r in results)


def test_a_board_found_on_the_careers_page_is_read_and_remembered(
    pipeline_env, monkeypatch, site, tmp_path
):
    # The careers page embeds a Greenhouse board; its API is served by the sample site.
    monkeypatch.setenv(
        "OPENINGS_ATS_API_ROOTS", json.dumps({"greenhouse": f"{site.base_url}/greenhouse"})
    )
    careers = "/pages/embedco/greenhouse/careers"
    companies = [{"name": "Embed Co", "careers_url": f"{site.base_url}{careers}"}]
    companies_file = write_companies(tmp_path / "c.yaml", companies)

    [first] = scrape_companies(str(companies_file), str(pipeline_env))
    assert (first.status, first.source) == ("succeeded", "greenhouse")
    assert first.board_url == "https://boards.greenhouse.io/embedco"
    assert first.found == site.postings_per_company
    page_visits = site.hits(careers)

    [second] = scrape_companies(str(companies_file), str(pipeline_env))
    assert (second.status, second.source, second.found) == ("succeeded", "greenhouse", first.found)
    assert site.hits(careers) == page_visits  # straight to the board's API this time
    latest = pl.read_parquet(pipeline_env / "postings_latest.parquet")
    assert set(latest["source"]) == {"greenhouse"} and latest.height == first.found


def test_a_company_dropped_from_the_file_leaves_postings_latest(
    pipeline_env, site, tmp_path, monkeypatch
):
    working = {"name": "Working Inc", "careers_url": f"{site.base_url}/jsonld/working/careers"}
    dropped = {"name": "Dropped Co", "careers_url": f"{site.base_url}/jsonld/dropped/careers"}
    companies_file = tmp_path / "c.yaml"
    write_companies(companies_file, [working | {"industry": "robotics"}, dropped])
    first = scrape_companies(str(companies_file), str(pipeline_env))
    assert [r.status for r in first] == ["succeeded"] * 2

    write_companies(companies_file, [working | {"industry": "robotics"}])
    monkeypatch.chdir(tmp_path)  # the same file, named as a relative path this time
    [second] = scrape_companies("c.yaml", str(pipeline_env))

    assert second.status == "succeeded"
    latest = pl.read_parquet(pipeline_env / "postings_latest.parquet")
    assert set(latest["company"]) == {"Working Inc"}
    untracked = pl.read_parquet(pipeline_env / "postings_untracked.parquet")
    assert set(untracked["company"]) == {"Dropped Co"}
    assert untracked.height == site.postings_per_company
    companies = pl.read_parquet(pipeline_env / "companies.parquet").sort("company_id")
    assert companies.select("company_id", "tracked", "open_postings").rows() == [
        ("dropped-co", False, site.postings_per_company),
        ("working-inc", True, latest.height),
    ]
    assert companies["attributes"].struct.field("industry").to_list() == [None, "robotics"]


def test_pages_that_fail_make_a_company_partial(pipeline_env, site, tmp_path):
    companies = [
        {"name": "Broken Co", "careers_url": f"{site.base_url}/pages/brokenco/broken/careers"}
    ]
    [result] = scrape_companies(
        str(write_companies(tmp_path / "c.yaml", companies)), str(pipeline_env)
    )
    assert result.status == "partial" and result.found == 2
    assert result.skipped_pages == 2 and result.error.startswith("2 pages skipped, first: ")
    runs = pl.read_parquet(pipeline_env / "company_runs.parquet")
    assert runs.select("status", "skipped_pages").row(0) == ("partial", 2)


def test_postings_that_cannot_be_stored_are_counted_and_a_bad_field_costs_only_itself(
    pipeline_env, site, tmp_path
):
    companies = [
        {"name": "Bad Data", "careers_url": f"{site.base_url}/pages/baddata/baddata/careers"}
    ]
    [result] = scrape_companies(
        str(write_companies(tmp_path / "c.yaml", companies)), str(pipeline_env)
    )
    # No title and a mailto: link cannot be postings; a salary of $5,000,000,000 a year cannot be
    # right, but the posting stating it can: kept, without its salary, saying why.
    assert result.status == "succeeded" and result.found == 3
    assert (result.rejected, result.fields_dropped) == (2, 1)
    assert result.rejected_reasons == "1 x title; 1 x url does not parse", result
    latest = pl.read_parquet(pipeline_env / "postings_latest.parquet")
    assert latest.height == 3
    [rich] = latest.filter(pl.col("dropped_fields").list.len() > 0).rows(named=True)
    assert rich["dropped_fields"] == ["salary: 5000000000-5000000000 does not fit a yearly salary"]
    assert rich["salary_min"] is None and rich["salary_max"] is None and rich["title"]
    runs = pl.read_parquet(pipeline_env / "company_runs.parquet")
    assert runs.select("rejected", "fields_dropped").row(0) == (2, 1)


def test_a_rerun_asks_the_model_only_about_postings_it_has_not_seen(
    pipeline_env, monkeypatch, demo_file
):
    model = ScriptedModel()
    monkeypatch.setenv("OPENINGS_LLM_BASE_URL", model.url)  # backend auto: openai
    monkeypatch.setenv("OPENINGS_LLM_MODEL", "scripted-1")
    out = str(pipeline_env / "out")
    try:
        first = scrape_companies(str(demo_file), out)
        asked_first = len(model.requests)
        second = scrape_companies(str(demo_file), out)
        asked_second = len(model.requests) - asked_first
        scrape_companies(str(demo_file), out, reenrich=True)
        asked_third = len(model.requests) - asked_first - asked_second
    finally:
        model.close()

    found = sum(r.found for r in first)
    assert {r.status for r in first + second} == {"succeeded"}
    assert asked_first == found > 0
    assert asked_second == 0
    assert [r.enrich_cached for r in second] == [r.found for r in second]
    assert asked_third == found

    latest = pl.read_parquet(pipeline_env / "out" / "postings_latest.parquet")
    assert set(latest["enrichment_backend"]) == {"openai"}
    assert set(latest["enrichment_model"]) == {"scripted-1"}
    assert latest["summary"].null_count() == 0
    # The model always answers Berlin: it is used where the source states no place (the careers
    # pages), and the places an ATS states win over it.
    berlin = {"city": "Berlin", "region": None, "country": "DE"}
    stated = latest.filter(pl.col("source").is_in(["greenhouse", "lever", "ashby"]))
    assert stated["locations"].list.len().min() > 0
    assert berlin not in stated["locations"].explode().to_list()
    assert latest.filter(pl.col("source") == "html")["locations"].to_list()[0] == [berlin]
    runs = pl.read_parquet(pipeline_env / "out" / "company_runs.parquet")
    assert runs["enrich_cached"].sum() == found


def test_the_table_artifact_shows_each_company_live_while_the_run_is_in_flight(
    pipeline_env, monkeypatch, tmp_path
):
    monkeypatch.setenv("OPENINGS_TABLE_INTERVAL_S", "0.5")
    monkeypatch.setenv("OPENINGS_LOCAL_FETCH_WORKERS", "1")  # one company at a time
    names = ["Slow0", "Slow1", "Slow2"]
    with SampleSite(latency_s=1.0) as slow:
        companies = write_companies(
            tmp_path / "c.yaml", [greenhouse_board(slow.base_url, name) for name in names]
        )
        state = scrape_companies(str(companies), str(tmp_path / "out"), return_state=True)

    with get_client(sync_client=True) as client:
        versions = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(any_=["company-runs"]),
                flow_run_id=ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id]),
            ),
            sort=ArtifactSort.CREATED_DESC,
        )
    final, *in_flight = [
        {row["company"]: row["status"] for row in json.loads(v.data)} for v in versions
    ]
    assert final == dict.fromkeys(names, "succeeded")
    assert in_flight, "no version was published while the run was in flight"
    seen = {status for table in in_flight for status in table.values()}
    # Companies waiting, being worked on, and done, side by side in one table.
    assert seen & {"queued", "fetching", "fetched", "enriching", "saving"}, seen
    assert "succeeded" in seen and all(table.keys() == final.keys() for table in in_flight)


def test_an_empty_careers_page_closes_postings_only_when_it_says_it_lists_none(
    pipeline_env, site, tmp_path
):
    def run(path: str):
        careers = f"{site.base_url}/hidden/shifty/{path}"
        companies = write_companies(
            tmp_path / "c.yaml", [{"name": "Shifty", "careers_url": careers}]
        )
        [result] = scrape_companies(str(companies), str(pipeline_env))
        latest = pl.read_parquet(pipeline_env / "postings_latest.parquet")
        return result, latest.filter(pl.col("closed_at").is_null()).height

    listed, open_after_listed = run("team")  # postings behind links with no job word
    silent, open_after_silent = run("silent/careers")
    none, open_after_none = run("none/careers")

    assert (listed.status, listed.found, open_after_listed) == ("succeeded", 4, 4)
    # A page that neither lists nor denies postings proves nothing: partial, nothing closed.
    assert (silent.status, silent.closed, open_after_silent) == ("partial", 0, 4)
    assert silent.error.startswith("no postings found on ") and "does not say" in silent.error
    # "There are currently no open positions": a complete read, so its postings are closed.
    assert (none.status, none.error, none.closed, open_after_none) == ("succeeded", None, 4, 0)
