"""Sample-site routes for career pages as the web really serves them: JavaScript, pagination,
markup without structured data, broken JSON-LD, embedded ATS boards, and pages that are not jobs.

  GET /pages/{slug}/js/careers[?delay=S]   empty list filled by JavaScript from .../api/jobs
  GET /pages/{slug}/api/jobs[?delay=S]     that list as JSON: [{title, location, url}], after S s
  GET /pages/{slug}/js/jobs/{n}            server-rendered detail page with JSON-LD
  GET /pages/{slug}/spa/careers            list built by JavaScript from an inline array
  GET /pages/{slug}/spa/jobs/{n}           detail page rendered by JavaScript too (no JSON-LD)
  GET /pages/{slug}/paged/careers[?page=N], /pages/{slug}/paged/careers/page/{N}
                                           15 postings, 5 a page: <link rel=next>, numbered
                                           ?page=N links and a "Next &rsaquo;" link to .../page/N
  GET /pages/{slug}/paged/jobs/{n}         detail page with JSON-LD
  GET /pages/{slug}/plain/careers          links to detail pages with no structured data, among
                                           links to pages that are not postings (benefits, life
                                           at, students, job alerts, blog, about, privacy)
  GET /pages/{slug}/plain/jobs/{n}-{title} detail page: <h1>, location in varied markup
  GET /pages/{slug}/malformed/careers      7 detail pages whose JSON-LD is broken in the usual ways
  GET /pages/{slug}/malformed/jobs/{n}     1 trailing commas, 2 wrapped in an HTML comment,
                                           3 wrapped in CDATA, 4 one broken block next to a good
                                           one, 5 raw control characters in strings, 6 two objects
                                           in one block, 7 nothing readable (the <h1> remains)
  GET /pages/{slug}/graph/careers          6 postings in the listing's own JSON-LD: a list, an
                                           @graph, a nested mainEntity, an @type list, the
                                           "http://schema.org/JobPosting" form, an ItemList;
                                           it also links to them, at /pages/{slug}/graph/jobs/{n}
  GET /pages/{slug}/baddata/careers        5 postings in the listing's JSON-LD: 2 fine, 1 with no
                                           title, 1 whose URL is a mailto: link, 1 paying
                                           $5,000,000,000 a year
  GET /pages/{slug}/greenhouse/careers     embeds the Greenhouse board {slug} (script src)
  GET /pages/{slug}/lever/careers          links to the Lever board jobs.lever.co/{slug}
  GET /pages/{slug}/broken/careers         4 detail links: 2 answers 404, 3 a PDF
  GET /pages/{slug}/moved                  302 to the js careers page on 127.0.0.2 (a private
                                           address the SSRF guard must refuse after a redirect)
  GET /pages/{slug}/about, /privacy, /blog, /blog/..., /plain/careers/{benefits,students,
      life-at-{slug}}, /plain/jobs/alerts  pages that are not postings (each has an <h1>)

js, spa and plain list `site.postings_per_company` postings; the others list fixed numbers. Detail
pages with JSON-LD link to a "similar job" that does not exist: a crawler that follows links from
detail pages gets a 404.
"""

import html
import json
import re
import time
from typing import Any

from deployments.sample import site as sample
from deployments.sample.jobs import Job, blocks_html, company_name, generate_jobs
from deployments.sample.reply import Reply, html_page, not_found

