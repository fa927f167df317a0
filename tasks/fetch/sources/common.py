"""What the ATS adapters share: URL shapes, paging, detail calls, XML, and building Postings.

Each adapter knows only its own API's field names; the rules that must not differ between sources
(what counts as a salary, how a date becomes UTC, which words mean "part-time" or "hybrid", when
paging stops) live here, once.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import re
import unicodedata
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html
from pydantic import ValidationError

from tasks.errors import FetchError
from tasks.models import (
    Company,
    EmploymentType,
    Location,
    Posting,
    RemotePolicy,
    Salary,
    SalaryPeriod,
    Source,
    country_code,
)

if TYPE_CHECKING:  # the fetch stage's client: its module is not needed to name a board
    from tasks.fetch.http import Fetcher

logger = logging.getLogger(__name__)

# A paged API that never ends must not keep a worker busy forever: no board is read past this many
# postings (the largest real boards hold a few thousand).
MAX_ITEMS = 10_000

_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr"}


# ---------------------------------------------------------------- URLs


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def on_hosts(url: str, hosts: Iterable[str]) -> bool:
    """Whether URL's host is one of `hosts`; an entry starting with "." matches any subdomain."""
    host = host_of(url)
    return any(host == h or (h.startswith(".") and host.endswith(h)) for h in hosts)


def segments(url: str) -> list[str]:
    return [s for s in urlsplit(url).path.split("/") if s]


def subdomain(url: str, suffix: str, reserved: frozenset[str] = frozenset()) -> str | None:
    """The company's label in a board host: "acme" of acme.recruitee.com (None if reserved)."""
    host = host_of(url)
    label = host.removesuffix(suffix) if host.endswith(suffix) else ""
    return label if label and label not in reserved else None


def subdomain_boards(
    source: Source, suffix: str, reserved: frozenset[str], api_path: str, what: str
) -> tuple[Callable[[str], str | None], Callable[..., str]]:
    """`board_url` and `api_url` of an ATS that serves each board on a subdomain of its own
    (acme.recruitee.com): the board is https://{name}{suffix}/ and its API that origin plus
    `api_path`, or {root}/{name}{api_path} on a mirror. `what` names the missing part in the
    error for a URL without a board ("company subdomain")."""

    def board_url(url: str) -> str | None:
        name = subdomain(url, suffix, reserved)
        return f"https://{name}{suffix}/" if name else None

    def api_url(careers_url: str, root: str | None = None) -> str:
        name = subdomain(careers_url, suffix, reserved)
        if not name:
            raise no_board(source, what, careers_url)
        return board_origin(root, name, f"https://{name}{suffix}") + api_path

    return board_url, api_url


def no_board(source: Source, what: str, careers_url: str) -> ValueError:
    return ValueError(f"{source}: no {what} in careers URL {careers_url!r}")


def api_base(root: str | None, default: str) -> str:
    """Where an API is served: `root` (a mirror, the sample site) or the ATS's own origin."""
    return (root or default).rstrip("/")


def board_origin(root: str | None, name: str, origin: str) -> str:
    """Where a subdomain ATS serves a board: its own `origin`, or {root}/{name} on a mirror."""
    return f"{root.rstrip('/')}/{name}" if root else origin


def with_query(url: str, **params: Any) -> str:
    """URL with these query parameters set, the others it had kept."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += [(k, str(v)) for k, v in params.items()]
    return urlunsplit(parts._replace(query=urlencode(query)))


def under(url: str, *path: str) -> str:
    """URL's path extended by `path` (each part quoted), its query dropped: a detail endpoint."""
    parts = urlsplit(url)
    tail = "".join("/" + quote(str(p).strip("/"), safe="/%") for p in path)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + tail, query=""))


# ---------------------------------------------------------------- values


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


def html_document(markup: str) -> Any:
    """A page as an lxml document; an empty one where it cannot be parsed."""
    try:
        return lxml_html.document_fromstring(
            markup.encode("utf-8"), lxml_html.HTMLParser(encoding="utf-8")
        )
    except (etree.ParserError, ValueError):
        return lxml_html.document_fromstring(b"<html><body></body></html>")


def sections_text(sections: Iterable[tuple[Any, Any]]) -> str:
    """(heading, HTML) pairs as one plain text, each section under its heading."""
    parts = []
    for heading, markup in sections:
        text = html_to_text(str(markup or ""))
        if text:
            title = str(heading or "").strip()
            parts.append(f"{title}\n{text}" if title else text)
    return "\n\n".join(parts)


