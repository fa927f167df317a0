"""Career pages on a company's own site: the ATS board they embed, else JSON-LD, else plain HTML.

Every request goes through the job's Fetcher (SSRF guard, per-host limits, robots.txt, retries).
The careers page and its pagination are listing pages; links from them that look like postings
(a job word in the path) are detail pages, and links are never followed from detail pages. A
detail page yields its schema.org JobPosting JSON-LD (tasks.fetch.sources.jsonld), or failing
that a posting from its markup.

Where no link says "job" (`/team/open/<slug>`, `/o/<id>`), the postings are found without words:
the job list the page ships for its own JavaScript (tasks.fetch.sources.embedded), then links of
one URL shape whose sampled pages carry JobPosting JSON-LD, then the same among the pages the
site's sitemaps list (tasks.fetch.sources.sitemap).

JavaScript: a careers page where all that finds nothing (or a company marked `render: true`) is
rendered in the browser (tasks.fetch.browser) and read again; so is any page whose HTML is an
empty shell. The browser is used only when needed: a rendered page costs tens of plain requests.

No posting found proves nothing unless the page says it has none ("no open positions"): otherwise
the crawl says why in `incomplete`, and the company is partial, so none of its postings is closed.
"""

import asyncio
import copy
import functools
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

from lxml import html as lxml_html

from tasks.errors import FetchError
from tasks.fetch import browser, sources
from tasks.fetch.http import Fetcher
from tasks.fetch.sources import jsonld, sitemap
from tasks.fetch.sources.common import (
    html_document,
    html_to_text,
    new_posting,
)
from tasks.fetch.sources.embedded import embedded_jobs
from tasks.models import (
    Company,
    Posting,
    Source,
)
from tasks.settings import Settings

log = logging.getLogger(__name__)

# Links of one shape with no job word are tried on a sample: the groups tried, pages per group.
PROBED_GROUPS, PROBE_SAMPLE = 4, 2
# A careers page that says it has no openings: the one proof that an empty read is complete.
_NONE_LISTED = re.compile(
    r"\bno (?:current |open |available |active )*(?:positions|openings|vacancies|jobs|roles"
    r"|job openings|opportunities)\b|(?:\bnot|n't) (?:currently )?hiring\b"
    r"|\bkeine (?:offenen |aktuellen )*(?:stellen\w*|jobs|positionen|vakanzen)\b"
    r"|\baucune? (?:offre|poste)s?\b|\bno hay (?:vacantes|ofertas)\b"
    r"|\bgeen (?:openstaande )?vacatures\b",
    re.I,
)
# ... and one that says it has some.
_HIRING = re.compile(
    r"\b(?:open (?:positions|roles|jobs)|current (?:openings|vacancies)|job openings"
    r"|we(?:'re| are) hiring|join (?:our|the) team|offene stellen|nous recrutons|postes ouverts"
    r"|vacatures)\b",
    re.I,
)


@dataclass
class SiteCrawl:
    postings: list[Posting]
    board: tuple[Source, str] | None = None  # an ATS the careers page embeds or links to
    skipped: list[str] = field(default_factory=list)  # "category: reason (url)" per failed page
    # Why no posting was found, when that is no proof there are none: the company is partial.
    incomplete: str | None = None
    rendered: bool = False  # the browser was used
    pages: int = 0  # pages loaded, plain and rendered


async def crawl_site(
    company: Company, source: Source, fetcher: Fetcher, settings: Settings
) -> SiteCrawl:
    """The postings on a company's career pages. FetchError when the careers page cannot be read;
    a failed pagination or detail page is listed in `skipped` instead."""
    return await _Crawl(company, source, fetcher, settings).run()


@dataclass
class _Page:
    url: str  # after redirects
    html: str
    tree: Any  # lxml document
    rendered: bool

    @classmethod
    def parse(cls, url: str, markup: str, rendered: bool) -> "_Page":
        return cls(url, markup, html_document(markup), rendered)

    @functools.cached_property
    def job_postings(self) -> list[dict]:
        """The schema.org JobPosting objects in the page's JSON-LD, read once."""
        return jsonld.job_postings(self.tree, self.url)

    @property
    def base(self) -> str:
        """What relative links resolve against: the page URL, or its <base href>."""
        base = self.tree.xpath("string(//base/@href)").strip()
        return urljoin(self.url, base) if base else self.url


