"""schema.org JobPosting in a page's JSON-LD, read as Posting fields: by the web crawl
(tasks.fetch.sources.web) and by the ATS whose job pages carry it (iCIMS, JazzHR, Jobvite...).
"""

import json
import logging
import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urljoin

from tasks.fetch.sources.common import (
    employment_type,
    html_document,
    html_to_text,
    number,
    parse_datetime,
    salary_period,
    salary_range,
    stated_places,
)
from tasks.models import EmploymentType, RemotePolicy, Salary

log = logging.getLogger(__name__)


_LD_SCRIPTS = "//script[contains(translate(@type, 'LDJSON', 'ldjson'), 'ld+json')]"
_WRAPPER = re.compile(
    r"^\s*(?:<!--|(?://|/\*)?\s*<!\[CDATA\[\s*(?:\*/)?)|(?:-->|(?://|/\*)?\s*\]\]>\s*(?:\*/)?)\s*$"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


def jsonld_postings(markup: str, page_url: str) -> list[dict]:
    """The Posting fields of every JobPosting in a page: how an ATS whose job pages carry
    JSON-LD (and no API) reads each job's detail."""
    tree = html_document(markup)
    return [posting_fields(item, page_url) for item in job_postings(tree, page_url)]


def job_postings(tree: Any, url: str) -> list[dict]:
    """The JobPosting objects in a parsed page's JSON-LD blocks."""
    return list(_job_postings(list(_json_ld(tree, url))))


def _json_ld(tree: Any, url: str) -> Iterator[Any]:
    """Every JSON document in the page's JSON-LD blocks. The usual defects are repaired (HTML
    comment and CDATA wrappers, control characters, trailing commas, several objects in one
    block); what still cannot be read is skipped with a warning, never failing the page."""
    for script in tree.xpath(_LD_SCRIPTS):
        text = _CONTROL.sub("", _WRAPPER.sub("", (script.text or "").lstrip("\ufeff")))
        if not text.strip():
            continue
        documents, complete = _decode_all(text)
        if not complete:
            repaired = _decode_all(_TRAILING_COMMA.sub(r"\1", text))
            documents, complete = _better((documents, complete), repaired)
        if not complete:
            log.warning("unreadable JSON-LD block skipped on %s", url)
        yield from documents


def _better(first: tuple[list, bool], second: tuple[list, bool]) -> tuple[list, bool]:
    """The fuller of two readings of a block: complete, else more documents."""
    return second if second[1] or len(second[0]) > len(first[0]) else first


def _decode_all(text: str) -> tuple[list, bool]:
    """The JSON values in TEXT one after another, and whether all of it could be read."""
    decoder = json.JSONDecoder(strict=False)  # strict=False: raw newlines and tabs in strings
    documents, at = [], 0
    while True:
        while at < len(text) and (text[at].isspace() or text[at] in ",;"):
            at += 1
        if at == len(text):
            return documents, True
        try:
            document, at = decoder.raw_decode(text, at)
        except ValueError:
            return documents, False
        documents.append(document)


def _job_postings(node: Any) -> Iterator[dict]:
    """JobPosting objects at any depth: lists, @graph, ItemList items, mainEntity, ..."""
    if isinstance(node, list):
        for item in node:
            yield from _job_postings(item)
    elif isinstance(node, dict):
        if "JobPosting" in (_type_name(kind) for kind in _as_list(node.get("@type"))):
            yield node
            return
        for value in node.values():
            yield from _job_postings(value)


def _type_name(kind: Any) -> str:
    """The bare type: JobPosting also for "http://schema.org/JobPosting", "schema:JobPosting"."""
    return re.split(r"[/:#]", kind)[-1] if isinstance(kind, str) else ""


def posting_fields(item: dict, page_url: str) -> dict:
    """A JobPosting's fields; one without a title is rejected (and counted) by new_posting."""
    title = _text(item.get("title")) or _text(item.get("name"))
    remote = any(
        _text(kind).upper() == "TELECOMMUTE" for kind in _as_list(item.get("jobLocationType"))
    )
    return {
        "title": title,
        "url": urljoin(page_url, _text(item.get("url")) or page_url),
        "external_id": _identifier(item.get("identifier")),
        "location": _location(item, remote),
        "locations": stated_places(*map(_address, _as_list(item.get("jobLocation")))),
        "description": html_to_text(_text(item.get("description"))),
        "posted_at": parse_datetime(_text(item.get("datePosted"))),
        "remote": RemotePolicy.remote if remote else None,
        "employment_type": _employment_type(item.get("employmentType")),
        "salary": _salary(item.get("baseSalary")) or _salary(item.get("estimatedSalary")),
    }


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [] if value is None else [value]


def _text(value: Any) -> str:
    """A JSON-LD value as text: strings and numbers as they are, the first of a list, the
    @value or name of an object."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        return next((text for text in map(_text, value) if text), "")
    if isinstance(value, dict):
        return _text(value.get("@value") or value.get("name"))
    return ""


def _identifier(value: Any) -> str | None:
    """A PropertyValue's value (its name is the issuer), or a plain id."""
    first = next(iter(_as_list(value)), None)
    if isinstance(first, dict):
        first = first.get("value") or first.get("@id")
    return _text(first) or None


def _location(item: dict, remote: bool) -> str | None:
    places = _distinct(name for name in map(_place, _as_list(item.get("jobLocation"))) if name)
    if places:
        return "; ".join(places)
    regions = _distinct(
        name for name in map(_text, _as_list(item.get("applicantLocationRequirements"))) if name
    )
    if remote:
        return f"Remote ({', '.join(regions)})" if regions else "Remote"
    return ", ".join(regions) or None


def _place(place: Any) -> str:
    if not isinstance(place, dict):
        return _text(place)
    address = place.get("address")
    if isinstance(address, dict):
        parts = (address.get(key) for key in ("addressLocality", "addressRegion", "addressCountry"))
        return ", ".join(_distinct(text for text in map(_text, parts) if text))
    return _text(address) or _text(place.get("name"))


def _address(place: Any) -> dict | str:
    """A Place as a mapping stated_places reads (a text where the place is only a name)."""
    address = place.get("address") if isinstance(place, dict) else None
    if not isinstance(address, dict):
        return _place(place)
    parts = ("city", "addressLocality"), ("region", "addressRegion"), ("country", "addressCountry")
    return {key: _text(address.get(name)) for key, name in parts}


def _employment_type(value: Any) -> EmploymentType | None:
    """schema.org gives FULL_TIME, CONTRACTOR, ... or a list of them: the first one known wins."""
    return next(filter(None, (employment_type(_text(kind)) for kind in _as_list(value))), None)


def _salary(value: Any) -> Salary | None:
    """A MonetaryAmount: a QuantitativeValue range or a single amount (both ends of the range)."""
    value = next((item for item in _as_list(value) if isinstance(item, dict)), None)
    if value is None:
        return None
    amount = value.get("value")
    if isinstance(amount, dict):
        low = number(amount.get("minValue", amount.get("value")))
        high, unit = number(amount.get("maxValue")), amount.get("unitText")
    else:
        low, high, unit = number(amount), None, value.get("unitText")
    if low is None:
        return None
    period = salary_period(_text(unit))
    return salary_range(
        low, high if high is not None else low, _text(value.get("currency")), period
    )


def _distinct(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))
