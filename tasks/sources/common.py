"""What the ATS adapters share: the posting loop, salary ranges, HTML to text, UTC timestamps."""

import logging
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

from pydantic import ValidationError

from tasks.models import Company, Posting, Salary, SalaryPeriod, Source

logger = logging.getLogger(__name__)

_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr"}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n- " if tag == "li" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, one line per block."""
    parser = _TextExtractor()
    parser.feed(markup or "")
    parser.close()
    lines = (
        re.sub(r"[ \t\r\f\v\xa0]+", " ", line).strip() for line in "".join(parser.parts).split("\n")
    )
    return "\n".join(line for line in lines if line and line != "-")


def parse_datetime(value: Any) -> datetime | None:
    """An ISO 8601 timestamp as an aware UTC datetime (naive taken as UTC); None if unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def jobs_of(payload: Any, source: Source) -> list:
    """The `jobs` list of a board payload; ValueError saying what came instead."""
    if not isinstance(payload, dict) or not isinstance(payload.get("jobs"), list):
        got = type(payload).__name__
        if isinstance(payload, dict):
            got += f" with keys {sorted(payload)[:5]}"
        raise ValueError(f"{source}: expected a JSON object with a 'jobs' list, got {got}")
    return payload["jobs"]


def to_postings(
    jobs: Iterable[Any], company: Company, source: Source, fields: Callable[[dict], dict | None]
) -> list[Posting]:
    """Map each job object with `fields` (None: skip it silently) to a Posting.

    A job without a title or URL, or whose fields do not validate, is skipped with a warning:
    one odd posting must not sink the board.
    """
    postings = []
    for job in jobs:
        if not isinstance(job, dict):
            logger.warning("%s %s: skipping a job that is not an object", source, company.name)
            continue
        values = fields(job)
        if values is None:
            continue
        try:
            postings.append(
                Posting(
                    company_id=company.company_id,
                    company=company.name,
                    source=source,
                    external_id=None if job.get("id") is None else str(job["id"]),
                    **values,
                )
            )
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()
            )
            logger.warning(
                "%s %s: skipping job %s: %s", source, company.name, job.get("id"), problems
            )
    return postings


def salary_range(low: Any, high: Any, currency: Any, period: SalaryPeriod | None) -> Salary | None:
    """A structured salary, or None when it states no usable amount.

    A minimum of 0 ("$0 - $500K") is a placeholder some boards publish, not a salary.
    """
    if low == 0:
        return None
    low, high = (
        v if isinstance(v, int | float) and not isinstance(v, bool) and v > 0 else None
        for v in (low, high)
    )
    if low is None and high is None:
        return None
    return Salary(min=low, max=high, currency=str(currency or "").upper() or None, period=period)