class _Crawl:
    """One company's crawl. Plain pages are cached so the browser pass does not refetch them."""

    def __init__(self, company: Company, source: Source, fetcher: Fetcher, settings: Settings):
        self.company, self.source = company, source
        self.fetcher, self.settings = fetcher, settings
        self.careers_url = str(company.careers_url)
        self._gate = asyncio.Semaphore(settings.page_concurrency)
        self._plain: dict[str, _Page | FetchError] = {}
        self._skipped: dict[str, str] = {}
        self._job_links: list[str] = []  # links on the careers page that look like postings
        self._pages = 0
        self._rendered = False
        self._unrendered: str | None = None  # why the careers page could not be rendered

    async def run(self) -> SiteCrawl:
        careers = await (self._render if self.company.render else self._load)(self.careers_url)
        if board := self._board_on(careers):
            return self._result([], careers, board)
        postings = await self._from_careers_page(careers)
        if not postings and not careers.rendered:
            postings = await self._from_sitemaps()
        if not postings and not careers.rendered and not _says_none(careers):
            log.info(
                "%s: no postings in the plain HTML, rendering %s", self.company.name, careers.url
            )
            try:
                careers = await self._render(self.careers_url)
            except FetchError as exc:
                if _is_shell(careers.tree):
                    raise  # nothing of the page could be read at all
                self._unrendered = str(exc)  # the page was read; that it lists nothing is unproven
                return self._result([], careers)
            if board := self._board_on(careers):
                return self._result([], careers, board)
            postings = await self._from_careers_page(careers)
        return self._result(postings, careers)

    def _board_on(self, careers: _Page) -> tuple[Source, str] | None:
        # An ATS embedded in the page wins, unless the user said to read the page itself.
        auto = self.company.ats == Source.auto
        return sources.board_from_page(careers.html, careers.url) if auto else None

    async def _from_careers_page(self, careers: _Page) -> list[Posting]:
        """The postings the careers page (and its further listing pages) lists: their JSON-LD and
        links that look like postings, else the job list in the page's app data, else links of
        one shape whose pages turn out to carry JobPosting JSON-LD."""
        self._skipped, self._job_links = {}, []
        listings = await self._listing_pages(careers)
        postings = [posting for page in listings for posting in self._jsonld_postings(page)]
        self._job_links = _unique(link for page in listings for link in self._detail_links(page))
        details = await asyncio.gather(
            *(
                self._detail_postings(url)
                for url in self._job_links[: self.settings.max_detail_pages]
            )
        )
        postings += [posting for found in details for posting in found]
        if not postings:
            postings = [posting for page in listings for posting in self._embedded_postings(page)]
        if not postings:
            postings = await self._probed(_alike_links(listings))
        return postings

    async def _from_sitemaps(self) -> list[Posting]:
        """Postings among the pages the site's sitemaps list under the careers page's folder (a
        host can serve several companies), tried by groups of one URL shape: the shapes that speak
        of jobs first, then the most recently changed, then the biggest."""
        scope = urlsplit(self.careers_url).path.rstrip("/").rpartition("/")[0] + "/"
        groups: dict[tuple, list[sitemap.Entry]] = {}
        for entry in await sitemap.entries(self.fetcher, self.careers_url):
            url = _canonical(entry.url)
            if _same_site(url, self.careers_url) and urlsplit(url).path.startswith(scope):
                groups.setdefault(_shape(url), []).append(entry)
        ordered = sorted(groups.values(), key=len, reverse=True)
        ordered.sort(key=lambda group: max(entry.modified for entry in group), reverse=True)
        ordered.sort(key=lambda group: not sitemap.ABOUT_JOBS.search(_shape(group[0].url)[1]))
        newest_first = (sorted(group, key=lambda e: e.modified, reverse=True) for group in ordered)
        return await self._probed([_unique(entry.url for entry in group) for group in newest_first])

    async def _probed(self, groups: list[list[str]]) -> list[Posting]:
        """The JobPosting JSON-LD of the pages of the first PROBED_GROUPS groups whose first
        PROBE_SAMPLE pages carry some: one shape of link can also hold pages that are not
        postings ("/en/about.html" next to "/en/engineer.html"), so only JSON-LD counts."""
        postings, budget = [], self.settings.max_detail_pages
        for group in groups[:PROBED_GROUPS]:
            sample = await asyncio.gather(*(self._probe(url) for url in group[:PROBE_SAMPLE]))
            if not any(page and page.job_postings for page in sample):
                continue
            rest = group[PROBE_SAMPLE:budget]
            budget -= len(group[:budget])
            rest_pages = await asyncio.gather(
                *(self._page_or_skip(url, render=lambda page: False) for url in rest)
            )
            for page in [*sample, *rest_pages]:
                postings += self._jsonld_postings(page) if page else []
            if budget <= 0:
                break
        return postings

    async def _probe(self, url: str) -> _Page | None:
        """A page read to see what it is: one that cannot be read is just not a posting."""
        async with self._gate:
            try:
                return await self._load(url)
            except FetchError as exc:
                log.info("%s: %s not read: %s", self.company.name, url, exc)
                return None

    def _result(
        self, postings: list[Posting], careers: _Page, board: tuple[Source, str] | None = None
    ) -> SiteCrawl:
        unique = {posting.posting_id: posting for posting in postings}
        skipped = list(self._skipped.values())
        incomplete = None if unique or board else self._why_none(careers)
        return SiteCrawl(
            list(unique.values()), board, skipped, incomplete, self._rendered, self._pages
        )

    def _why_none(self, careers: _Page) -> str | None:
        """Why a careers page that gave no posting is no proof the company has none (None when
        the page itself says it lists none): that read must close nothing."""
        reason = self._no_proof(careers)
        if reason and self._unrendered:
            return f"{reason}; rendering it failed: {self._unrendered}"
        return reason

    def _no_proof(self, careers: _Page) -> str | None:
        if self._job_links:
            return (
                f"{len(self._job_links)} links look like postings but none could be read as one"
                f" (first: {self._job_links[0]})"
            )
        if listed_none := _says_none(careers):
            log.info("%s: 0 postings listed: %r", self.company.name, listed_none)
            return None
        if hiring := _HIRING.search(_text_of(careers)):
            return f"{careers.url} says {hiring[0]!r} but no posting could be read from it"
        return f"no postings found on {careers.url}, and the page does not say it has none"

    # ------------------------------------------------------------ listing pages

    async def _listing_pages(self, careers: _Page) -> list[_Page]:
        """The careers page and the pages its pagination leads to, breadth first, up to the
        max_listing_pages bound."""
        pages = [careers]
        seen = {_listing_key(self.careers_url), _listing_key(careers.url)}
        frontier = self._pagination([careers], seen)
        while frontier and len(pages) < self.settings.max_listing_pages:
            batch = frontier[: self.settings.max_listing_pages - len(pages)]
            seen.update(_listing_key(url) for url in batch)
            render = functools.partial(self._render_listing, careers)
            loaded = await asyncio.gather(*(self._page_or_skip(url, render) for url in batch))
            new = [page for page in loaded if page is not None]
            pages += new
            frontier = self._pagination(new, seen)
        return pages

    def _pagination(self, pages: list[_Page], seen: set) -> list[str]:
        """Links to further pages of the listing: rel=next and "Next" links first, then numbered
        pages in order; one URL per listing page, however many spellings link to it."""
        found: dict[tuple, tuple[float, str]] = {}
        for page in pages:
            here = _listing_key(page.url)
            for url, text, attrs in _links(page):
                key = _listing_key(url)
                if key in seen or key in found or not _same_site(url, self.careers_url):
                    continue
                if _is_job_link(url):
                    continue
                if _says_next(text, attrs):
                    found[key] = (0, url)
                elif key[:3] == here[:3]:
                    found[key] = (key[3], url)
        return [url for _, url in sorted(found.values(), key=lambda item: item[0])]

    def _render_listing(self, careers: _Page, page: _Page) -> bool:
        """A further listing page is rendered when it lists nothing and is a shell, or when the
        careers page itself needed the browser."""
        lists = bool(page.job_postings) or any(self._detail_links(page))
        return not lists and (careers.rendered or _is_shell(page.tree))

    def _detail_links(self, page: _Page) -> Iterator[str]:
        careers = _canonical(self.careers_url)
        for url, _, _ in _links(page):
            if _same_site(url, self.careers_url) and _is_job_link(url) and url != careers:
                yield url

    # ------------------------------------------------------------ detail pages

    async def _detail_postings(self, url: str) -> list[Posting]:
        page = await self._page_or_skip(url, render=_needs_rendering)
        if page is None:
            return []
        postings = self._jsonld_postings(page)
        if not postings and (posting := self._posting_from_markup(page)):
            postings = [posting]
        return postings

    async def _page_or_skip(self, url: str, render: Callable[[_Page], bool]) -> _Page | None:
        """A page beyond the careers page, rendered when `render` says its plain HTML will not
        do. None, and the page listed as skipped, when it cannot be read."""
        async with self._gate:
            try:
                page = await self._load(url)
                return await self._render(url) if render(page) else page
            except FetchError as exc:
                log.warning("%s: page skipped: %s", self.company.name, exc)
                self._skipped[url] = str(exc)
                return None

    # ------------------------------------------------------------ loading

    async def _load(self, url: str) -> _Page:
        cached = self._plain.get(url)
        if cached is None:
            try:
                response = await self.fetcher.page(url)
                cached = _Page.parse(response.url, response.text, rendered=False)
                self._pages += 1
            except FetchError as exc:
                cached = exc
            self._plain[url] = cached
        if isinstance(cached, FetchError):
            raise cached
        return cached

    async def _render(self, url: str) -> _Page:
        """The page after its JavaScript ran, under the same politeness as plain requests."""
        await self.fetcher.check_robots(url)
        try:
            async with self.fetcher.limits.slot(url):
                rendered = await browser.render(url, self.settings)
        except FetchError as exc:
            if exc.retry_after_s:
                await self.fetcher.back_off(url, exc.retry_after_s)
            raise
        self._pages += 1
        self._rendered = True
        return _Page.parse(rendered.url, rendered.html, rendered=True)

    # ------------------------------------------------------------ extraction

    def _jsonld_postings(self, page: _Page) -> list[Posting]:
        postings = []
        for item in page.job_postings:
            if posting := self._posting(jsonld.posting_fields(item, page.url), page.url):
                postings.append(posting)
        return postings

    def _embedded_postings(self, page: _Page) -> list[Posting]:
        found = (self._posting(fields, page.url) for fields in embedded_jobs(page.tree, page.url))
        return [posting for posting in found if posting]

    def _posting_from_markup(self, page: _Page) -> Posting | None:
        return self._posting(_markup_fields(page.tree), page.url)

    def _posting(self, fields: dict | None, url: str) -> Posting | None:
        if not fields:
            return None
        return new_posting(
            self.company, self.source, f"the posting on {url}", {"url": url} | fields
        )


