"""Sample-site routes for the ATS job-board APIs, each answering in the real API's shape.

One module per ATS serves its API: each lists its ROUTES as (method, path pattern, handler),
and its docstring says which endpoints it serves and which quirks of the real API it keeps on
purpose. Each path is the real API's path under /{ats}: what the adapters'
api_url(..., root=base/{ats}) gives.

Boards are generated from their names (boards.board): a board has `site.postings_per_company`
postings, or N when its name ends in "-N" ("globex-130" has 130), so that a test can make a
board span several pages. Paged APIs page as the real ones do.
"""

import re
from collections.abc import Callable
from typing import Any

from deployments.sample.ats import (
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
from deployments.sample.reply import Reply

_ROUTES: list[tuple[str, re.Pattern, Callable[..., Reply]]] = [
    route
    for module in (
        greenhouse,
        lever,
        ashby,
        workable,
        smartrecruiters,
        recruitee,
        pinpoint,
        bamboohr,
        personio,
        teamtailor,
        workday,
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
    for route in module.ROUTES
]


def respond(site: Any, method: str, path: str, query: dict, body: bytes) -> Reply | None:
    """The ATS API reply for this request, or None when the path is not an ATS API's."""
    for verb, pattern, handler in _ROUTES:
        if method == verb and (match := pattern.fullmatch(path)):
            return handler(site, query, body, *match.groups())
    return None
