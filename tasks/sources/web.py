"""Web career pages through crawl4ai's no-browser HTTP strategy.

Reads schema.org JobPosting JSON-LD from the careers page and from the detail pages it links to on
the same site. With `ats: html` a detail page with no JSON-LD still yields a posting from its
<h1> and a location element.
"""

import json
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import aiohttp
from lxml import html as lxml_html

from tasks import netguard
from tasks.errors import FetchError
from tasks.http import retrying
from tasks.models import (
    Company,
    EmploymentType,
    Posting,
    RemotePolicy,
    Salary,
    SalaryPeriod,
    Source,
)
from tasks.settings import Settings
from tasks.sources.common import html_to_text, parse_datetime, salary_range

# crawl4ai reads these at import time: no cloud banner, no cost-map download by litellm, and its
# cache/home directory kept out of $HOME.
os.environ.setdefault("CRAWL4AI_NO_CLOUD_NOTICE", "1")
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("CRAWL4_AI_BASE_DIRECTORY", str(Path.home() / ".cache" / "openings"))

from crawl4ai import (
    AsyncLogger,
    AsyncWebCrawler,
    CacheMode,
    CrawlerRunConfig,
    HTTPCrawlerConfig,
    SemaphoreDispatcher,
)
from crawl4ai.async_crawler_strategy import AsyncHTTPCrawlerStrategy

log = logging.getLogger(__name__)

JOB_PATH = re.compile(r"/(jobs?|careers?|positions?|openings?|vacanc\w*|roles?)/[^/]+", re.I)
HTTP_STATUS = re.compile(r"HTTP (\d{3})")


