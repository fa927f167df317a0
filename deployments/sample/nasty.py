"""Sample-site routes: nasty (placeholder until filled)."""

from typing import Any


def respond(site: Any, method: str, path: str, query: dict, body: bytes):
    return None