# ---------------------------------------------------------------- links

_JOB_SEGMENT = re.compile(
    r"(?:open-|job-)?(?:jobs?|careers?|positions?|openings?|vacanc(?:y|ies)|roles?|postings?"
    r"|opportunit(?:y|ies)|requisitions?|stellen(?:angebote)?|offres?|empleos?|vagas?)"
    r"(?:[-_]?(?:details?|view))?",
    re.I,
)
# Path segments of pages that are not postings, even under /careers/ or /jobs/.
_NOT_POSTINGS = frozenset(
    {
        *("about", "about-us", "privacy", "privacy-policy", "terms", "terms-of-service", "legal"),
        *("imprint", "impressum", "cookies", "cookie-policy", "blog", "news", "press", "contact"),
        *("contact-us", "faq", "faqs", "help", "login", "signin", "sign-in", "signup", "sign-up"),
        *("register", "account", "apply", "application", "benefits", "perks", "culture"),
        *("values", "life", "team", "teams", "people", "departments", "locations", "offices"),
        *("students", "graduates", "university", "events", "search", "alerts", "job-alerts"),
        *("rss", "feed", "sitemap", "page", "category", "categories", "tag", "tags", "saved"),
        *("diversity", "mission", "home"),
    }
)
# First words of slugs of such pages ("life-at-acme", "meet-the-team", "why-join-us").
_NOT_POSTING_WORDS = frozenset(
    {"life", "working", "why", "how", "meet", "our", "join", "about", "benefits", "students"}
    | {"culture", "events", "news", "blog", "cookie"}
)
_ID_PARAMS = frozenset(
    {"gh_jid", "jobid", "job_id", "job", "jid", "id", "posting", "positionid", "position_id"}
    | {"vacancy", "req", "requisition"}
)
_PAGE_PARAMS = frozenset(
    {"page", "p", "pg", "paged", "pagenum", "page_num", "pagenumber", "page_number", "offset"}
    | {"start"}
)
_PAGE_PATH = re.compile(r"^(.*?)/page/(\d+)/?$")
_FILES = re.compile(r"\.(?:pdf|png|jpe?g|gif|svg|webp|css|js|json|xml|rss|zip|docx?|ics)$", re.I)
_NEXT_TEXT = re.compile(r"^(?:next\b.*|more jobs|older|\u203a|\u00bb|\u2192|>|>>)$", re.I)
_NEXT_LABEL = re.compile(r"\bnext\b", re.I)  # rel="next", class="pagination-next", aria-label


