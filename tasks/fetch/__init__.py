"""The fetch stage: HTTP and the browser, politeness, the SSRF guard, and one adapter per ATS."""
