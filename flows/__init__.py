"""Prefect flows: orchestration, progress relay and artifacts. The work itself lives in tasks/."""

import os

# Defaults for the ephemeral Prefect server a run starts when PREFECT_API_URL is unset: a fresh
# PREFECT_HOME needs ~14 s to migrate (over the 20 s default on a busy box), and offline the
# analytics client only logs DNS errors. Set before prefect is imported; the environment wins.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
