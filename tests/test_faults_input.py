"""Bad input, as a user meets it, against real parts (Redis, Prefect's test harness, RQ workers,
the sample site on 127.0.0.1, an OpenAI-compatible ScriptedModel):

- one run over every kind of misbehaving site (410, 429 with a long Retry-After, 503 until retries
  run out, a page over the size cap, a redirect loop, a PDF for a careers page, a 404) next to
  good boards and a model that answers garbage for two of them: every company ends with a status,
  each failure names its cause, category and URL, the good companies' postings are all saved once,
  and the garbage answers cost fields (rules fill them, named in `enrichment_fallbacks`), never
  postings;
- private addresses are refused with the setting that would allow them, and nothing is dialled;
- bad entries in the companies file (bad URLs, a misspelt field) fail, each naming the entry, the
  company and the field, while the run goes on for the others; text that is not YAML fails the
  run up front and enqueues nothing; the CLI refuses it, and `--check` lists the bad entries, with
  exit 2;
- two `python -m flows.scrape` runs at once over overlapping companies, sharing Redis, workers,
  the database and the output directory: both complete, each keeps its own records and report,
  and the shared company's postings are stored once; and a run that ends does not take away
  local workers that another run relies on (each run starts its own).

The first three use the runs' own local workers; `make test-faults`.
"""

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import closing
from pathlib import Path
from uuid import UUID

import polars as pl
import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterFlowRunId,
    ArtifactFilterKey,
)
from prefect.settings import get_current_settings
from rq import Queue, Worker

from deployments.sample.site import SampleSite
from tasks.companies import CompaniesFileError
from tasks.enrich.llm import FIELDS
from tasks.queueing.workers import PROJECT_ROOT
from tests.conftest import flow_run_in_thread, greenhouse_board, wait_for, write_companies
from tests.prefect_server import stop_process
from tests.scripted_model import ScriptedModel, good_answer, posting_title

pytestmark = [pytest.mark.faults, pytest.mark.usefixtures("prefect_harness")]

RETRY_ATTEMPTS = 3  # per request; a 503 that never ends is asked exactly this often
MAX_RESPONSE_BYTES = 200_000  # well above a 4-posting Greenhouse board, well below /nasty/big


def run_flow(companies_file: Path, out: Path) -> tuple[str, object, float]:
    """One flow run as a worker runs it: its id, its final state and how long it took."""
    started = time.monotonic()
    with flow_run_in_thread(companies_file=str(companies_file), output_dir=str(out)) as (
        run_id,
        outcome,
    ):
        pass
    return run_id, outcome["state"], time.monotonic() - started


def company_results(state) -> dict:
    """Every company's result by name, from a completed run or a failed one (RunFailed)."""
    results = state.result(raise_on_failure=False)
    results = getattr(results, "results", results)
    return {r.company: r for r in results}


def company_of(messages: list[dict]) -> str:
    """The company the prompt names (`Company: ...` in the first user message)."""
    user = next(m["content"] for m in messages if m["role"] == "user")
    return re.search(r"^Company: (.*)$", user, re.MULTILINE)[1]


# What a model may answer when it is having a bad day: prose, and JSON of the wrong shape.
NOT_JSON = "Sure! This looks like a great role. Let me know if you need anything else."
WRONG_SCHEMA = json.dumps(
    {
        "title": 42,
        "seniority": "godlike",
        "remote": "sometimes",
        "locations": "everywhere",
        "salary": {"min": "lots", "currency": "gold doubloons"},
        "skills": "all of them",
        "summary": ["not", "a", "string"],
    }
)


