"""A role's fingerprint: what stays the same when a company takes a posting down and puts the
same role up again under a new ATS id or URL.

The fingerprint is the company, the title without its place ("Data Engineer - Berlin (Remote)"
is "data engineer") and the description's words without numbers (dates, requisition ids and
head counts change between copies). Two postings of one company with the same fingerprint are
the same role; the export says which of them are reposts (tasks/store/signals.py).
"""

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

# Words that say where or how a role is worked, beside the posting's own places.
_PLACE_WORDS = frozenset(
    {"remote", "hybrid", "onsite", "on", "site", "office", "based", "anywhere", "home"}
    | {"worldwide", "global", "emea", "apac", "latam", "amer", "americas", "europe"}
    | {"eu", "uk", "us", "usa", "na"}
)
# A title's clauses: split at dashes, bars, slashes, commas, colons and brackets.
_CLAUSE = re.compile(r"\s+[-\u2013\u2014|/:]\s+|[,()\[\]]")  # en and em dashes too
_WORD = re.compile(r"[a-z]+")


def role_title(title: str, places: Iterable[str | None] = ()) -> str:
    """The title with every clause that only names a place (or remote, hybrid, ...) left out,
    in lower-case words: "Senior Engineer, Berlin - Remote" -> "senior engineer"."""
    place_words = _PLACE_WORDS | {word for place in places if place for word in _words(place)}
    clauses = [_words(clause) for clause in _CLAUSE.split(title)]
    kept = [clause for clause in clauses if clause and not set(clause) <= place_words]
    return " ".join(word for clause in kept for word in clause) or " ".join(_words(title))


def role_fingerprint(row: Mapping[str, Any]) -> str:
    """The fingerprint of a `postings` row (its company_id, title, description, location and
    locations)."""
    places = [row["location"], *(v for place in row["locations"] for v in place.values())]
    body = " ".join(_words(row["description"] or ""))
    key = f"{row['company_id']}|{role_title(row['title'], places)}|{body}"
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def _words(text: str) -> list[str]:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _WORD.findall(ascii_text.lower())
