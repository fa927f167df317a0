"""The work of Openings: fetch, extract, enrich, persist and export, plus the RQ plumbing."""