def test_every_bad_input_ends_with_its_reason_and_the_good_companies_are_saved(
    pipeline_env, queues, monkeypatch, site, tmp_path
):
    monkeypatch.setenv("OPENINGS_RETRY_ATTEMPTS", str(RETRY_ATTEMPTS))
    monkeypatch.setenv("OPENINGS_MAX_RESPONSE_BYTES", str(MAX_RESPONSE_BYTES))
    base, tag = site.base_url, uuid.uuid4().hex[:8]  # the site is shared: counters of our own
    limited = f"/nasty/limited/{tag}"
    flaky = f"/nasty/flaky/{tag}"
    good = ["Alpha", "Bravo", "Charlie"]
    garbage = {"Rambler": NOT_JSON, "Scrambler": WRONG_SCHEMA}  # boards that fetch fine
    # name -> (companies-file entry, error category, HTTP status, what the error must say)
    bad = {
        "Gone": ({"careers_url": f"{base}/nasty/gone"}, "http", 410, "HTTP 410"),
        "Limited": (
            {
                "careers_url": "https://boards.greenhouse.io/limited",
                "api_url": f"{base}{limited}?times=99&after=3600",
            },
            "http",
            429,
            "HTTP 429, Retry-After 3600 s",
        ),
        "Flaky": (
            {
                "careers_url": "https://boards.greenhouse.io/flaky",
                "api_url": f"{base}{flaky}?times=99",
            },
            "http",
            503,
            "HTTP 503",
        ),
        "Big": (
            {"careers_url": f"{base}/nasty/big?kb=1024"},
            "too_large",
            None,
            f"larger than {MAX_RESPONSE_BYTES} bytes",
        ),
        "Loop": ({"careers_url": f"{base}/nasty/loop"}, "redirect", None, "redirects"),
        "Pdf": (
            {"careers_url": f"{base}/nasty/pdf"},
            "parse",
            None,
            "expected an HTML page, got application/pdf",
        ),
        "Missing": ({"careers_url": f"{base}/jsonld/{tag}/missing"}, "http", 404, "HTTP 404"),
    }
    entries = [greenhouse_board(base, name) for name in [*good, *garbage]]
    entries += [{"name": name, **entry} for name, (entry, *_) in bad.items()]

    def answer(messages: list[dict]) -> str:
        return garbage.get(company_of(messages)) or good_answer(posting_title(messages))

    model = ScriptedModel(answer)
    monkeypatch.setenv("OPENINGS_ENRICH_BACKEND", "openai")
    monkeypatch.setenv("OPENINGS_LLM_BASE_URL", model.url)
    monkeypatch.setenv("OPENINGS_LLM_MODEL", "scripted")
    monkeypatch.setenv("OPENINGS_LLM_RETRIES", "0")
    out = tmp_path / "out"
    try:
        run_id, state, took_s = run_flow(write_companies(tmp_path / "c.yaml", entries), out)
    finally:
        model.close()
    results = company_results(state)
    print(f"\nbad-input matrix: {len(entries)} companies in {took_s:.1f} s: {state.message}")

    # Every company in the file ended with a status; none is missing, none is extra.
    assert sorted(results) == sorted(e["name"] for e in entries)
    # 7 of 12 failed, more than the default max_failed_share (0.5): the run is Failed, and its
    # message counts the kinds of failure, as the runs list shows it.
    assert state.is_failed(), state
    assert state.message == (
        "5 succeeded, 7 failed (failures: 4 http, 1 too_large, 1 redirect, 1 parse)"
    ), state.message
    for name, (entry, category, http_status, says) in bad.items():
        result = results[name]
        assert result.status == "failed", result
        assert result.error_category == category, result
        assert result.http_status == http_status, result
        # The reason, and where: the URL that failed.
        assert says in result.error, result.error
        assert (entry.get("api_url") or entry["careers_url"]) in result.error, result.error
    # A 503 is transient: retried, then given up after the configured attempts. A Retry-After
    # of an hour is not worth waiting for: asked once.
    assert site.hits(flaky) == RETRY_ATTEMPTS
    assert site.hits(limited) == 1

    for name in [*good, *garbage]:
        result = results[name]
        assert (result.status, result.error) == ("succeeded", None), result
        assert result.found == result.new == site.postings_per_company, result
    # The model's garbage cost fields, never postings: each garbage posting was sent back once
    # with its problems listed, then rules filled the fields, named in enrichment_fallbacks.
    for name in garbage:
        assert results[name].enrich_fallbacks == results[name].found, results[name]
        asked = [r for r in model.requests if company_of(r["messages"]) == name]
        sent_back = [r["messages"][-1]["content"] for r in asked if len(r["messages"]) > 2]
        assert len(asked) == 2 * len(sent_back) == 2 * results[name].found
        assert all(text.startswith("That answer is not valid: ") for text in sent_back)
    assert all(results[name].enrich_fallbacks == 0 for name in good)

    # What analysts read: every good company's postings, once each; nothing of the failed ones.
    latest = pl.read_parquet(out / "postings_latest.parquet")
    assert latest["posting_id"].is_unique().all()
    per_company = dict(latest.group_by("company").len().iter_rows())
    assert per_company == dict.fromkeys([*good, *garbage], site.postings_per_company)
    scrambled = latest.filter(pl.col("company").is_in(list(garbage)))
    assert set(scrambled["enrichment_backend"]) == {"openai"}
    assert scrambled["title_normalized"].null_count() == 0  # from rules
    assert scrambled["summary"].null_count() == scrambled.height  # rules write no summary
    fallbacks = {
        company: set().union(*map(set, rows))
        for company, rows in scrambled.group_by("company")
        .agg(pl.col("enrichment_fallbacks"))
        .iter_rows()
    }
    assert fallbacks["Rambler"] == set(FIELDS)  # not JSON: every field from rules
    assert {"seniority", "remote", "locations", "skills"} <= fallbacks["Scrambler"]
    fine = latest.filter(pl.col("company").is_in(good))
    assert fine["enrichment_fallbacks"].list.len().sum() == 0
    assert fine["summary"].null_count() == 0  # the model's own answer was used

    runs = pl.read_parquet(out / "company_runs.parquet")
    assert runs["run_id"].unique().to_list() == [run_id]
    assert sorted(runs.select("company", "status", "error_category", "http_status").rows()) == (
        sorted(
            [(name, "succeeded", None, None) for name in [*good, *garbage]]
            + [(name, "failed", category, status) for name, (_, category, status, _) in bad.items()]
        )
    )
    assert took_s < 60


