"""What a sample-site route answers, and the HTML page shell every page uses."""

import html
import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Reply:
    status: int
    content_type: str
    body: str | bytes
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, payload: Any, status: int = 200) -> "Reply":
        return cls(status, "application/json", json.dumps(payload))

    @classmethod
    def html(cls, page: str, status: int = 200) -> "Reply":
        return cls(status, "text/html", page)


def html_page(title: str, body: str, head: str = "") -> str:
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>{head}</head>\n<body>{body}</body></html>\n"
    )


def not_found(path: str) -> Reply:
    body = f"<h1>404 Not Found</h1><p>Nothing at {html.escape(path)}.</p>"
    return Reply(404, "text/html", html_page("Not found", body))


def jsonld_script(data: Any) -> str:
    """A JSON-LD <script> block, "</" escaped so that no text in it can close the script."""
    block = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{block}</script>'


def jsonld_place(city: str, region: str, country: str, **address: str) -> dict:
    """A schema.org Place at this PostalAddress; `address`: the other fields an ATS writes."""
    return {
        "@type": "Place",
        "address": {
            "@type": "PostalAddress",
            "addressLocality": city,
            "addressRegion": region,
            "addressCountry": country,
            **address,
        },
    }


def base_salary(pay: Any, unit: str | None = None) -> dict:
    """A job's pay as schema.org's baseSalary: a MonetaryAmount of a QuantitativeValue range
    (`unit`, else the period in capitals: YEAR, MONTH, HOUR)."""
    return {
        "@type": "MonetaryAmount",
        "currency": pay.currency,
        "value": {
            "@type": "QuantitativeValue",
            "minValue": pay.min,
            "maxValue": pay.max,
            "unitText": unit or pay.period.upper(),
        },
    }
