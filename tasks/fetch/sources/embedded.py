"""Job lists a careers page carries as data for its own JavaScript.

Single-page career sites often render their openings from app state shipped inside the HTML, with
links that say nothing about jobs (or no links at all). That state is read here:

- Next.js (pages router): `<script id="__NEXT_DATA__" type="application/json">`.
- Nuxt 3: `<script id="__NUXT_DATA__" type="application/json">` (or `data-nuxt-data`), a payload
  flattened by `devalue`, revived here without running JavaScript.
- Inline assignments `(window.|self.|globalThis.)?__NAME__ = <JSON>` and
  `__NAME__ = JSON.parse("<JSON>")`: Redux, Vuex, Apollo caches (whose `__ref`s are resolved).
- Any other `<script type="application/json">` (JSON-LD is read by the crawler itself).

Not read: Nuxt 2's `window.__NUXT__=(function(a,b){...}(...))` and other state written as
JavaScript rather than JSON (reading it would take a JavaScript engine), and the Next.js app
router's `self.__next_f.push(...)` flight stream. Unreadable blocks are skipped, never raised.

In that JSON a list is a job list when at least half its objects look like postings (a title and
some job field) and either its key names jobs or its objects carry two kinds of job fields: lists
of offices, departments, menu links or blog posts do not pass.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from tasks.fetch.sources.common import (
    employment_type,
    html_to_text,
    join_location,
    parse_datetime,
    places,
    remote_from_flags,
    remote_policy,
    salary_period,
    salary_range,
    stated_places,
)
from tasks.models import EmploymentType, RemotePolicy, Salary

log = logging.getLogger(__name__)

# App state can be megabytes: no document is walked past this many nodes or this depth.
MAX_NODES = 200_000
MAX_DEPTH = 50

_DECODER = json.JSONDecoder(strict=False)  # raw newlines and tabs inside strings occur
_ASSIGNMENT = re.compile(
    r"(?:\b(?:window|self|globalThis)\s*\.\s*|(?<![\w.$]))__[A-Za-z][\w$]*__\s*=(?!=)\s*"
)
_JSON_PARSE = re.compile(r"JSON\.parse\(\s*")

# ---------------------------------------------------------------- what a job looks like


def _norm(key: str) -> str:
    """jobId, job_id and JobID alike."""
    return re.sub(r"[^a-z0-9]", "", key.lower())


# Words whose presence as a list's head noun says the list holds postings.
_JOB_WORDS = frozenset(
    {"job", "jobs", "position", "positions", "opening", "openings", "vacancy", "vacancies"}
    | {"posting", "postings", "role", "roles", "offer", "offers", "career", "careers"}
    | {"requisition", "requisitions", "opportunity", "opportunities", "listings"}
    | {"stellen", "stellenangebote", "offres", "ofertas", "empleos", "vagas", "vacatures"}
)
# Wrappers around a list that say nothing themselves: `jobs: {items: [...]}` is a job list.
_CONTAINERS = frozenset(
    {"list", "items", "data", "results", "edges", "nodes", "entries", "records", "hits"}
    | {"content", "collection", "all", "page"}
)
_TITLE_KEYS = ("title", "jobtitle", "positiontitle", "postingtitle", "positionname", "text")
# Kinds of job fields; a list of objects with two kinds is a job list whatever its key says.
# Dates are one kind, so blog posts (publishedAt, createdAt) are not.
_JOBISH = {
    "org": ("department", "departments", "team", "teams"),
    "place": ("location", "locations", "office", "offices", "locationname"),
    "kind": ("employmenttype", "commitment", "jobtype", "contracttype", "timetype"),
    "workplace": ("workplacetype", "remote", "isremote", "locationtype", "remotetype"),
    "id": ("jobid", "requisitionid", "reqid", "jobreqid", "shortcode"),
    "apply": ("applyurl", "hostedurl", "absoluteurl", "joburl"),
    "date": ("dateposted", "postedat", "publishedat", "createdat", "posteddate", "postedon"),
    "pay": ("salary", "compensation", "salaryrange", "pay"),
}
_KIND_OF = {key: kind for kind, keys in _JOBISH.items() for key in keys}
# A team page's people have a title, a department and a location too; these keys give them away.
_PERSON_KEYS = frozenset(
    {"avatar", "photo", "headshot", "bio", "firstname", "lastname", "linkedin"}
)

_URL_KEYS = (
    *("url", "absoluteurl", "hostedurl", "joburl", "canonicalurl", "permalink", "detailurl"),
    *("href", "link", "path", "applyurl"),
)
_ID_KEYS = ("id", "jobid", "requisitionid", "uuid", "shortcode", "slug")
_DEPARTMENT_KEYS = ("department", "departments", "team", "teams")
_DESCRIPTION_KEYS = ("description", "descriptionhtml", "descriptionplain", "content", "body")
_DATE_KEYS = _JOBISH["date"]
_WORKPLACE_KEYS = ("workplacetype", "locationtype", "remotetype", "remote")
_EMPLOYMENT_KEYS = _JOBISH["kind"]
_SALARY_KEYS = _JOBISH["pay"]
_LOW_KEYS = ("min", "minvalue", "minimum", "minamount", "from")
_HIGH_KEYS = ("max", "maxvalue", "maximum", "maxamount", "to")
# Salaries stated as the item's own fields: only names that say salary ("to" could be anything).
_ITEM_LOW_KEYS = ("salarymin", "minsalary", "salaryfrom")
_ITEM_HIGH_KEYS = ("salarymax", "maxsalary", "salaryto")
_CURRENCY_KEYS = ("currency", "currencycode", "salarycurrency")
_PERIOD_KEYS = ("period", "interval", "unit", "unittext", "frequency", "salaryperiod")


def _head_word(key: str) -> str:
    """The noun a key is about: "jobs" for allJobs, job_postings_list and jobs({"first":20})."""
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+", key.split("(")[0])
    nouns = [word.lower() for word in words]
    while nouns and nouns[-1] in _CONTAINERS:
        nouns.pop()
    return nouns[-1] if nouns else ""


def _is_job_word(key: str) -> bool:
    return _head_word(key) in _JOB_WORDS


class _Item:
    """A JSON object with its keys normalised, looked up by any spelling of them. Lever keeps
    department, team, location and commitment under `categories`; they count as the item's own."""

    def __init__(self, raw: dict):
        categories = raw.get("categories")
        merged = {**categories, **raw} if isinstance(categories, dict) else raw
        self.fields = {_norm(str(key)): value for key, value in merged.items()}

    def get(self, *keys: str) -> Any:
        """The first of `keys` with a value."""
        return next((v for key in keys if (v := self.fields.get(key)) not in (None, "", [])), None)

    def title(self, named_list: bool) -> str | None:
        keys = (*_TITLE_KEYS, "name") if named_list else _TITLE_KEYS
        return next(filter(None, (_label(self.fields.get(key)) for key in keys)), None)

    def job_kinds(self) -> set[str]:
        """The kinds of job fields the item has; none for a person."""
        if not _PERSON_KEYS.isdisjoint(self.fields):
            return set()
        return {_KIND_OF[key] for key, value in self.fields.items() if key in _KIND_OF and value}