def test_private_addresses_are_refused_naming_the_setting_and_nothing_is_dialled(
    pipeline_env, queues, monkeypatch, site, tmp_path
):
    # The guard on (the default): the sample site on 127.0.0.1 is as private as any intranet.
    monkeypatch.setenv("OPENINGS_ALLOW_PRIVATE_HOSTS", "false")
    tag = uuid.uuid4().hex[:8]
    loopback = greenhouse_board(site.base_url, f"loopback{tag}")
    entries = {  # name -> (entry, the address the error names)
        "Loopback": (loopback, "127.0.0.1, a non-public address"),
        "Intranet": ({"careers_url": "http://10.255.255.1/careers"}, "10.255.255.1, a non-public"),
        "Metadata": (
            {
                "careers_url": "https://boards.greenhouse.io/metadata",
                "api_url": "http://169.254.169.254/latest/meta-data/",
            },
            "169.254.169.254, a non-public",
        ),
        "Local Name": (
            {"careers_url": f"http://localhost:{site.base_url.rsplit(':', 1)[1]}/jsonld/x/careers"},
            "localhost resolves to",
        ),
    }
    companies = [{**entry, "name": name} for name, (entry, _) in entries.items()]
    hits_before = site.request_count

    _, state, took_s = run_flow(write_companies(tmp_path / "c.yaml", companies), tmp_path)
    results = company_results(state)
    print(f"\nprivate addresses: {len(entries)} companies in {took_s:.1f} s: {state.message}")

    assert state.is_failed() and state.message == "4 failed (failures: 4 blocked)", state
    assert sorted(results) == sorted(entries)
    for name, (_, names) in entries.items():
        result = results[name]
        assert (result.status, result.error_category) == ("failed", "blocked"), result
        assert names in result.error, result.error
        assert "OPENINGS_ALLOW_PRIVATE_HOSTS=true" in result.error, result.error
    # Refused before connecting: the site never heard from this run (not even for robots.txt).
    assert site.request_count == hits_before
    runs = pl.read_parquet(tmp_path / "company_runs.parquet")
    assert set(runs["error_category"]) == {"blocked"} and runs.height == 4
    assert pl.read_parquet(tmp_path / "postings_latest.parquet").height == 0


