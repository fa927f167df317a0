"""The pages a site lists in its sitemaps (sitemaps.org): where a careers page whose links do not
say which are postings (`/team/open/<slug>`, `/o/<id>`) can still be read. Many sites list every
posting there for search engines, often in a sitemap of their own ("jobs-sitemap.xml").
"""

import logging
import re
import zlib
from dataclasses import dataclass

from lxml import etree

from tasks.errors import FetchError
from tasks.fetch.http import Fetcher
from tasks.fetch.sources.common import XML_TYPES, parse_xml, xml_text
from tasks.models import Source

log = logging.getLogger(__name__)

MAX_FILES = 8  # sitemap files read per site: an index of a big site can name hundreds
# Addresses that speak of jobs: such sitemaps are read first ("sitemap-jobs.xml", "careers-1.xml"),
# and the pages they list are tried first.
ABOUT_JOBS = re.compile(
    r"job|career|position|opening|vacanc|posting|role|stellen|offre|empleo|vaga", re.I
)


@dataclass(frozen=True)
class Entry:
    url: str
    modified: str  # <lastmod> as written, "" when absent: W3C dates sort as text


async def entries(fetcher: Fetcher, site_url: str) -> list[Entry]:
    """Every page the sitemaps of SITE_URL's site list, following sitemap indexes, at most
    MAX_FILES files. A sitemap that is missing or cannot be read counts as none: a site owes us
    no sitemap."""
    queue, seen, found = await fetcher.sitemaps(site_url), set(), []
    while queue and len(seen) < MAX_FILES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        try:
            root = parse_xml(await _download(fetcher, url), Source.jsonld, "urlset", "sitemapindex")
        except (FetchError, ValueError) as exc:
            log.info("sitemap %s not read: %s", url, exc)
            continue
        if etree.QName(root).localname == "sitemapindex":
            named = [xml_text(node, "{*}loc") for node in root.iterfind("{*}sitemap")]
            queue = sorted(queue + list(filter(None, named)), key=_not_about_jobs)
            continue
        for node in root.iterfind("{*}url"):
            if loc := xml_text(node, "{*}loc"):
                found.append(Entry(loc, xml_text(node, "{*}lastmod") or ""))
    return found


def _not_about_jobs(url: str) -> bool:
    return not ABOUT_JOBS.search(url)


async def _download(fetcher: Fetcher, url: str) -> bytes:
    """A sitemap's XML, unzipped when it is served gzipped (sitemap.xml.gz) but no longer than
    any other response may be."""
    await fetcher.check_robots(url)
    data = (await fetcher.request("GET", url, accept=XML_TYPES)).content  # the site's own limits
    if not data.startswith(b"\x1f\x8b"):
        return data
    limit = fetcher.settings.max_response_bytes
    inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
    try:
        xml = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise ValueError(f"a gzipped sitemap that does not unzip ({exc})") from exc
    if len(xml) > limit:
        raise ValueError(f"a gzipped sitemap larger than {limit} bytes unzipped")
    return xml