def _label(value: Any) -> str | None:
    """A value's display text: a string, or the name of an object ({name}, {label}, WordPress's
    {rendered})."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict):
        keys = ("name", "title", "label", "text", "value", "rendered")
        return next(filter(None, (_label(value.get(key)) for key in keys)), None)
    return None


# ---------------------------------------------------------------- the public function


def embedded_jobs(tree: Any, page_url: str) -> list[dict]:
    """Posting fields (for tasks.fetch.sources.common.new_posting) of every job in the page's
    embedded app data, in page order, each job once however often the state repeats it.

    An item without a URL takes the page link whose path ends in its slug or id, else the page
    URL with its id as fragment; an item with neither URL nor id is left out.
    """
    base = _base(tree, page_url)
    links = _page_links(tree, base)
    jobs: list[dict] = []
    seen: set[tuple] = set()
    for document in _documents(tree, page_url):
        for key, items in _job_lists(document):
            named = _is_job_word(key)
            for item in items:
                fields = _fields(item, named, page_url, base, links)
                if fields is None:
                    continue
                identity = (fields["url"], fields["title"], fields.get("external_id"))
                if identity not in seen:
                    seen.add(identity)
                    jobs.append(fields)
    return jobs


def _base(tree: Any, page_url: str) -> str:
    base = tree.xpath("string(//base/@href)").strip()
    return urljoin(page_url, base) if base else page_url


def _page_links(tree: Any, base: str) -> list[str]:
    urls = (urljoin(base, href.strip()) for href in tree.xpath("//a/@href"))
    return list(dict.fromkeys(url for url in urls if url.startswith(("http://", "https://"))))


# ---------------------------------------------------------------- reading the blocks


def _documents(tree: Any, page_url: str) -> Iterator[Any]:
    """Every JSON document of the page's scripts, in page order."""
    for script in tree.xpath("//script"):
        text = (script.text or "").strip()
        kind = (script.get("type") or "").strip().lower()
        if not text or "ld+json" in kind:
            continue
        if "json" in kind:
            try:
                document = _DECODER.raw_decode(text)[0]
            except (ValueError, RecursionError) as exc:
                log.warning(
                    "unreadable JSON script %s skipped on %s: %s",
                    _script_name(script),
                    page_url,
                    exc,
                )
                continue
            nuxt = script.get("id") == "__NUXT_DATA__" or script.get("data-nuxt-data") is not None
            yield _unflatten(document) if nuxt else document
        elif kind in ("", "text/javascript", "application/javascript", "module"):
            yield from _assignments(text, page_url)