def test_bad_entries_fail_naming_entry_and_field_and_a_file_that_is_no_yaml_is_refused(
    pipeline_env, queues, redis, site, tmp_path
):
    # Per-entry problems (a careers_url that is no URL, an unsupported scheme, a misspelt field):
    # each such company fails with what and where, and the run goes on for the others.
    bad_entries = tmp_path / "entries.yaml"
    write_companies(
        bad_entries,
        [
            greenhouse_board(site.base_url, "Fine"),
            {"name": "No Url", "careers_url": "careers page, ask Bob"},
            {"name": "Ftp Co", "careers_url": "ftp://ftp.example.com/jobs"},
            {"name": "Typo Co", "carrers_url": "https://typo.example/careers"},
        ],
    )
    run_id, state, took_s = run_flow(bad_entries, tmp_path / "out")
    print(f"\n{bad_entries.name}: {took_s:.1f} s: {state.message}")
    results = company_results(state)
    assert state.message == "1 succeeded, 3 failed (failures: 3 input)", state.message
    assert results["Fine"].status == "succeeded" and results["Fine"].found > 0
    assert {name: (r.status, r.error_category, r.error) for name, r in results.items()} == {
        "Fine": ("succeeded", None, None),
        "No Url": (
            "failed",
            "input",
            f"{bad_entries}: entry 2 (No Url): careers_url: Input should be a valid URL, "
            "relative URL without a base (got 'careers page, ask Bob')",
        ),
        "Ftp Co": (
            "failed",
            "input",
            f"{bad_entries}: entry 3 (Ftp Co): careers_url: URL scheme should be 'http' or "
            "'https' (got 'ftp://ftp.example.com/jobs')",
        ),
        "Typo Co": (
            "failed",
            "input",
            f"{bad_entries}: entry 4 (Typo Co): careers_url: required field is missing; "
            f"{bad_entries}: entry 4 (Typo Co): carrers_url: unknown field"
            " (did you mean careers_url?)",
        ),
    }
    enqueued = list(redis.scan_iter(f"rq:job:{run_id}-*"))
    assert enqueued and all(b"-fine-" in key for key in enqueued)  # only Fine was enqueued
    company_runs = pl.read_parquet(tmp_path / "out" / "company_runs.parquet")
    assert company_runs.filter(pl.col("error_category") == "input").height == 3

    # A file that is no YAML at all: nothing to go on with. The run fails up front, naming the
    # file and the line, and enqueues and records nothing.
    not_yaml = tmp_path / "not-yaml.yaml"
    not_yaml.write_text(
        "companies:\n"
        "  - name: Acme\n"
        "    careers_url: https://acme.example/jobs\n"
        "  - name: [Broken\n"
    )
    run_id, state, took_s = run_flow(not_yaml, tmp_path / "refused")
    print(f"\n{not_yaml.name}: refused in {took_s:.1f} s: {state.message}")
    assert state.is_failed(), state
    assert not list(redis.scan_iter(f"rq:job:{run_id}-*"))
    assert all(Queue(q, connection=redis).count == 0 for q in queues.values())
    assert not (tmp_path / "refused" / "postings_latest.parquet").exists()
    with closing(sqlite3.connect(tmp_path / "refused" / "openings.db")) as db:
        assert db.execute("SELECT count(*) FROM runs").fetchone() == (0,)
    error = state.result(raise_on_failure=False)
    assert isinstance(error, CompaniesFileError), error
    assert state.message.startswith(f"{not_yaml}: not valid YAML: ") and "line 4" in str(error)

    # The CLI: a file that is no YAML is refused before anything starts (exit 2); `--check`
    # lists every bad entry and exits 2 too.
    for args, says in [
        ([str(not_yaml)], f"{not_yaml}: not valid YAML"),
        (["--check", str(bad_entries)], "entry 3 (Ftp Co): careers_url: URL scheme should be"),
    ]:
        cli = subprocess.run(
            [sys.executable, "-m", "flows.scrape", *args, "--output", str(tmp_path / "cli")],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert cli.returncode == 2, cli.stderr
        assert cli.stderr.startswith("error: ") and says in cli.stderr, cli.stderr
        assert "Traceback" not in cli.stderr
    assert not (tmp_path / "cli").exists()


@pytest.fixture
def scrape_cli(tmp_path):
    """Start `python -m flows.scrape COMPANIES --output OUT` as an operator types it, against the
    test harness's Prefect server, in the test's environment (its Redis, queues, fast retries);
    stdout in NAME.out, stderr in NAME.err. Whatever still runs at the end is stopped (Ctrl-C,
    then SIGKILL to its process group, local workers included)."""
    processes: list[subprocess.Popen] = []

    def start(name: str, companies: Path, out: Path) -> subprocess.Popen:
        env = {  # as the test has set it by now
            **os.environ,
            "PREFECT_API_URL": get_current_settings().api.url,
            "PYTHONPATH": str(PROJECT_ROOT),
        }
        with (
            (tmp_path / f"{name}.out").open("w") as stdout,
            (tmp_path / f"{name}.err").open("w") as stderr,
        ):
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "flows.scrape",
                        str(companies),
                        "--output",
                        str(out),
                    ],
                    cwd=PROJECT_ROOT,
                    env=env,
                    stdout=stdout,
                    stderr=stderr,
                    start_new_session=True,
                )
            )
        return processes[-1]

    yield start
    for process in processes:
        stop_process(process)