def text_of(value: Any) -> str | None:
    """A stripped string, or None for empty values and anything that is not a string."""
    return (value.strip() or None) if isinstance(value, str) else None


def join_location(*parts: Any) -> str | None:
    """A place from its parts, "Berlin, Germany", skipping empty and repeated ones."""
    unique = dict.fromkeys(text for part in parts if (text := text_of(part)))
    return ", ".join(unique) or None


def places(*names: Any) -> str | None:
    """Several places as one location, "Berlin; Munich" (repeats and empty names dropped)."""
    unique = dict.fromkeys(text for name in names if (text := text_of(name)))
    return "; ".join(unique) or None


def parse_datetime(value: Any) -> datetime | None:
    """A timestamp as an aware UTC datetime; None if unreadable.

    Takes ISO 8601 (a bare date is midnight UTC, a naive time is UTC), "2025-10-20 10:11:12 UTC"
    (Recruitee) and RFC 822 dates (RSS pubDate).
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(re.sub(r"\s*(Z|UTC)$", "+00:00", text))
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def number(value: Any) -> float | None:
    """A number, also from a numeric string ("18.50", "60,000"); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", ""))
        except ValueError:
            return None
    return None


def salary_range(low: Any, high: Any, currency: Any, period: SalaryPeriod | None) -> Salary | None:
    """A structured salary, or None when it states no usable amount.

    A minimum of 0 ("$0 - $500K") is a placeholder some boards publish, not a salary.
    """
    low, high = number(low), number(high)
    if low == 0:
        return None
    low, high = (v if v is not None and v > 0 else None for v in (low, high))
    if low is None and high is None:
        return None
    return Salary(min=low, max=high, currency=str(currency or "").upper() or None, period=period)


_PERIODS = [
    ("hour", SalaryPeriod.hour),
    ("day", SalaryPeriod.day),
    ("daily", SalaryPeriod.day),
    ("week", SalaryPeriod.week),
    ("month", SalaryPeriod.month),
    ("year", SalaryPeriod.year),
    ("annual", SalaryPeriod.year),
]


def salary_period(value: Any) -> SalaryPeriod | None:
    """Every ATS spells pay periods its own way ("per-year-salary", "1 YEAR", "year")."""
    text = str(value or "").lower()
    return next((period for word, period in _PERIODS if word in text), None)


# Companies name employment types themselves, in their own language ("CDI", "Werkstudent",
# "fulltime_permanent", "FullTime"); the first entry whose word is in the label wins, so "fixed-term
# full-time" is temporary, "permanent part-time" part-time and "part-time internship" an internship.
# Whole words only: "Unbefristet" (permanent) is not "befristet" (fixed-term), "International" is
# no internship. German compounds match by their start ("Vollzeitstelle", "Praktikumsplatz").
# Apprenticeships (Alternance, Ausbildung) count as internships: EmploymentType has no closer kind.
# Dutch and Spanish too: "vast" (permanent), "tijdelijk", "deeltijd", "indefinido", "prácticas".
_EMPLOYMENT = [
    (
        re.compile(
            r"\b(?:interns?|internships?|trainees?|traineeships?|apprentices?|apprenticeships?"
            r"|stage|stages|stagiaires?|alternance|apprentissage|praktik\w*|pflichtpraktik\w*"
            r"|ausbildung\w*|azubi\w*|stagiairs?|afstudeerstage|becari[oa]s?|practicas)\b"
        ),
        EmploymentType.internship,
    ),
    (re.compile(r"\b(?:working student|werkstudent\w*)\b"), EmploymentType.part_time),
    (
        re.compile(
            r"\b(?:fixed term|fixedterm|temporary|temp|cdd|befristet\w*|tijdelijk\w*"
            r"|bepaalde tijd|temporal)\b"
        ),
        EmploymentType.temporary,
    ),
    (
        re.compile(
            r"\b(?<!vast )(?<!vaste )(?:contract|contracts|contractor|freelance|freelancer"
            r"|freiberuflich\w*|zzp|autonomo)\b"  # a "vast contract" is permanent
        ),
        EmploymentType.contract,
    ),
    (
        re.compile(
            r"\b(?:part|parttime|teilzeit\w*|minijob\w*|temps partiel|mi temps|deeltijd\w*"
            r"|bijbaan|media jornada|jornada parcial)\b"
        ),
        EmploymentType.part_time,
    ),
    (
        re.compile(
            r"\b(?:full|fulltime|permanent|vollzeit\w*|unbefristet\w*|festanstellung|cdi"
            r"|temps plein|voltijd\w*|vaste?|onbepaalde tijd|jornada completa|indefinido)\b"
        ),
        EmploymentType.full_time,
    ),
]