def _script_name(script: Any) -> str:
    return f"#{script.get('id')}" if script.get("id") else "(no id)"


def _assignments(text: str, page_url: str) -> Iterator[Any]:
    """The JSON values a script assigns to `__NAME__` globals, directly or through JSON.parse."""
    at = 0
    while match := _ASSIGNMENT.search(text, at):
        at = match.end()
        try:
            if parse := _JSON_PARSE.match(text, at):
                literal, at = _js_string(text, parse.end())
                document = _DECODER.decode(literal)
            else:
                document, at = _DECODER.raw_decode(text, at)
        except (ValueError, RecursionError):
            # Most such assignments are JavaScript, not JSON (Nuxt 2's state is a function call).
            log.debug("no JSON assigned at %r on %s", match.group().strip(), page_url)
            continue
        yield _resolve_apollo(document)


def _js_string(text: str, at: int) -> tuple[str, int]:
    """The value of the JavaScript string literal at `at` ('...' or "...") and the index after
    it. Its escapes are rewritten as JSON's and the result decoded by the JSON decoder."""
    quote = text[at : at + 1]
    if quote not in ("'", '"'):
        raise ValueError("JSON.parse of something other than a string literal")
    out, i = ['"'], at + 1
    while i < len(text) and text[i] != quote:
        char = text[i]
        if char == "\\":
            escaped = text[i + 1 : i + 2]
            out.append({"'": "'", "x": "\\u00", "\n": ""}.get(escaped, "\\" + escaped))
            i += 2
            continue
        out.append('\\"' if char == '"' else char)
        i += 1
    if i >= len(text):
        raise ValueError("unterminated string literal")
    return _DECODER.decode("".join(out) + '"'), i + 1


# ---------------------------------------------------------------- Nuxt's devalue payload

_EMPTY_REFS = frozenset({"EmptyRef", "EmptyShallowRef"})
_LITERALS = frozenset({"Date", "BigInt", "RegExp", "Object"})  # their argument is a value


def _unflatten(payload: Any) -> Any:
    """A `devalue` payload as the value it flattens. Index 0 is the root; an object's values and
    an array's items are indexes into the payload; negative indexes are undefined, holes, NaN
    and infinities (None here); ["Type", ...] arrays are Dates, Sets, Maps, null-prototype
    objects, or Nuxt's reactive wrappers (Reactive, ShallowReactive, Ref, ...), which are
    unwrapped. A value is revived once, so shared and cyclic references stay shared; the depth
    bound cuts cycles through wrappers."""
    if not isinstance(payload, list) or not payload:
        return None
    revived: dict[int, Any] = {}

    def revive(index: Any, depth: int) -> Any:
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(payload):
            return None
        if index in revived:
            return revived[index]
        if depth > MAX_DEPTH:
            return None
        value = payload[index]
        if isinstance(value, list) and value and isinstance(value[0], str):
            revived[index] = _special(value, lambda i: revive(i, depth + 1))
        elif isinstance(value, list):
            revived[index] = items = []
            items.extend(revive(i, depth + 1) for i in value)
        elif isinstance(value, dict):
            revived[index] = fields = {}
            fields.update((key, revive(i, depth + 1)) for key, i in value.items())
        else:
            return value
        return revived[index]

    return revive(0, 0)