def _links(
    page: _Page, query: str = "//a[@href] | //link[@href][contains(@rel, 'next')]"
) -> Iterator[tuple[str, str, dict]]:
    """(absolute URL without fragment, text, attributes) of the page's links and <link rel>s."""
    base = page.base
    for element in page.tree.xpath(query):
        url = _canonical(urljoin(base, element.get("href", "").strip()))
        if url.startswith(("http://", "https://")):
            yield url, " ".join(element.text_content().split()), dict(element.attrib)


def _alike_links(pages: list[_Page]) -> list[list[str]]:
    """The same-site links in the listing pages' content (not their menus), grouped by URL shape,
    biggest group first: the postings of a list are links of one shape, whatever their words."""
    listed = {_listing_key(page.url)[:3] for page in pages}
    groups: dict[tuple, list[str]] = {}
    for page in pages:
        for url, _, _ in _links(page, f"//a[@href][not({_CHROME})]"):
            shown = _same_site(url, page.url) and not _FILES.search(urlsplit(url).path)
            if shown and _listing_key(url)[:3] not in listed:  # nor a page of the listing
                groups.setdefault(_shape(url), []).append(url)
    return sorted(map(_unique, groups.values()), key=len, reverse=True)


def _shape(url: str) -> tuple:
    """(site, folder, extension, query keys): "/team/open/engineer" and "/team/open/designer"
    have one shape, "/en/engineer.html" and "/en/designer.html" another."""
    parts = urlsplit(url)
    folder, _, name = parts.path.rstrip("/").rpartition("/")
    extension = name.rpartition(".")[2] if "." in name else ""
    keys = tuple(sorted({key for key, _ in parse_qsl(parts.query)}))
    return _site(url), folder, extension, keys


