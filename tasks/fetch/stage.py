"""The fetch stage: read one company's postings from its ATS API or from its career pages.

A careers page that embeds or links an ATS board is read through that ATS's API, and the board is
reported so the next run goes straight there. A board that stops answering falls back to the page.

Every job of a worker process runs on one long-lived event loop, so that a browser started for a
JavaScript page in one job is reused by the next instead of being launched again.
"""

import asyncio
import atexit
import logging
import sys

from redis import Redis

from tasks.companies import resolve_source
from tasks.errors import FetchError
from tasks.fetch import sources
from tasks.fetch.http import Fetcher
from tasks.fetch.sources.common import collect_notes
from tasks.models import Company, FetchReport, Posting, Source
from tasks.queueing.stopping import StopFlag
from tasks.settings import Settings

log = logging.getLogger(__name__)

_runner: asyncio.Runner | None = None


def fetch_postings(
    company: Company,
    settings: Settings,
    redis: Redis,
    board: tuple[Source, str] | None = None,
    stop: StopFlag | None = None,
) -> tuple[list[Posting], FetchReport]:
    """All open postings of one company and the report on how they were read.

    `board` is the ATS board a previous run found on the careers page. Raises FetchError when the
    company cannot be read at all, and RunStopped (requests in flight cancelled) once `stop` is
    set.
    """
    global _runner
    if _runner is None:
        _runner = asyncio.Runner()
        atexit.register(_shut_down)
    work = _fetch(company, settings, redis, board)
    return _runner.run(stop.guard(work) if stop else work)


async def _fetch(
    company: Company, settings: Settings, redis: Redis, board: tuple[Source, str] | None
) -> tuple[list[Posting], FetchReport]:
    with collect_notes() as notes:
        postings, report = await _read(company, settings, redis, board)
    skipped = [*report.skipped, *notes.skipped]
    return postings, report.model_copy(update={"rejected": notes.rejected, "skipped": skipped})


async def _read(
    company: Company, settings: Settings, redis: Redis, board: tuple[Source, str] | None
) -> tuple[list[Posting], FetchReport]:
    source = resolve_source(company)
    async with Fetcher(settings, redis, respect_robots=company.respect_robots) as fetcher:
        if source in sources.ATS_ADAPTERS:
            careers_url = str(company.careers_url)
            url = str(company.api_url or _api_url(source, careers_url, settings))
            postings = await _read_board(fetcher, source, url, company)
            return postings, FetchReport(ok=True, postings=len(postings), source=source)
        if board is not None and company.ats == Source.auto:
            try:
                return await _from_board(fetcher, company, settings, *board)
            except FetchError as exc:
                log.warning(
                    "%s: known %s board failed, reading the careers page: %s",
                    company.name,
                    board[0],
                    exc,
                )
        # Imported here: the web path pulls in lxml-heavy code (and the browser on demand).
        from tasks.fetch.sources.web import crawl_site

        crawl = await crawl_site(company, source, fetcher, settings)
        if crawl.board is not None:
            return await _from_board(fetcher, company, settings, *crawl.board)
        report = FetchReport(
            ok=True,
            postings=len(crawl.postings),
            source=source,
            skipped=crawl.skipped,
            incomplete=crawl.incomplete,
        )
        return crawl.postings, report


async def _from_board(
    fetcher: Fetcher, company: Company, settings: Settings, source: Source, board_url: str
) -> tuple[list[Posting], FetchReport]:
    url = _api_url(source, board_url, settings)
    postings = await _read_board(fetcher, source, url, company)
    report = FetchReport(ok=True, postings=len(postings), source=source, board_url=board_url)
    return postings, report


def _api_url(source: Source, board_url: str, settings: Settings) -> str:
    """The board's API, or its mirror when OPENINGS_ATS_API_ROOTS names one."""
    return sources.ATS_ADAPTERS[source].api_url(board_url, settings.ats_api_roots.get(source))


async def _read_board(fetcher: Fetcher, source: Source, url: str, company: Company) -> list:
    try:
        return await sources.ATS_ADAPTERS[source].fetch(fetcher, url, company)
    except ValueError as exc:  # the API answered, but not in the shape it documents
        raise FetchError("parse", str(exc), url=url) from exc


def _shut_down() -> None:
    """At worker exit: close the browser, if a job started one, on the loop that owns it."""
    browser = sys.modules.get("tasks.fetch.browser")
    if browser is not None and _runner is not None:
        _runner.run(browser.close_browser())
    if _runner is not None:
        _runner.close()
