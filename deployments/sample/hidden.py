"""Sample-site routes for careers pages whose links to postings carry no job word, so that only
their shape, the page's app data or the site's sitemap tells which pages are postings.

  GET /hidden/{slug}/team                  "Open roles": links /hidden/{slug}/team/open/{n}-{title}
                                           (JobPosting JSON-LD) and, of the same shape, a
                                           /team/open/how-we-hire page that is no posting
  GET /hidden/{slug}/en/careers.html       links /hidden/{slug}/en/{title}.html (JSON-LD) among
                                           /en/about.html and /en/contact.html
  GET /hidden/{slug}/next/careers          a Next.js page: the list in __NEXT_DATA__ (pageProps
                                           .positions), links to /hidden/{slug}/next/o/{id},
                                           detail pages with no structured data
  GET /hidden/{slug}/state/careers         window.__INITIAL_STATE__ = {...}: the list in app state,
                                           rendered by a script that never runs here
  GET /hidden/mapped/careers               an empty shell; the postings are only in the site's
                                           sitemaps: /sitemap.xml (an index) names
                                           /sitemaps/pages.xml and /sitemaps/jobs.xml.gz, which
                                           lists /hidden/mapped/p/{id} (JSON-LD)
  GET /hidden/{slug}/unreadable/careers    "Open positions" linking /hidden/{slug}/unreadable/r/{n},
                                           pages with no structured data: nothing can be proven
  GET /hidden/{slug}/none/careers          "There are currently no open positions."
  GET /hidden/{slug}/silent/careers        a page that neither lists nor denies any posting

Each lists `site.postings_per_company` postings.
"""

import gzip
import html
import json
import re
from datetime import timedelta
from typing import Any

from deployments.sample import site as sample
from deployments.sample.jobs import Job, blocks_html, company_name, generate_jobs, iso_time
from deployments.sample.reply import Reply, html_page, jsonld_script

SITEMAPPED = "mapped"  # the one slug the site's sitemaps list postings of
_ROUTE = re.compile(r"/hidden/([A-Za-z0-9][A-Za-z0-9._-]*)/(.+?)/?")


def respond(site: Any, method: str, path: str, query: dict, body: bytes) -> Reply | None:
    if method != "GET":
        return None
    if path in ("/sitemap.xml", "/sitemaps/pages.xml", "/sitemaps/jobs.xml.gz"):
        return _sitemap(site, path)
    match = _ROUTE.fullmatch(path)
    if not match:
        return None
    slug, rest = match[1], match[2]
    jobs = generate_jobs(slug, site.postings_per_company)
    base = f"/hidden/{slug}"
    if rest in _LISTINGS:
        return Reply.html(_LISTINGS[rest](slug, base, jobs))
    for pattern, detail in _DETAILS:
        if found := pattern.fullmatch(rest):
            job = next((job for job in jobs if found[1] in _names(job)), None)
            return detail(slug, job, f"{site.base_url}{path}") if job else None
    if rest in _NOT_POSTINGS or rest.startswith("blog/"):
        return Reply.html(_page(slug, "About working here", "<p>We read every application.</p>"))
    return None


# ---------------------------------------------------------------- listings


def _team(slug: str, base: str, jobs: list[Job]) -> str:
    rows = "".join(_row(f"{base}/team/open/{_key(job)}", job) for job in jobs)
    extra = f'<p><a href="{base}/team/open/how-we-hire">How we hire</a></p>'
    return _page(slug, "Open roles", f'<h2>Open roles</h2><ul class="list">{rows}</ul>{extra}')


def _localised(slug: str, base: str, jobs: list[Job]) -> str:
    rows = "".join(_row(f"{base}/en/{_key(job)}.html", job) for job in jobs)
    extra = "".join(f'<a href="{base}/en/{name}.html">{name}</a> ' for name in ("about", "contact"))
    return _page(slug, "Work with us", f"<div>{rows}</div><p>{extra}</p>")


def _next(slug: str, base: str, jobs: list[Job]) -> str:
    positions = [
        {
            "id": str(job.number),
            "title": job.title,
            "department": {"id": 7, "name": job.department},
            "location": {"city": job.city, "country": job.country},
            "workplaceType": job.remote,
            "employmentType": job.employment.replace("_", "-"),
            "publishedAt": iso_time(job.posted_at),
            "compensation": _pay(job),
        }
        for job in jobs
    ]
    offices = [{"name": "Head office", "city": jobs[0].city, "address": "1 Main Street"}]
    data = {
        "props": {"pageProps": {"positions": positions, "offices": offices}, "__N_SSP": True},
        "page": "/careers",
        "query": {},
        "buildId": "b1",
    }
    rows = "".join(_row(f"{base}/next/o/{job.number}", job) for job in jobs)
    script = f'<script id="__NEXT_DATA__" type="application/json">{_js(data)}</script>'
    return _page(slug, "Careers", f'<div id="__next"><ul>{rows}</ul></div>{script}')


def _state(slug: str, base: str, jobs: list[Job]) -> str:
    openings = [
        {
            "jobId": job.uid,
            "jobTitle": job.title,
            "team": job.team,
            "locations": [job.location],
            "remote": job.remote == "remote",
            "jobType": job.employment.replace("_", " ").title(),
            "url": f"{base}/state/jobs/{job.uid}",
        }
        for job in jobs
    ]
    state = {"careers": {"openings": openings, "filters": {"teams": ["All"]}}, "user": None}
    script = f"<script>window.__INITIAL_STATE__ = {_js(state)};render(document.body)</script>"
    return _page(slug, "Careers", f'<div id="root"></div>{script}')