class GuardedHTTPStrategy(AsyncHTTPCrawlerStrategy):
    """crawl4ai's HTTP strategy whose connections go through the SSRF guard (every hop)."""

    def __init__(self, *args, guard: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self._guard = guard

    async def start(self) -> None:
        if self._session is None and self._guard:
            connector = aiohttp.TCPConnector(
                limit=self.max_connections,
                ttl_dns_cache=self.dns_cache_ttl,
                socket_factory=netguard.guarded_socket_factory,
            )
            self._session = aiohttp.ClientSession(
                headers=dict(self._BASE_HEADERS), connector=connector
            )
        await super().start()


async def crawl_postings(company: Company, source: Source, settings: Settings) -> list[Posting]:
    careers_url = str(company.careers_url)
    if not settings.allow_private_hosts:
        _raise_if_blocked(careers_url)
    strategy = GuardedHTTPStrategy(
        browser_config=HTTPCrawlerConfig(headers={"User-Agent": settings.user_agent}),
        max_connections=settings.page_concurrency,
        guard=not settings.allow_private_hosts,
    )
    config = CrawlerRunConfig(
        cache_mode=CacheMode.BYPASS,
        page_timeout=int(settings.request_timeout_s * 1000),
        verbose=False,
    )
    quiet = AsyncLogger(log_file=None, verbose=False)
    async with AsyncWebCrawler(crawler_strategy=strategy, logger=quiet) as crawler:

        @retrying(settings)
        async def fetch_listing():
            return _checked(await crawler.arun(careers_url, config=config), careers_url, settings)

        listing = await fetch_listing()
        postings = list(_postings_from_page(listing.html, listing.url, company, source))
        detail_urls = _detail_links(listing, careers_url)[: settings.max_detail_pages]
        if detail_urls:
            dispatcher = SemaphoreDispatcher(semaphore_count=settings.page_concurrency)
            for page in await crawler.arun_many(detail_urls, config=config, dispatcher=dispatcher):
                try:
                    _checked(page, page.url, settings)
                except FetchError as exc:
                    log.warning("%s: skipped detail page: %s", company.name, exc)
                    continue
                postings.extend(_postings_from_page(page.html, page.url, company, source))
    return list({posting.posting_id: posting for posting in postings}.values())


def _raise_if_blocked(url: str) -> None:
    try:
        netguard.check_url(url)
    except netguard.BlockedAddressError as exc:
        raise FetchError("blocked", exc.strerror, url=url) from exc


def _checked(result, url: str, settings: Settings):
    """Turn crawl4ai's result flags into FetchError (arun never raises)."""
    if not result.success:
        # crawl4ai wraps the error in "Unexpected error in ..." and appends source lines after
        # "Code context"; the reason is on the line that starts with "Error: ".
        text = (result.error_message or "").split("Code context")[0]
        reasons = [
            line[len("Error: ") :] for line in text.splitlines() if line.startswith("Error: ")
        ]
        message = reasons[0].strip() if reasons else text.strip() or "unknown error"
        status = HTTP_STATUS.search(message)
        if status:
            code = int(status.group(1))
            raise FetchError("http", f"HTTP {code}", url=url, http_status=code)
        if "non-public address" in message:
            raise FetchError("blocked", message, url=url)
        raise FetchError("network", message, url=url)
    if len(result.html or "") > settings.max_response_bytes:
        raise FetchError("too_large", f"page exceeds {settings.max_response_bytes} bytes", url=url)
    return result


def _detail_links(listing, careers_url: str) -> list[str]:
    site = urlsplit(careers_url).netloc
    seen: dict[str, None] = {}
    for link in listing.links.get("internal", []):
        url = urljoin(listing.url, link.get("href", "")).split("#", 1)[0]
        parts = urlsplit(url)
        if parts.netloc == site and JOB_PATH.search(parts.path) and url.rstrip("/") != careers_url:
            seen.setdefault(url)
    return list(seen)


def _postings_from_page(
    page_html: str, url: str, company: Company, source: Source
) -> Iterator[Posting]:
    if not page_html:
        return
    tree = lxml_html.fromstring(page_html)
    found = False
    for block in tree.xpath("//script[@type='application/ld+json']/text()"):
        for item in _job_postings(_load_json(block, url)):
            posting = _from_jsonld(item, url, company, source)
            if posting:
                found = True
                yield posting
    if not found and source == Source.html and JOB_PATH.search(urlsplit(url).path):
        posting = _from_plain_html(tree, url, company)
        if posting:
            yield posting


def _load_json(text: str, url: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        log.warning("malformed JSON-LD block skipped on %s", url)
        return None


def _job_postings(data: Any) -> Iterator[dict]:
    """JobPosting objects in a JSON-LD document: single, lists and @graph, at any depth."""
    if isinstance(data, list):
        for item in data:
            yield from _job_postings(item)
    elif isinstance(data, dict):
        kind = data.get("@type")
        if kind == "JobPosting" or (isinstance(kind, list) and "JobPosting" in kind):
            yield data
        elif "@graph" in data:
            yield from _job_postings(data["@graph"])


def _from_jsonld(item: dict, page_url: str, company: Company, source: Source) -> Posting | None:
    title = _text(item.get("title"))
    if not title:
        return None
    identifier = item.get("identifier")
    if isinstance(identifier, dict):
        identifier = identifier.get("value")
    return Posting(
        company_id=company.company_id,
        company=company.name,
        source=source,
        title=title,
        url=urljoin(page_url, _text(item.get("url")) or page_url),
        external_id=_text(identifier) or None,
        location=_location(item.get("jobLocation")),
        description=html_to_text(_text(item.get("description"))),
        posted_at=parse_datetime(item.get("datePosted")),
        remote=RemotePolicy.remote if item.get("jobLocationType") == "TELECOMMUTE" else None,
        employment_type=_employment_type(item.get("employmentType")),
        salary=_salary(item.get("baseSalary")),
    )


def _from_plain_html(tree, url: str, company: Company) -> Posting | None:
    title = " ".join(tree.xpath("string(//h1)").split())
    if not title:
        return None
    location = tree.xpath(
        "string((//*[contains(@class,'location') or @itemprop='jobLocation'])[1])"
    )
    description = tree.xpath("string((//*[contains(@class,'description')] | //main | //body)[1])")
    return Posting(
        company_id=company.company_id,
        company=company.name,
        source=Source.html,
        title=title,
        url=url,
        location=" ".join(location.split()) or None,
        description=" ".join(description.split()),
    )


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else str(value) if value is not None else ""


def _location(value: Any) -> str | None:
    places = value if isinstance(value, list) else [value]
    names = []
    for place in places:
        address = place.get("address") if isinstance(place, dict) else None
        if isinstance(address, dict):
            parts = [address.get(k) for k in ("addressLocality", "addressRegion", "addressCountry")]
            country = parts[2]
            if isinstance(country, dict):
                parts[2] = country.get("name")
            names.append(", ".join(_text(p) for p in parts if p))
        elif isinstance(address, str):
            names.append(address)
    return "; ".join(name for name in names if name) or None


_EMPLOYMENT = {
    "FULL_TIME": EmploymentType.full_time,
    "PART_TIME": EmploymentType.part_time,
    "CONTRACTOR": EmploymentType.contract,
    "TEMPORARY": EmploymentType.temporary,
    "INTERN": EmploymentType.internship,
}
_PERIODS = {unit.value.upper(): unit for unit in SalaryPeriod}


def _employment_type(value: Any) -> EmploymentType | None:
    first = value[0] if isinstance(value, list) and value else value
    return _EMPLOYMENT.get(_text(first).upper().replace("-", "_"))


def _salary(value: Any) -> Salary | None:
    if not isinstance(value, dict) or not isinstance(value.get("value"), dict):
        return None
    amount = value["value"]
    low, high = amount.get("minValue", amount.get("value")), amount.get("maxValue")
    try:
        # JSON-LD amounts are often strings; a single amount is both ends of the range.
        low = float(low) if low is not None else None
        high = float(high) if high is not None else low
    except (TypeError, ValueError):
        return None
    if low is None:
        return None
    return salary_range(
        low, high, value.get("currency"), _PERIODS.get(_text(amount.get("unitText")).upper())
    )