def _is_job_link(url: str) -> bool:
    """Whether a link looks like one posting: a slug or id under a job-ish path segment
    (/jobs/123, /careers/senior-engineer-berlin) or a job id in the query (/careers?gh_jid=1)."""
    parts = urlsplit(url)
    segments = [segment.lower() for segment in parts.path.split("/") if segment]
    job_at = [i for i, segment in enumerate(segments) if _JOB_SEGMENT.fullmatch(segment)]
    if _FILES.search(parts.path) or not job_at:
        return False
    # Before the job segment only whole known names count: a company slug such as "working-co"
    # must not read as "working at ...".
    head, tail = segments[: job_at[-1]], segments[job_at[-1] + 1 :]
    if any(segment in _NOT_POSTINGS for segment in head) or any(map(_not_a_posting, tail)):
        return False
    if tail:
        return len(tail) <= 3 and _looks_like_posting(tail[0])
    return any(key.lower() in _ID_PARAMS and value for key, value in parse_qsl(parts.query))


def _not_a_posting(segment: str) -> bool:
    return segment in _NOT_POSTINGS or re.split(r"[-_]", segment)[0] in _NOT_POSTING_WORDS


def _looks_like_posting(segment: str) -> bool:
    """An id (has a digit), a title slug (several words) or a long opaque token."""
    return (
        any(c.isdigit() for c in segment)
        or len(re.split(r"[-_]", segment)) >= 2
        or len(segment) >= 16
    )


def _says_next(text: str, attrs: dict) -> bool:
    label = " ".join(attrs.get(name, "") for name in ("aria-label", "title", "class", "rel"))
    return bool(_NEXT_TEXT.match(text) or _NEXT_LABEL.search(label))