def finish(process: subprocess.Popen, timeout: float = 120) -> int:
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"python -m flows.scrape still running after {timeout} s") from None


def test_two_runs_at_once_keep_their_own_records_and_store_a_shared_company_once(
    pipeline_env, queues, start_workers, scrape_cli, tmp_path
):
    # Workers as a production host runs them (the runs start none of their own).
    start_workers(queues["fetch"], 2)
    start_workers(queues["enrich"], 1)
    out = tmp_path / "out"  # one output directory, one SQLite database, one Redis for both
    files = {"a": ["Shared", "OnlyA1", "OnlyA2"], "b": ["Shared", "OnlyB1", "OnlyB2"]}
    # Both start together; each request takes 3 s, so that neither can finish (two fetch workers,
    # six boards: 9 s of fetching) before the other has started, however slowly it starts.
    with SampleSite(latency_s=3) as slow:
        started = time.monotonic()
        processes = {
            run: scrape_cli(
                run,
                write_companies(
                    tmp_path / f"{run}.yaml", [greenhouse_board(slow.base_url, n) for n in names]
                ),
                out,
            )
            for run, names in files.items()
        }
        codes = {run: finish(process) for run, process in processes.items()}
        took_s = time.monotonic() - started
    stdout = {run: (tmp_path / f"{run}.out").read_text() for run in files}
    stderr = {run: (tmp_path / f"{run}.err").read_text() for run in files}
    print(f"\ntwo runs at once: both ended {took_s:.1f} s after they started: {codes}")
    for run in files:
        assert codes[run] == 0, stderr[run][-3000:]
        assert "Completed: 3 succeeded" in stdout[run], stdout[run]

    with closing(sqlite3.connect(out / "openings.db")) as db:
        runs = {
            Path(companies_file).stem: (run_id, status, message, started_at, finished_at)
            for run_id, companies_file, status, message, started_at, finished_at in db.execute(
                "SELECT run_id, companies_file, status, message, started_at, finished_at FROM runs"
            )
        }
        company_runs = db.execute("SELECT run_id, company, status FROM company_runs").fetchall()
        stored = db.execute("SELECT posting_id, company FROM postings").fetchall()
    assert sorted(runs) == ["a", "b"]
    assert {(status, message) for _, status, message, *_ in runs.values()} == {
        ("completed", "3 succeeded")
    }
    # The two runs really overlapped: each started before the other finished.
    (_, _, _, a_start, a_end), (_, _, _, b_start, b_end) = runs["a"], runs["b"]
    assert a_start < b_end and b_start < a_end, runs
    # Each run's company_runs rows are its own companies, all succeeded.
    for run, names in files.items():
        mine = {(c, s) for r, c, s in company_runs if r == runs[run][0]}
        assert mine == {(name, "succeeded") for name in names}, company_runs
    assert len(company_runs) == 6
    # Shared was saved by both runs: its postings are stored once.
    per_company = slow.postings_per_company
    assert len(stored) == len({pid for pid, _ in stored}) == 5 * per_company
    assert sum(company == "Shared" for _, company in stored) == per_company

    # The Parquet files are whole (no half-written temporary file left) and agree.
    assert not [p for p in out.rglob("*") if p.name.endswith(".partial")]
    latest = pl.read_parquet(out / "postings_latest.parquet")
    assert latest["posting_id"].is_unique().all() and latest.height == 5 * per_company
    assert dict(latest.group_by("company").len().iter_rows()) == dict.fromkeys(
        ["Shared", "OnlyA1", "OnlyA2", "OnlyB1", "OnlyB2"], per_company
    )
    assert pl.read_parquet(out / "company_runs.parquet").height == 6

    # Each run's report names its companies only: the CLI's summary, and the run-summary
    # artifact in Prefect.
    for run, names in files.items():
        others = set(files["b" if run == "a" else "a"]) - set(names)
        table = stdout[run].split("\ncompany ")[1]
        assert all(name in table for name in names) and not any(n in table for n in others)
        with get_client(sync_client=True) as client:
            [summary] = client.read_artifacts(
                artifact_filter=ArtifactFilter(
                    key=ArtifactFilterKey(any_=["run-summary"]),
                    flow_run_id=ArtifactFilterFlowRunId(any_=[UUID(runs[run][0])]),
                )
            )
        by_company = summary.data.split("## By company")[1].split("##")[0]
        assert all(f"| {name} | succeeded |" in by_company for name in names), summary.data
        assert not any(name in summary.data for name in others), summary.data
    assert took_s < 90  # no run waited on the other's jobs