def employment_type(value: Any) -> EmploymentType | None:
    """An employment label ("Full-time", "CDI", "Werkstudent", "parttime_fixed_term") as a type."""
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(value or ""))  # "FullTime": two words
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    words = " ".join(re.sub(r"[\W_]+", " ", bare.lower()).split())  # "prácticas": practicas
    return next((kind for pattern, kind in _EMPLOYMENT if pattern.search(words)), None)


_WORKPLACE = {
    "remote": RemotePolicy.remote,
    "fullyremote": RemotePolicy.remote,
    "fully": RemotePolicy.remote,  # Teamtailor's remoteStatus
    "hybrid": RemotePolicy.hybrid,
    "onsite": RemotePolicy.onsite,
    "none": RemotePolicy.onsite,  # Teamtailor: no remote work
}


def remote_policy(value: Any) -> RemotePolicy | None:
    """A workplace label as a RemotePolicy: the ATS enums ("On-site", "hybrid", "fully"), then
    the words employers write in labels of their own ("Flex", "Hybrid Remote", "Remote - US",
    "In Office"; "Not remote" says nothing)."""
    text = str(value or "").lower()
    if policy := _WORKPLACE.get("".join(ch for ch in text if ch.isalnum())):
        return policy
    words = re.sub(r"[^a-z0-9]+", " ", text).strip()
    if re.search(r"\b(?:hybrid|flex\w*)\b", words):
        return RemotePolicy.hybrid
    if re.search(r"\bremote\b", words):
        return None if re.match(r"(?:no|not|non)\b", words) else RemotePolicy.remote
    if re.search(r"\b(?:onsite|on site|in office|office based|in person)\b", words):
        return RemotePolicy.onsite
    return None


def remote_from_flags(remote: Any, hybrid: Any, onsite: Any = None) -> RemotePolicy | None:
    """Boolean workplace flags as a RemotePolicy; only a flag that is `true` states anything."""
    for flag, policy in ((hybrid, "hybrid"), (remote, "remote"), (onsite, "onsite")):
        if flag is True:
            return RemotePolicy(policy)
    return None


# Not places: what employers type into the city or region of a remote posting.
_NO_PLACE = frozenset({"remote", "hybrid", "anywhere", "home office", "homeoffice"})


def stated_places(*places: Any) -> list[Location]:
    """Every place a source lists a posting in, as Locations, deduplicated, in order (ten at
    most): a text is read as the rules backend reads a location field ("Berlin, Germany", "New
    York, NY; Austin, TX"); a mapping gives `city`, `region` and `country` (a code or a name)
    itself. Unusable entries (empty, a country that is no country, a city of "Remote") are left
    out."""
    from tasks.enrich.rules import parse_locations  # pycountry: only where a source has places

    found: list[Location] = []
    for place in places:
        if isinstance(place, dict):
            country = country_code(str(place.get("country") or ""))
            fields = {key: _named(place.get(key)) for key in ("city", "region")}
            named = any(fields.values()) or country
            located = [Location(**fields, country=country)] if named else []
        else:
            located = parse_locations(str(place or ""))
        for place in located:
            same = next((i for i, known in enumerate(found) if _same(place, known)), None)
            if same is None:
                found.append(place)
            elif found[same].region is None:  # the fuller name of it wins
                found[same] = place
    return found[:10]


def _named(value: Any) -> str | None:
    text = str(value or "").strip()
    return None if text.lower() in _NO_PLACE else text or None


def _same(a: Location, b: Location) -> bool:
    """One place named twice, perhaps once without its region ("New York" and "New York, NY")."""
    return (a.city, a.country) == (b.city, b.country) and (
        a.region == b.region or None in (a.region, b.region)
    )


# ---------------------------------------------------------------- payloads


def as_dict(value: Any) -> dict:
    """An API's object, or {} where it sent something else (null, a list, a string)."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list:
    """An API's list, or [] where it sent something else."""
    return value if isinstance(value, list) else []


