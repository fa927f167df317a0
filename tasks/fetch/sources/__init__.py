"""Where postings come from: one small adapter module per ATS, plus web pages (JSON-LD, HTML).

Every ATS adapter module exposes the same interface, which the fetch stage calls:
  SOURCE: Source                     the ATS it reads
  HOSTS: frozenset[str]              careers-page hosts that identify it; an entry starting with
                                     "." matches any subdomain (".recruitee.com")
  board_url(url) -> str | None       the canonical board careers URL, if `url` is on one of its
                                     boards (a board page, a job page, an embed script)
  api_url(careers_url, root=None) -> str
                                     the public job-board API for a careers URL (ValueError when
                                     it names no board); `root` serves the API from a mirror
  async fetch(fetcher, url, company) -> list[Posting]
                                     every posting of the board at API `url`: all its pages and,
                                     where the list has no job text, each posting's detail
  parse(payload, company) -> list[Posting]
                                     one payload (page) as postings; ValueError for a wrong shape
"""

from collections import Counter
from types import ModuleType
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

from tasks.fetch.sources import (
    applicantpro,
    ashby,
    bamboohr,
    breezy,
    careerplug,
    comeet,
    dover,
    gem,
    greenhouse,
    hibob,
    hireology,
    homerun,
    icims,
    jazzhr,
    jobvite,
    join,
    lever,
    oracle,
    paylocity,
    personio,
    pinpoint,
    recruitee,
    rippling,
    smartrecruiters,
    successfactors,
    taleo,
    teamtailor,
    ukg,
    workable,
    workday,
    wttj,
    zoho,
)
from tasks.fetch.sources.common import on_hosts
from tasks.models import Source

ATS_ADAPTERS: dict[Source, ModuleType] = {
    adapter.SOURCE: adapter
    for adapter in (
        greenhouse,
        lever,
        ashby,
        workable,
        smartrecruiters,
        recruitee,
        personio,
        teamtailor,
        workday,
        pinpoint,
        bamboohr,
        zoho,
        breezy,
        jazzhr,
        homerun,
        oracle,
        ukg,
        paylocity,
        icims,
        jobvite,
        successfactors,
        taleo,
        rippling,
        gem,
        dover,
        hireology,
        careerplug,
        applicantpro,
        join,
        hibob,
        comeet,
        wttj,
    )
}

# Where pages reference a board: links, embed scripts, iframes (lazy-loaded ones keep the address
# in data-src until they scroll into view).
_REFERENCES = "//a/@href | //area/@href | //script/@src | //iframe/@src | //iframe/@data-src"


def detect_source(careers_url: str) -> Source:
    """Recognise an ATS from its careers-page host; anything else is a web page read for JSON-LD."""
    for source, adapter in ATS_ADAPTERS.items():
        if on_hosts(careers_url, adapter.HOSTS):
            return source
    return Source.jsonld


def board_from_page(html: str, page_url: str) -> tuple[Source, str] | None:
    """The ATS board a company's own careers page embeds or links to, as (source, board URL).

    The board URL is one the adapter's api_url understands. When a page references several
    boards, the one it references most wins (a footer link to another company's board loses to
    the embed and the job links). Embeds that name a board only by a numeric account id (the old
    Workable and Recruitee widgets) cannot be resolved to a board and are not recognised.
    """
    try:
        document = lxml_html.fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    found: Counter[tuple[Source, str]] = Counter()
    for reference in document.xpath(_REFERENCES):
        url = urljoin(page_url, str(reference).strip())
        for source, adapter in ATS_ADAPTERS.items():
            if board := adapter.board_url(url):
                found[(source, board)] += 1
                break
    return found.most_common(1)[0][0] if found else None
