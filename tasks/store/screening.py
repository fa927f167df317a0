"""What the database does not store: a posting whose data cannot be right.

Postings that do not even validate are dropped by the fetch stage (`FetchReport.rejected`);
these checks catch the rest before persisting. Each rejection keeps its reason, and the company's
row in company_runs counts them, so bad data is visible without stopping the good data.
"""

from collections import Counter
from urllib.parse import urlsplit

from tasks.enrich.rules import amount_problem
from tasks.models import EnrichedPosting


def storage_problem(item: EnrichedPosting) -> str | None:
    """Why this posting cannot be stored, or None."""
    posting = item.posting
    if not posting.title.strip():
        return "missing title"
    parts = urlsplit(posting.url)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in parts.netloc:
        return f"url does not parse: {posting.url[:100]!r}"
    if problem := amount_problem(item.enrichment.salary):
        return f"absurd salary: {problem}"
    return None


def screen(items: list[EnrichedPosting]) -> tuple[list[EnrichedPosting], list[str]]:
    """The postings fit to store, and the reasons ("reason (url)") of those that are not."""
    kept, rejected = [], []
    for item in items:
        if problem := storage_problem(item):
            rejected.append(f"{problem} ({item.posting.url[:200]})")
        else:
            kept.append(item)
    return kept, rejected


def summarize(reasons: list[str]) -> str | None:
    """ "2 x missing title; 1 x url does not parse" from reasons, grouped by their kind."""
    kinds = Counter(reason.split(":")[0].split(" (")[0] for reason in reasons)
    return "; ".join(f"{n} x {kind}" for kind, n in kinds.most_common()) or None