def _special(value: list, revive: Callable[[Any], Any]) -> Any:
    """A ["Type", ...] entry of a devalue payload."""
    kind, args = value[0], value[1:]
    if kind in _LITERALS:
        return args[0] if args else None  # a Date as its ISO text: what parse_datetime reads
    if kind == "Set":
        return [revive(i) for i in args]
    if kind in ("Map", "null"):  # key/value pairs; Map keys are indexes, null-object keys text
        keys = (revive(k) if kind == "Map" else k for k in args[::2])
        return {str(key): revive(i) for key, i in zip(keys, args[1::2], strict=False)}
    if kind in _EMPTY_REFS:
        return None  # a ref whose value is falsy by definition: nothing to read
    # Reactive, ShallowReactive, Ref, ShallowRef, NuxtError and app-defined wrappers of one value.
    return revive(args[0]) if len(args) == 1 else None


# ---------------------------------------------------------------- Apollo's normalised cache


def _resolve_apollo(document: Any) -> Any:
    """Apollo's cache keeps each entity once at the top level ("Job:1") and refers to it as
    {"__ref": "Job:1"} (Apollo 2: {"type": "id", "id": "Job:1"}); put the entities in place."""
    if not isinstance(document, dict) or "ROOT_QUERY" not in document:
        return document
    stack, visited = [document], 0
    while stack and visited < MAX_NODES:
        node = stack.pop()
        visited += 1
        pairs = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in list(pairs):
            if (target := _ref(value, document)) is not None:
                node[key] = target
            elif isinstance(value, dict | list):
                stack.append(value)
    return document


def _ref(value: Any, entities: dict) -> Any:
    if not isinstance(value, dict):
        return None
    key = value.get("__ref") or (value.get("id") if value.get("type") == "id" else None)
    return entities.get(key) if isinstance(key, str) else None


# ---------------------------------------------------------------- finding the job lists


def _job_lists(document: Any) -> Iterator[tuple[str, list[_Item]]]:
    """(key, job-like items) of each job list in `document`, depth first in document order. A
    list found is not searched further (its jobs' own lists are no job lists); an object reached
    twice is read once."""
    stack: list[tuple[str, Any, int]] = [("", document, 0)]
    seen: set[int] = set()
    while stack and len(seen) < MAX_NODES:
        key, node, depth = stack.pop()
        if id(node) in seen or depth > MAX_DEPTH:
            continue
        seen.add(id(node))
        if isinstance(node, list):
            if jobs := _jobs_in(key, node):
                yield key, jobs
                continue
            children = [(key, child) for child in node]
        else:
            children = [(_inherit(key, str(name)), child) for name, child in node.items()]
        stack.extend(
            (name, child, depth + 1)
            for name, child in reversed(children)
            if isinstance(child, dict | list)
        )


def _inherit(parent: str, key: str) -> str:
    """The key a value is known by: a wrapper's (`items`, `edges`, `data`) is its parent's."""
    return parent if _norm(key) in _CONTAINERS else key


def _jobs_in(key: str, values: list) -> list[_Item]:
    """The job-like items of a list that is a job list, else []. GraphQL connections
    (edges of {node}) are read through."""
    nodes = [value.get("node") if isinstance(value, dict) else None for value in values]
    if values and sum(isinstance(node, dict) for node in nodes) * 2 >= len(values):
        values = nodes
    items = [_Item(value) for value in values if isinstance(value, dict)]
    named = _is_job_word(key)
    jobs = [item for item in items if item.title(named) and item.job_kinds()]
    if not jobs or len(jobs) * 2 < len(values):
        return []
    return jobs if named or all(len(item.job_kinds()) >= 2 for item in jobs) else []


# ---------------------------------------------------------------- one job's fields