def _shell(slug: str, base: str, jobs: list[Job]) -> str:
    return _page(slug, "Careers", '<div id="root"></div><script src="/app.js"></script>')


def _unreadable(slug: str, base: str, jobs: list[Job]) -> str:
    rows = "".join(_row(f"{base}/unreadable/r/{job.n}", job) for job in jobs)
    return _page(slug, "Careers", f"<h2>Open positions</h2><ul>{rows}</ul>")


def _none(slug: str, base: str, jobs: list[Job]) -> str:
    return _page(slug, "Careers", "<p>There are currently no open positions. Check back soon!</p>")


def _silent(slug: str, base: str, jobs: list[Job]) -> str:
    culture = (
        "<p>We are a small team that builds tools people enjoy using. We work in the open, write"
        " things down, and take time to do things well. Our offices are quiet, our meetings are"
        " short and our holidays are long.</p>"
        "<p>Send your CV to cv@example.com and we will be in touch.</p>"
    )
    return _page(slug, "Careers", culture)


_LISTINGS = {
    "team": _team,
    "en/careers.html": _localised,
    "next/careers": _next,
    "state/careers": _state,
    "careers": _shell,  # only the sitemapped slug has postings, in the sitemap
    "unreadable/careers": _unreadable,
    "none/careers": _none,
    "silent/careers": _silent,
}


# ---------------------------------------------------------------- detail pages


def _with_jsonld(slug: str, job: Job, url: str) -> Reply:
    head = jsonld_script(sample.job_posting_jsonld(job, url))
    return Reply.html(_page(slug, job.title, _detail_body(job), head))


def _without_jsonld(slug: str, job: Job, url: str) -> Reply:
    return Reply.html(_page(slug, job.title, _detail_body(job)))


_DETAILS = [
    (re.compile(r"team/open/(\d+-[a-z0-9-]+)"), _with_jsonld),
    (re.compile(r"en/(\d+-[a-z0-9-]+)\.html"), _with_jsonld),
    (re.compile(r"p/(\d+-[a-z0-9-]+)"), _with_jsonld),
    (re.compile(r"next/o/(\d+)"), _without_jsonld),
    (re.compile(r"unreadable/r/(\d+)"), _without_jsonld),
]


def _key(job: Job) -> str:
    return f"{job.n}-{re.sub(r'[^a-z0-9]+', '-', job.title.lower()).strip('-')}"


def _names(job: Job) -> tuple[str, ...]:
    """What detail URLs name a job by: n-title, the numeric id the Next.js page uses, or n."""
    return _key(job), str(job.number), str(job.n)


_NOT_POSTINGS = {"about", "team/open/how-we-hire", "en/about.html", "en/contact.html"}


# ---------------------------------------------------------------- sitemaps


def _sitemap(site: Any, path: str) -> Reply:
    base = site.base_url
    if path == "/sitemap.xml":
        children = "".join(
            f"<sitemap><loc>{base}{child}</loc></sitemap>"
            for child in ("/sitemaps/pages.xml", "/sitemaps/jobs.xml.gz")
        )
        return _xml(f"<sitemapindex {_NS}>{children}</sitemapindex>")
    if path == "/sitemaps/pages.xml":
        pages = [f"{base}/hidden/{SITEMAPPED}/{page}" for page in ("about", "blog/1", "blog/2")]
        return _xml(_urlset((url, "2024-01-01") for url in pages))
    jobs = generate_jobs(SITEMAPPED, site.postings_per_company)
    urls = ((f"{base}/hidden/{SITEMAPPED}/p/{_key(job)}", job.posted_at) for job in jobs)
    xml = _urlset((url, (posted + timedelta(days=1)).date().isoformat()) for url, posted in urls)
    return Reply(200, "application/gzip", gzip.compress(xml.body.encode()))


_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def _urlset(entries) -> Reply:
    urls = "".join(f"<url><loc>{url}</loc><lastmod>{day}</lastmod></url>" for url, day in entries)
    return _xml(f"<urlset {_NS}>{urls}</urlset>")


def _xml(body: str) -> Reply:
    return Reply(200, "application/xml", f'<?xml version="1.0" encoding="UTF-8"?>\n{body}')


# ---------------------------------------------------------------- page parts


def _page(slug: str, title: str, main: str, head: str = "") -> str:
    nav = f'<header><nav><a href="/hidden/{slug}/about">About</a></nav></header>'
    footer = f"<footer>© {html.escape(company_name(slug))}</footer>"
    return html_page(title, f"{nav}<main><h1>{html.escape(title)}</h1>{main}</main>{footer}", head)


def _detail_body(job: Job) -> str:
    return (
        f'<p class="location">{html.escape(job.location)}</p>'
        f'<div class="description">{blocks_html(job.blocks)}</div>'
    )


def _row(href: str, job: Job) -> str:
    return f'<li><a href="{href}">{html.escape(job.title)}</a> {html.escape(job.location)}</li>'


def _pay(job: Job) -> dict | None:
    if job.pay is None:
        return None
    return {
        "min": job.pay.min,
        "max": job.pay.max,
        "currency": job.pay.currency,
        "interval": job.pay.period,
    }


def _js(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")
