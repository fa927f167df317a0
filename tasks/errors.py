"""The one error type the fetch stage raises for a company it could not read."""


class FetchError(Exception):
    """A company could not be fetched. `category` and `http_status` end up in the run report.

    Categories: http (an error status), network (connection refused, DNS, timeout), blocked (a
    private address while the SSRF guard is on), too_large, parse (the response was not what the
    source should return).
    """

    TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})

    def __init__(self, category: str, message: str, *, url: str, http_status: int | None = None):
        self.category = category
        self.url = url
        self.http_status = http_status
        super().__init__(f"{category}: {message} ({url})")

    @property
    def transient(self) -> bool:
        return self.category == "network" or self.http_status in self.TRANSIENT_STATUSES
