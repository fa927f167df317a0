"""What the database does not store: a posting that cannot be one, or a field that cannot be right.

Postings that do not even validate are dropped by the fetch stage (`FetchReport.rejected`). Here,
a posting with no title or no URL that parses is rejected; a field whose value cannot be right (a
salary of $5,000,000,000 a year, or 24.04 a year) is dropped and the posting kept, the field named
with why in its `dropped_fields`. The company's row in company_runs counts both, so bad data is
visible without losing the good.
"""

from collections import Counter
from urllib.parse import urlsplit

from tasks.enrich.rules import amount_problem
from tasks.models import EnrichedPosting


def storage_problem(item: EnrichedPosting) -> str | None:
    """Why this cannot be stored as a posting at all, or None."""
    posting = item.posting
    if not posting.title.strip():
        return "missing title"
    parts = urlsplit(posting.url)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in parts.netloc:
        return f"url does not parse: {posting.url[:100]!r}"
    return None


def without_bad_fields(item: EnrichedPosting) -> EnrichedPosting:
    """The posting with every field that cannot be right nulled, and named in `dropped`."""
    enrichment = item.enrichment
    if problem := amount_problem(enrichment.salary):
        provenance = enrichment.provenance.model_copy(
            update={"dropped": [*enrichment.provenance.dropped, f"salary: {problem}"]}
        )
        enrichment = enrichment.model_copy(update={"salary": None, "provenance": provenance})
    return (
        item
        if enrichment is item.enrichment
        else item.model_copy(update={"enrichment": enrichment})
    )


def screen(items: list[EnrichedPosting]) -> tuple[list[EnrichedPosting], list[str]]:
    """The postings to store (bad fields dropped), and the reasons ("reason (url)") of those that
    cannot be stored at all."""
    kept, rejected = [], []
    for item in items:
        if problem := storage_problem(item):
            rejected.append(f"{problem} ({item.posting.url[:200]})")
        else:
            kept.append(without_bad_fields(item))
    return kept, rejected


def summarize(reasons: list[str]) -> str | None:
    """ "2 x missing title; 1 x url does not parse" from reasons, grouped by their kind."""
    kinds = Counter(reason.split(":")[0].split(" (")[0] for reason in reasons)
    return "; ".join(f"{n} x {kind}" for kind, n in kinds.most_common()) or None