def _listing_key(url: str) -> tuple:
    """(site, path, other query, page number): the same listing page whatever the URL spells,
    so that ?page=1 and /page/1 are the careers page itself."""
    parts = urlsplit(url)
    path, number = parts.path.rstrip("/"), None
    if match := _PAGE_PATH.match(parts.path):
        path, number = match[1].rstrip("/"), int(match[2])
    query = []
    for key, value in parse_qsl(parts.query):
        if key.lower() in _PAGE_PARAMS and value.isdigit():
            number = int(value)
        else:
            query.append((key, value))
    return _site(url), path, tuple(sorted(query)), number or 1


def _site(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host}:{parts.port}" if parts.port else host


def _same_site(url: str, other: str) -> bool:
    return _site(url) == _site(other)


def _canonical(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(fragment=""))


def _unique(urls: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(urls))


# ---------------------------------------------------------------- markup

_HIDDEN = "ancestor::script or ancestor::style or ancestor::noscript or ancestor::template"
_CHROME = "ancestor::nav or ancestor::header or ancestor::footer"
_SHELL_CHARS = 200
_LOCATION = tuple(
    f"({query})[not({_CHROME})]"  # not the "Our locations" link in the menu
    for query in (
        "//*[@itemprop='jobLocation' or @itemprop='addressLocality']",
        "//*[contains(translate(@class, 'LOCATN', 'locatn'), 'location')]",
        "//dt[contains(translate(normalize-space(), 'LOCATN', 'locatn'), 'location')]"
        "/following-sibling::dd[1]",
    )
)
_DESCRIPTION = (
    "//*[contains(@class, 'description') or @itemprop='description']",
    "//article",
    "//main",
    "//body",
)
_LOCATION_LABEL = re.compile(r"^\s*(?:locations?|office|where)\s*:\s*(\S.{0,100}?)\s*$", re.I)
_TITLE_SUFFIX = re.compile(r"\s+[|\u2013\u2014-]\s+.*$")  # "Title | Company", "Title - Company"


def _says_none(page: _Page) -> str | None:
    """What a careers page says to tell it has no openings ("no open positions"), if it does."""
    found = _NONE_LISTED.search(_text_of(page))
    return found[0] if found else None


def _text_of(page: _Page) -> str:
    return _squash(" ".join(page.tree.xpath(f"//body//text()[not({_HIDDEN})]")))


def _needs_rendering(page: _Page) -> bool:
    """A detail page is rendered when it has no JSON-LD and next to no text: JavaScript builds
    it."""
    return not page.job_postings and _is_shell(page.tree)


def _is_shell(tree: Any) -> bool:
    """A page whose content JavaScript has yet to build: next to no text outside its chrome."""
    text = tree.xpath(f"//body//text()[not({_HIDDEN} or {_CHROME})]")
    return len("".join(text).strip()) < _SHELL_CHARS


def _markup_fields(tree: Any) -> dict | None:
    """A posting from a detail page with no structured data: title, location, description."""
    if _is_shell(tree):
        return None
    title = _squash(tree.xpath("string(//h1)"))
    if not title:
        heading = tree.xpath("string(//meta[@property='og:title']/@content)") or tree.xpath(
            "string(//title)"
        )
        title = _TITLE_SUFFIX.sub("", _squash(heading))
    return {"title": title, "location": _markup_location(tree), "description": _description(tree)}


def _markup_location(tree: Any) -> str | None:
    for query in _LOCATION:
        for element in tree.xpath(query):
            if text := _squash(element.text_content()):
                return text[:200]
    for text in tree.xpath(f"//body//text()[not({_HIDDEN})]"):
        if match := _LOCATION_LABEL.match(text):
            return match[1]
    return None


def _description(tree: Any) -> str:
    found = next((hits[0] for query in _DESCRIPTION if (hits := tree.xpath(query))), None)
    if found is None:
        return ""
    element = copy.deepcopy(found)
    for noise in element.xpath(".//nav | .//header | .//footer | .//script | .//style"):
        noise.drop_tree()
    return html_to_text(lxml_html.tostring(element, encoding="unicode"))


def _squash(text: str) -> str:
    return " ".join(text.split())
