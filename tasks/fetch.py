"""The fetch stage: read one company's postings from its ATS API or its career pages."""

import asyncio

from tasks import http
from tasks.companies import resolve_source
from tasks.errors import FetchError
from tasks.models import Company, Posting
from tasks.settings import Settings
from tasks.sources import ATS_ADAPTERS


def fetch_postings(company: Company, settings: Settings) -> list[Posting]:
    """All open postings of one company. Raises FetchError when the source cannot be read."""
    source = resolve_source(company)
    adapter = ATS_ADAPTERS.get(source)
    if adapter is None:
        # Imported here: crawl4ai takes ~2 s to import, and ATS and enrich workers never need it.
        from tasks.sources.web import crawl_postings

        return asyncio.run(crawl_postings(company, source, settings))
    url = str(company.api_url) if company.api_url else adapter.api_url(str(company.careers_url))
    with http.client(settings) as client:
        payload = http.get_json(client, url, settings)
    try:
        return adapter.parse(payload, company)
    except ValueError as exc:
        raise FetchError("parse", str(exc), url=url) from exc
