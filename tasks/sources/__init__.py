"""Where postings come from: one small adapter module per ATS, plus web pages (JSON-LD, HTML).

An ATS adapter module exposes:
  HOSTS: careers-page hosts that identify the ATS (e.g. "jobs.lever.co")
  api_url(careers_url: str) -> str      the public job-board API endpoint for that careers URL
  parse(payload, company) -> list[Posting]   map the API's JSON to Posting models
"""

from types import ModuleType
from urllib.parse import urlsplit

from tasks.models import Source
from tasks.sources import ashby, greenhouse, lever

ATS_ADAPTERS: dict[Source, ModuleType] = {
    Source.greenhouse: greenhouse,
    Source.lever: lever,
    Source.ashby: ashby,
}


def detect_source(careers_url: str) -> Source:
    """Recognise an ATS from its careers-page host; anything else is a web page read for JSON-LD."""
    host = (urlsplit(careers_url).hostname or "").lower()
    for source, adapter in ATS_ADAPTERS.items():
        if host in adapter.HOSTS:
            return source
    return Source.jsonld
