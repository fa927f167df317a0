"""A cancelled run's stop flag reaches work already under way: requests in flight are cancelled,
enrichment stops before its next batch. Real Redis; the flow-level cancel is in test_run_control."""

import asyncio
import time
import uuid

import pytest

from tasks.enrich import enrich_postings
from tasks.enrich.rules import RulesEnricher
from tasks.models import Company, Posting, Source
from tasks.queueing.stopping import POLL_S, RunStopped, StopFlag, clear_stop, request_stop


@pytest.fixture
def run_id(redis):
    run = f"stop-{uuid.uuid4().hex[:8]}"
    yield run
    clear_stop(redis, run)


def test_work_in_flight_is_cancelled_soon_after_the_flag_is_set(redis, run_id):
    cancelled = []

    async def request_in_flight():
        try:
            await asyncio.sleep(30)  # a slow page
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    async def main():
        asyncio.get_running_loop().call_later(0.2, request_stop, redis, run_id, 60)
        await StopFlag(redis, run_id).guard(request_in_flight())

    started = time.monotonic()
    with pytest.raises(RunStopped):
        asyncio.run(main())

    assert cancelled == [True]
    assert time.monotonic() - started < 0.2 + 2 * POLL_S


def test_work_finishes_when_no_one_stops_it(redis, run_id):
    async def quick():
        return "postings"

    assert asyncio.run(StopFlag(redis, run_id).guard(quick())) == "postings"


def test_enrichment_stops_before_its_next_batch(redis, run_id):
    class Batches(RulesEnricher):
        batch_size = 2
        calls = 0

        def enrich(self, postings):
            Batches.calls += 1
            request_stop(redis, run_id, 60)  # cancelled while the first batch was out
            time.sleep(POLL_S)  # the flag is read at most once per POLL_S
            return super().enrich(postings)

    company = Company(name="Acme", careers_url="https://boards.greenhouse.io/acme")
    postings = [
        Posting(
            company_id=company.company_id,
            company=company.name,
            source=Source.greenhouse,
            title=f"Engineer {i}",
            url=f"https://boards.greenhouse.io/acme/jobs/{i}",
        )
        for i in range(6)
    ]

    with pytest.raises(RunStopped):
        enrich_postings(postings, Batches(), stop=StopFlag(redis, run_id))

    assert Batches.calls == 1
    # Without a stop flag the backend gets the whole company at once, as before.
    Batches.calls = 0
    clear_stop(redis, run_id)
    enriched, _ = enrich_postings(postings, Batches())
    assert (Batches.calls, len(enriched)) == (1, 6)
