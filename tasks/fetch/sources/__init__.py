"""Where postings come from: an ATS's job-board API, read by its adapter (tasks.fetch.sources.ats,
one module per ATS), or a company's own careers pages (web: the board they embed, JSON-LD, the
job list a page ships for its JavaScript, plain HTML).

Which one a company is read through: its careers URL's host names an ATS (detect_source), or its
careers page embeds or links an ATS board (board_from_page), else its pages are read.
"""

from collections import Counter
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

from tasks.fetch.sources.ats import ATS_ADAPTERS
from tasks.fetch.sources.common import on_hosts
from tasks.models import Source

# Where pages reference a board: links, embed scripts, iframes (lazy-loaded ones keep the address
# in data-src until they scroll into view).
_REFERENCES = "//a/@href | //area/@href | //script/@src | //iframe/@src | //iframe/@data-src"


def detect_source(careers_url: str) -> Source:
    """Recognise an ATS from its careers-page host; anything else is a web page read for JSON-LD."""
    for source, adapter in ATS_ADAPTERS.items():
        if on_hosts(careers_url, adapter.HOSTS):
            return source
    return Source.jsonld


def board_from_page(html: str, page_url: str) -> tuple[Source, str] | None:
    """The ATS board a company's own careers page embeds or links to, as (source, board URL).

    The board URL is one the adapter's api_url understands. When a page references several
    boards, the one it references most wins (a footer link to another company's board loses to
    the embed and the job links). Embeds that name a board only by a numeric account id (the old
    Workable and Recruitee widgets) cannot be resolved to a board and are not recognised.
    """
    try:
        document = lxml_html.fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    found: Counter[tuple[Source, str]] = Counter()
    for reference in document.xpath(_REFERENCES):
        url = urljoin(page_url, str(reference).strip())
        for source, adapter in ATS_ADAPTERS.items():
            if board := adapter.board_url(url):
                found[(source, board)] += 1
                break
    return found.most_common(1)[0][0] if found else None