def _fields(item: _Item, named: bool, page_url: str, base: str, links: list[str]) -> dict | None:
    """The posting fields an item states, or None when it has neither URL nor id."""
    external_id = _label(item.get(*_ID_KEYS))
    url = _url(item, base) or _linked(item, links)
    if url is None and external_id is None:
        return None
    fields: dict[str, Any] = {
        "title": item.title(named),
        "url": url or urlunsplit(urlsplit(page_url)._replace(fragment=external_id)),
        "external_id": external_id,
        "department": _department(item),
        "description": _description(item),
        "posted_at": _posted_at(item.get(*_DATE_KEYS)),
        "remote": _remote(item),
        "employment_type": _employment(item.get(*_EMPLOYMENT_KEYS)),
        "salary": _salary(item),
        **_places(item.get("locations", "location", "offices", "office", "locationname")),
    }
    return {key: value for key, value in fields.items() if value not in (None, "", [])}


def _url(item: _Item, base: str) -> str | None:
    for key in _URL_KEYS:
        if isinstance(value := item.fields.get(key), str) and value.strip():
            url = urljoin(base, value.strip())
            if url.startswith(("http://", "https://")):
                return url
    return None


def _linked(item: _Item, links: list[str]) -> str | None:
    """The page's link to the item: the one whose last path segment is its slug or id, or ends
    in "-{id}" (/jobs/senior-engineer-4711). Ids of one or two characters would match page
    numbers and such, so they are not looked for."""
    tokens = [
        t for key in ("slug", "id", "jobid") if len(t := _label(item.fields.get(key)) or "") > 2
    ]
    for url in links:
        last = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
        if any(last == token or last.endswith(f"-{token}") for token in tokens):
            return url
    return None


def _places(value: Any) -> dict:
    """`location` text and `locations` from a string, a {name} or {city, region, country}
    object, or a list of either."""
    entries = value if isinstance(value, list) else [value]
    names, stated = [], []
    for entry in entries:
        if isinstance(entry, dict):
            place = _Item(entry)
            parts = {
                "city": _label(place.get("city")),
                "region": _label(place.get("region", "state")),
                "country": _label(place.get("countrycode", "country")),
            }
            name = _label(place.get("name"))
            names.append(name or join_location(*parts.values()))
            stated.append(parts if any(parts.values()) else name)
        elif (name := _label(entry)) is not None:
            names.append(name)
            stated.append(name)
    location = places(*names)
    return {"location": location, "locations": stated_places(*stated)} if location else {}


def _department(item: _Item) -> str | None:
    value = item.get(*_DEPARTMENT_KEYS)
    names = [_label(entry) for entry in (value if isinstance(value, list) else [value])]
    return ", ".join(dict.fromkeys(name for name in names if name)) or None


def _description(item: _Item) -> str | None:
    value = item.get(*_DESCRIPTION_KEYS)
    return html_to_text(value) if isinstance(value, str) else None


def _posted_at(value: Any) -> datetime | None:
    """An ISO or RFC 822 date, or epoch seconds or milliseconds (Lever's createdAt)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        seconds = value / 1000 if value > 10**11 else value
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    return parse_datetime(value)


def _remote(item: _Item) -> RemotePolicy | None:
    """A workplace label ("hybrid", "Remote - US"), else boolean flags (isRemote, isHybrid)."""
    label = item.get(*_WORKPLACE_KEYS)
    if isinstance(label, str | dict) and (policy := remote_policy(_label(label))):
        return policy
    return remote_from_flags(
        item.get("isremote", "remote"), item.get("ishybrid", "hybrid"), item.get("isonsite")
    )


def _employment(value: Any) -> EmploymentType | None:
    """A label, an object naming one, or a list of either: the first one known wins."""
    entries = value if isinstance(value, list) else [value]
    return next(filter(None, (employment_type(_label(entry)) for entry in entries)), None)


def _salary(item: _Item) -> Salary | None:
    """A range stated as an object (salary, compensation) or as the item's own fields
    (salaryMin, salaryMax, salaryCurrency)."""
    stated = [item.fields.get(key) for key in _SALARY_KEYS]
    sources = [(_Item(s), _LOW_KEYS, _HIGH_KEYS) for s in stated if isinstance(s, dict)]
    for source, low_keys, high_keys in [*sources, (item, _ITEM_LOW_KEYS, _ITEM_HIGH_KEYS)]:
        low, high = source.get(*low_keys), source.get(*high_keys)
        if low is None and high is None:
            continue
        currency = _label(source.get(*_CURRENCY_KEYS))
        period = salary_period(_label(source.get(*_PERIOD_KEYS)))
        if salary := salary_range(low, high, currency, period):
            return salary
    return None