PAGED_JOBS, PER_PAGE = 15, 5
PAGES = -(-PAGED_JOBS // PER_PAGE)
MALFORMED_JOBS = 7
GRAPH_JOBS = 6
BROKEN_JOBS = 4

_SLUG = r"([A-Za-z0-9][A-Za-z0-9._-]*)"
_ROUTE = re.compile(rf"/pages/{_SLUG}/(.+?)/?")
_DETAIL = re.compile(r"(js|spa|paged|malformed|broken|graph)/jobs/(\d+)")
_PLAIN_DETAIL = re.compile(r"plain/jobs/(\d+)-[a-z0-9-]+")
_PAGE = re.compile(r"paged/careers(?:/page/(\d+))?")


def respond(site: Any, method: str, path: str, query: dict, body: bytes) -> Reply | None:
    match = _ROUTE.fullmatch(path)
    if method != "GET" or not match:
        return None
    slug, rest = match[1], match[2]
    base = f"{site.base_url}/pages/{slug}"
    count = site.postings_per_company
    if page := _PAGE.fullmatch(rest):
        number = int(page[1] or (query.get("page") or ["1"])[0])
        return _paged_listing(slug, number) if 1 <= number <= PAGES else not_found(path)
    if detail := _DETAIL.fullmatch(rest):
        return _detail(site, slug, detail[1], int(detail[2]), f"{base}/{rest}")
    if plain := _PLAIN_DETAIL.fullmatch(rest):
        n = int(plain[1])
        return Reply.html(_plain_detail(slug, _job(slug, n))) if 1 <= n <= count else None
    if rest == "moved":
        target = f"{base}/js/careers".replace("://127.0.0.1:", "://127.0.0.2:")
        return Reply(302, "text/html", "", {"Location": target})
    if rest == "js/careers":
        return Reply.html(_js_listing(slug, _delay(query)))
    if rest == "api/jobs":
        time.sleep(_delay(query))
        return Reply.json([_summary(base, "js", job) for job in generate_jobs(slug, count)])
    if rest in _NOT_JOBS or rest == f"plain/careers/life-at-{slug}" or rest.startswith("blog/"):
        return Reply.html(_not_a_job(slug, rest))
    page = _LISTINGS.get(rest)
    return Reply.html(page(site, slug)) if page else None


# ---------------------------------------------------------------- listings


def _js_listing(slug: str, delay: float) -> str:
    script = f"""
fetch("/pages/{slug}/api/jobs?delay={delay:g}").then((r) => r.json()).then((jobs) => {{
  const list = document.createElement("ul");
  for (const job of jobs) {{
    const item = document.createElement("li"), link = document.createElement("a");
    link.href = job.url; link.textContent = job.title;
    item.append(link, " ", job.location); list.append(item);
  }}
  document.getElementById("jobs").replaceChildren(list);
}});"""
    return _careers(slug, '<div id="jobs">Loading…</div>', script)


def _spa_listing(site: Any, slug: str) -> str:
    base = f"/pages/{slug}"
    jobs = [_summary(base, "spa", job) for job in generate_jobs(slug, site.postings_per_company)]
    script = f"""
const JOBS = {_js_data(jobs)};
document.getElementById("app").innerHTML = "<ul>" + JOBS.map((job) =>
  `<li><a href="${{job.url}}">${{job.title}}</a> <span>${{job.location}}</span></li>`
).join("") + "</ul>";"""
    return _careers(slug, '<div id="app"></div>', script)


def _paged_listing(slug: str, number: int) -> Reply:
    jobs = generate_jobs(slug, PAGED_JOBS)[(number - 1) * PER_PAGE : number * PER_PAGE]
    base, last = f"/pages/{slug}/paged", PAGES
    rows = "".join(_row(f"{base}/jobs/{job.n}", job) for job in jobs)
    numbers = " ".join(f'<a href="{base}/careers?page={n}">{n}</a>' for n in range(1, last + 1))
    head = nav = ""
    if number < last:
        head = f'<link rel="next" href="{base}/careers?page={number + 1}">'
        nav = (
            f' <a class="pagination-next" href="{base}/careers/page/{number + 1}">Next &rsaquo;</a>'
        )
    body = f'<ul class="jobs">{rows}</ul><nav class="pagination">{numbers}{nav}</nav>'
    return Reply.html(_page(slug, f"Careers at {company_name(slug)}, page {number}", body, head))


def _plain_listing(site: Any, slug: str) -> str:
    base = f"/pages/{slug}"
    rows = "".join(
        _row(f"jobs/{job.n}-{_slugify(job.title)}" if job.n % 2 else _plain_url(base, job), job)
        for job in generate_jobs(slug, site.postings_per_company)
    )
    others = (
        f'<p><a href="{base}/plain/careers/benefits">Benefits</a> · '
        f'<a href="{base}/plain/careers/life-at-{slug}">Life at {company_name(slug)}</a> · '
        f'<a href="{base}/plain/careers/students">Students and graduates</a> · '
        f'<a href="{base}/plain/jobs/alerts">Get job alerts</a> · '
        f'<a href="{base}/blog/2025/we-are-hiring">We are hiring!</a> · '
        f'<a href="{base}/plain/careers?page=1">All jobs</a> · '
        '<a href="https://www.linkedin.com/company/example/jobs/">LinkedIn</a> · '
        '<a href="https://example.com/jobs/123">Partner job</a> · '
        '<a href="tel:+15555550100">Call us</a> · <a href="javascript:void(0)">Share</a></p>'
    )
    return _page(slug, f"Careers at {company_name(slug)}", f'<ul class="jobs">{rows}</ul>{others}')


def _malformed_listing(site: Any, slug: str) -> str:
    return _simple_listing(slug, "malformed", MALFORMED_JOBS)


def _broken_listing(site: Any, slug: str) -> str:
    return _simple_listing(slug, "broken", BROKEN_JOBS)


def _graph_listing(site: Any, slug: str) -> str:
    url = f"{site.base_url}/pages/{slug}/graph/jobs/"
    one, two, three, four, five, six = (
        sample.job_posting_jsonld(job, f"{url}{job.n}") for job in generate_jobs(slug, GRAPH_JOBS)
    )
    for data in (two, three, four, five, six):
        data.pop("@context")
    four["@type"] = ["JobPosting", "Thing"]
    five["@type"] = "http://schema.org/JobPosting"
    blocks = [
        [one, {"@context": "https://schema.org", "@type": "Organization", "name": "X"}],
        {
            "@context": "https://schema.org",
            "@graph": [{"@type": "WebPage", "mainEntity": two}, {"@type": "Thing", "about": three}],
        },
        {"@context": "https://schema.org", "@graph": [four, five]},
        {
            "@context": "https://schema.org",
            "@type": "ItemList",
            "itemListElement": [{"@type": "ListItem", "position": 1, "item": six}],
        },
    ]
    head = "".join(_ld(json.dumps(block)) for block in blocks)
    return _simple_listing(slug, "graph", GRAPH_JOBS, head)


def _bad_data_listing(site: Any, slug: str) -> str:
    url = f"{site.base_url}/pages/{slug}/baddata/jobs/"
    good, fine, untitled, mailto, rich = (
        sample.job_posting_jsonld(job, f"{url}{job.n}") for job in generate_jobs(slug, 5)
    )
    untitled["title"] = ""
    mailto["url"] = "mailto:jobs@example.com"
    rich["baseSalary"] = {
        "@type": "MonetaryAmount",
        "currency": "USD",
        "value": {"@type": "QuantitativeValue", "value": 5e9, "unitText": "YEAR"},
    }
    head = _ld(json.dumps([good, fine, untitled, mailto, rich]))
    return _page(slug, f"Careers at {company_name(slug)}", "<p>Our openings</p>", head)


def _greenhouse_listing(site: Any, slug: str) -> str:
    embed = (
        '<div id="grnhse_app"></div>'
        f'<script src="https://boards.greenhouse.io/embed/job_board/js?for={slug}"></script>'
    )
    return _page(slug, f"Careers at {company_name(slug)}", embed)


def _lever_listing(site: Any, slug: str) -> str:
    link = f'<p><a href="https://jobs.lever.co/{slug}">See all our openings</a></p>'
    return _page(slug, f"Careers at {company_name(slug)}", link)


_LISTINGS = {
    "spa/careers": _spa_listing,
    "plain/careers": _plain_listing,
    "malformed/careers": _malformed_listing,
    "graph/careers": _graph_listing,
    "baddata/careers": _bad_data_listing,
    "greenhouse/careers": _greenhouse_listing,
    "lever/careers": _lever_listing,
    "broken/careers": _broken_listing,
}


def _simple_listing(slug: str, kind: str, count: int, head: str = "") -> str:
    jobs = generate_jobs(slug, count)
    rows = "".join(_row(f"/pages/{slug}/{kind}/jobs/{job.n}", job) for job in jobs)
    return _page(slug, f"Careers at {company_name(slug)}", f'<ul class="jobs">{rows}</ul>', head)


# ---------------------------------------------------------------- detail pages


def _detail(site: Any, slug: str, kind: str, n: int, url: str) -> Reply | None:
    limit = {"paged": PAGED_JOBS, "malformed": MALFORMED_JOBS, "broken": BROKEN_JOBS}
    limit["graph"] = GRAPH_JOBS
    if not 1 <= n <= limit.get(kind, site.postings_per_company):
        return None
    job = _job(slug, n)
    if kind == "spa":
        return Reply.html(_spa_detail(slug, job))
    if kind == "broken" and n == 2:
        return not_found(url)
    if kind == "broken" and n == 3:
        return Reply(200, "application/pdf", b"%PDF-1.4\n%\xe2\xe3\n")
    data = json.dumps(sample.job_posting_jsonld(job, url), ensure_ascii=False)
    head = _MALFORMED[n](data) if kind == "malformed" else _ld(data)
    return Reply.html(_page(slug, f"{job.title} at {job.company}", _job_body(job, url), head))


_MALFORMED = {
    1: lambda data: _ld(data.replace('"}', '",}').replace("]", ",]")),
    2: lambda data: _ld(f"<!--\n{data}\n-->"),
    3: lambda data: _ld(f"//<![CDATA[\n{data}\n//]]>"),
    4: lambda data: _ld(data[: len(data) // 2]) + _ld(data),
    5: lambda data: _ld(data.replace("<p>", "<p>\n\t\x0b")),
    6: lambda data: _ld(
        '{"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": []}\n'
        + data
    ),
    7: lambda data: _ld('{"@type": "JobPosting", "title": "Broken" "url": }'),
}


def _spa_detail(slug: str, job: Job) -> str:
    data = {"title": job.title, "location": job.location, "description": blocks_html(job.blocks)}
    script = f"""
const JOB = {_js_data(data)};
document.title = JOB.title;
document.getElementById("app").innerHTML = `<h1>${{JOB.title}}</h1>
  <p class="location">${{JOB.location}}</p><div class="description">${{JOB.description}}</div>`;"""
    return _page(slug, f"Careers · {company_name(slug)}", '<div id="app"></div>', script=script)


def _plain_detail(slug: str, job: Job) -> str:
    location = html.escape(job.location)
    where = [
        f'<p class="job-location">{location}</p>',
        f'<p>Location: <span itemprop="jobLocation">{location}</span></p>',
        f"<dl><dt>Team</dt><dd>{html.escape(job.team)}</dd><dt>Location</dt><dd>{location}</dd></dl>",
    ][job.n % 3]
    body = (
        f"<article><h1>{html.escape(job.title)}</h1>{where}"
        f'<section class="job-description">{blocks_html(job.blocks)}</section></article>'
    )
    return _page(slug, f"{job.title} | {job.company}", body)


def _job_body(job: Job, url: str) -> str:
    """A detail page; its "similar job" link (a 404) is there for crawlers that follow it."""
    similar = url.rsplit("/", 1)[0] + f"/{job.n + 1000}"
    return (
        f"<h1>{html.escape(job.title)}</h1>"
        f'<p class="location">{html.escape(job.location)}</p>'
        f'<div class="description">{blocks_html(job.blocks)}</div>'
        f'<aside><a href="{similar}">A similar job</a></aside>'
    )


_NOT_JOBS = {
    "about": "About us",
    "privacy": "Privacy policy",
    "blog": "Our blog",
    "plain/careers/benefits": "Benefits",
    "plain/careers/students": "Students and graduates",
    "plain/jobs/alerts": "Job alerts",
}


def _not_a_job(slug: str, rest: str) -> str:
    title = _NOT_JOBS.get(rest) or ("Life at " if "life-at" in rest else "News: ") + slug
    text = "<p>" + "We are a friendly team that builds useful things. " * 5 + "</p>"
    return _page(slug, title, f"<h1>{html.escape(title)}</h1>{text}")


# ---------------------------------------------------------------- page parts


def _page(slug: str, title: str, main: str, head: str = "", script: str = "") -> str:
    footer = (
        f'<footer><a href="/pages/{slug}/privacy">Privacy</a> · © {company_name(slug)}</footer>'
    )
    code = f"<script>{script}</script>" if script else ""
    return html_page(title, f"{_nav(slug)}<main>{main}</main>{footer}{code}", head)


def _careers(slug: str, container: str, script: str) -> str:
    """A careers page whose list exists only once its script has run."""
    main = f"<h1>Careers at {html.escape(company_name(slug))}</h1>{container}"
    return _page(slug, f"Careers at {company_name(slug)}", main, script=script)


def _nav(slug: str) -> str:
    return (
        f'<header><nav><a href="/pages/{slug}/about">About us</a> '
        f'<a href="/pages/{slug}/blog">Blog</a> '
        f'<a href="/pages/{slug}/privacy">Privacy policy</a> '
        '<a href="mailto:jobs@example.com">Contact</a></nav></header>'
    )


def _row(href: str, job: Job) -> str:
    title, location = html.escape(job.title), html.escape(job.location)
    return f'<li><a href="{href}">{title}</a> <span class="location">{location}</span></li>'


def _summary(base: str, kind: str, job: Job) -> dict:
    return {"title": job.title, "location": job.location, "url": f"{base}/{kind}/jobs/{job.n}"}


def _plain_url(base: str, job: Job) -> str:
    return f"{base}/plain/jobs/{job.n}-{_slugify(job.title)}"


def _delay(query: dict) -> float:
    return float((query.get("delay") or ["0"])[0])


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _ld(text: str) -> str:
    return '<script type="application/ld+json">' + text.replace("</", "<\\/") + "</script>"


def _js_data(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def _job(slug: str, n: int) -> Job:
    return generate_jobs(slug, n)[-1]