def test_a_run_that_ends_does_not_strand_another_runs_jobs(
    pipeline_env, queues, redis, monkeypatch, scrape_cli, tmp_path
):
    # No worker of its own on the queues: each run relies on the local workers a run starts.
    monkeypatch.setenv("OPENINGS_REQUEST_TIMEOUT_S", "60")
    monkeypatch.setenv("OPENINGS_HEALTH_NO_WORKER_S", "5")  # fail fast, not after 5 min
    out = tmp_path / "out"
    with SampleSite(latency_s=15) as slow:  # each fetch takes 15 s
        first = scrape_cli(
            "first",
            write_companies(tmp_path / "first.yaml", [greenhouse_board(slow.base_url, "First")]),
            out,
        )

        def fetching() -> bool:
            workers = Worker.all(queue=Queue(queues["fetch"], connection=redis))
            return any(worker.get_state() == "busy" for worker in workers)

        # The first run's local workers are up and one is fetching: 15 s before it can end.
        wait_for(fetching, 60, "the first run's fetch to start")
        later = scrape_cli(
            "later",
            write_companies(tmp_path / "later.yaml", [greenhouse_board(slow.base_url, "Later")]),
            out,
        )
        codes = finish(first), finish(later)
    later_out = (tmp_path / "later.out").read_text()
    print(f"\nthe later run: exit {codes[1]}:\n{later_out}")
    assert codes == (0, 0), (tmp_path / "later.err").read_text()[-3000:]
    assert "Completed: 1 succeeded" in later_out
