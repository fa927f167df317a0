"""The one error type the fetch stage raises for a page or a company it could not read."""


class FetchError(Exception):
    """A page or a company could not be fetched. `category` and `http_status` reach the run report.

    Categories:
      http       the server answered an error status (http_status says which)
      network    connection refused or reset, DNS failure
      timeout    no complete answer within the request timeout
      redirect   a redirect loop, or more redirects than allowed
      too_large  the response is larger than the size cap
      blocked    a private address while the SSRF guard is on
      robots     robots.txt disallows the page for our User-Agent
      parse      the response is not what the source should return (not HTML, not JSON, ...)
      browser    the browser for JavaScript pages could not be started
    """

    TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
    TRANSIENT_CATEGORIES = frozenset({"network", "timeout"})

    def __init__(
        self,
        category: str,
        message: str,
        *,
        url: str,
        http_status: int | None = None,
        retry_after_s: float | None = None,
    ):
        self.category = category
        self.message = message
        self.url = url
        self.http_status = http_status
        self.retry_after_s = retry_after_s  # what the server asked for (Retry-After), if anything
        super().__init__(f"{category}: {message} ({url})")

    @classmethod
    def for_status(cls, status: int, url: str, retry_after_s: float | None = None) -> "FetchError":
        """The error for an HTTP error status, on either fetch path (plain or browser)."""
        message = f"HTTP {status}" + (f", Retry-After {retry_after_s:g} s" if retry_after_s else "")
        return cls("http", message, url=url, http_status=status, retry_after_s=retry_after_s)

    @property
    def transient(self) -> bool:
        return (
            self.category in self.TRANSIENT_CATEGORIES
            or self.http_status in self.TRANSIENT_STATUSES
        )