def describe(payload: Any) -> str:
    got = type(payload).__name__
    if isinstance(payload, dict):
        got += f" with keys {sorted(payload)[:5]}"
    return got


def list_in(payload: Any, source: Source, key: str = "jobs") -> list:
    """The `key` list of a JSON object; ValueError saying what came instead."""
    if not isinstance(payload, dict) or not isinstance(payload.get(key), list):
        raise ValueError(
            f"{source}: expected a JSON object with a '{key}' list, got {describe(payload)}"
        )
    return payload[key]


def jobs_of(payload: Any, source: Source) -> list:
    return list_in(payload, source, "jobs")


def parse_xml(payload: Any, source: Source, *root_tags: str) -> etree._Element:
    """An XML feed's root element, one of `root_tags`, read without DTDs, entity expansion or
    network access."""
    wanted = " or ".join(f"<{tag}>" for tag in root_tags)
    if isinstance(payload, str):
        data, encoding = payload.encode(), "utf-8"  # already decoded: ignore the declaration
    elif isinstance(payload, bytes):
        data, encoding = payload, None
    else:
        raise ValueError(f"{source}: expected an XML {wanted} document, got {describe(payload)}")
    parser = etree.XMLParser(
        encoding=encoding, resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        start = data[:60].decode("utf-8", "replace")
        raise ValueError(
            f"{source}: expected an XML {wanted} document, got {start!r} ({exc})"
        ) from exc
    if root is None or etree.QName(root).localname not in root_tags:
        got = "nothing" if root is None else f"<{etree.QName(root).localname}>"
        raise ValueError(f"{source}: expected an XML {wanted} document, got {got}")
    return root


def xml_text(element: etree._Element, path: str) -> str | None:
    """The stripped text at `path` ("{*}name" matches any namespace), or None."""
    return text_of(element.findtext(path))


def to_postings(
    jobs: Iterable[Any], company: Company, source: Source, fields: Callable[[dict], dict | None]
) -> list[Posting]:
    """Map each job object with `fields` (None: skip it silently) to a Posting.

    The job's `id` is its external id unless `fields` names one. A job without a title or URL,
    or whose fields do not validate, is skipped with a warning: one odd posting must not sink
    the board.
    """
    postings = []
    for job in jobs:
        if not isinstance(job, dict):
            logger.warning("%s %s: skipping a job that is not an object", source, company.name)
            continue
        values = fields(job)
        if values is None:
            continue
        values.setdefault("external_id", None if job.get("id") is None else str(job["id"]))
        if posting := new_posting(company, source, f"job {values['external_id']}", values):
            postings.append(posting)
    return postings


@dataclass
class ReadNotes:
    """What reading a company's postings came across besides them, for the company's report."""

    rejected: list[str] = field(default_factory=list)  # postings that did not validate
    skipped: list[str] = field(default_factory=list)  # "reason (where)": what could not be read


_notes: ContextVar[ReadNotes | None] = ContextVar("read_notes", default=None)


@contextmanager
def collect_notes() -> Iterator[ReadNotes]:
    """Collect what `new_posting` rejects and what `collect_pages` could not read in this context
    (and in the tasks it starts): the company's report counts the first; the second makes the
    company partial."""
    notes = ReadNotes()
    token = _notes.set(notes)
    try:
        yield notes
    finally:
        _notes.reset(token)


def new_posting(company: Company, source: Source, where: str, fields: dict) -> Posting | None:
    """A Posting of `company` from `fields`, or None (with a warning saying where and why) when
    they do not validate: one odd posting must not sink the rest."""
    try:
        return Posting(company_id=company.company_id, company=company.name, source=source, **fields)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        logger.warning("%s %s: skipping %s: %s", source, company.name, where, problems)
        if (notes := _notes.get()) is not None:
            notes.rejected.append(f"{problems} ({where})")
        return None


# ---------------------------------------------------------------- fetching

Page = tuple[list, int | None]  # one page's items, and the total the API announces (if any)


def single_json(
    parse: Callable[[Any, Company], list[Posting]],
) -> Callable[[Fetcher, str, Company], Awaitable[list[Posting]]]:
    """The `fetch` of an API that serves the whole board in one JSON response."""

    async def fetch(fetcher: Fetcher, url: str, company: Company) -> list[Posting]:
        return parse(await fetcher.get_json(url), company)

    return fetch


XML_TYPES = "application/rss+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"


async def get_xml(fetcher: Fetcher, url: str) -> bytes:
    """An ATS's XML feed, raw: the parser, not the HTTP layer, honours its declared encoding."""
    return (await fetcher.request("GET", url, accept=XML_TYPES, api=True)).content


async def collect_pages(
    read_page: Callable[[int], Awaitable[Page]], page_size: int, source: Source
) -> list:
    """Every item of a paged list, reading pages from offset 0.

    Stops at the total the first page announces (Workday states it on the first page only), at a
    short page when there is no total, at a page with nothing new (an API that ignores the offset
    would otherwise be read forever), or once MAX_ITEMS items' worth of pages have been read.

    A short read is not a full read: a later page that fails, or paging that ends before the
    announced total, is noted as skipped (the company is then partial, so nothing is closed on
    the strength of it) and the items read so far are kept. A first page that fails fails all.
    """
    items: list = []
    seen: set[str] = set()
    offset, total = 0, None
    pages = -(-MAX_ITEMS // page_size)
    for page in range(pages):
        try:
            batch, announced = await read_page(offset)
        except FetchError as exc:
            if page == 0:
                raise
            note_skipped(f"{source}: items from offset {offset} on not read: {exc}")
            return items
        if page == 0:
            total = announced if isinstance(announced, int) and announced > 0 else None
        new = []
        for item in batch:
            key = json.dumps(item, sort_keys=True, default=str)
            if key not in seen:
                seen.add(key)
                new.append(item)
        items += new
        offset += len(batch)
        if not new or (offset >= total if total else len(batch) < page_size):
            if total and len(items) < total:
                note_skipped(
                    f"{source}: the board announced {total} postings; paging ended at {offset}"
                )
            return items
    logger.warning("%s: stopped after %d pages (%d items)", source, pages, len(items))
    note_skipped(f"{source}: stopped after {pages} pages ({len(items)} items)")
    return items


def note_skipped(reason: str) -> None:
    """Say that part of the board was not read: the company's read is then partial."""
    logger.warning("%s", reason)
    if (notes := _notes.get()) is not None:
        notes.skipped.append(reason)


async def details(
    fetcher: Fetcher,
    urls: list[str],
    *,
    optional: bool = False,
    read: Callable[[str], Awaitable[Any]] | None = None,
) -> list[Any]:
    """The detail documents at `urls`, read concurrently (the fetcher keeps each host's limits)
    with `read` (default: the JSON of an API; an ATS that has only HTML job pages passes a page
    reader).

    A posting closed between the list and its detail call (404 or 410) comes back as None; any
    other failure is the board's failure, unless the details are `optional` extras (a posting
    is whole without them): then it is logged and comes back as None too.
    """
    gate = asyncio.Semaphore(max(1, fetcher.settings.page_concurrency))
    read = read or fetcher.get_json

    async def one(url: str) -> Any:
        async with gate:
            try:
                return await read(url)
            except FetchError as exc:
                if exc.http_status in (404, 410):
                    logger.info("posting closed since it was listed: %s", exc)
                    return None
                if optional:
                    logger.warning("detail not read, the posting goes on without it: %s", exc)
                    return None
                raise

    tasks = [asyncio.ensure_future(one(url)) for url in urls]
    try:
        return await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        raise


async def with_details(
    fetcher: Fetcher,
    jobs: list,
    detail_url: Callable[[dict], str | None],
    detail_fields: Callable[[Any], dict],
    source: Source,
    read: Callable[[str], Awaitable[Any]] | None = None,
) -> list:
    """The listed jobs, each merged with the fields of its detail document (read with `read`,
    as `details` reads them).

    An entry with no detail URL goes on as listed (to_postings then says why it skips it); a
    posting closed since it was listed is left out. When every detail is gone, the detail URLs
    are wrong rather than the postings closed: that is an error, not an empty board (which would
    close every posting the dataset holds).
    """
    urls = [detail_url(job) if isinstance(job, dict) else None for job in jobs]
    wanted = [url for url in urls if url]
    fetched = await details(fetcher, wanted, read=read)
    if wanted and all(detail is None for detail in fetched):
        raise ValueError(f"{source}: all {len(wanted)} posting details are gone, e.g. {wanted[0]}")
    remaining = iter(fetched)
    merged = []
    for job, url in zip(jobs, urls, strict=True):
        if not url:
            merged.append(job)
        elif (detail := next(remaining)) is not None:
            merged.append({**job, **detail_fields(detail)})
    return merged
