"""One small adapter module per ATS, each reading one job-board API (or, where an ATS has none,
its board's pages). Every adapter module exposes the same interface, which the fetch stage calls:
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

from types import ModuleType

from tasks.fetch.sources.ats import (
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
