"""One settings class for the whole pipeline, read from the environment.

`REDIS_URL` and `DATABASE_URL` keep their usual names; everything else is prefixed `OPENINGS_`.
"""

import functools
import os
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OPENINGS_", extra="ignore")

    redis_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("REDIS_URL", "OPENINGS_REDIS_URL"),
        description="Unset: the run starts an embedded Redis and its own workers.",
    )
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "OPENINGS_DATABASE_URL"),
        description="Unset: SQLite at OUTPUT_DIR/openings.db.",
    )
    output_dir: Path = Path("data")

    # Fetching
    allow_private_hosts: bool = Field(
        default=False, description="Allow loopback, private and link-local addresses (SSRF guard)."
    )
    user_agent: str = "OpeningsBot/0.1 (+https://github.com/openings/openings)"
    request_timeout_s: float = 20.0
    max_response_bytes: int = 10_000_000
    max_redirects: int = 5
    max_detail_pages: int = 500
    max_listing_pages: int = Field(default=20, description="Listing pages followed by pagination.")
    page_concurrency: int = Field(default=16, description="Pages in flight within one job.")
    host_concurrency: int = Field(
        default=4, description="Requests in flight to one host, across all workers."
    )
    host_interval_s: float = Field(
        default=0.1, description="Minimum gap between request starts to one host, all workers."
    )
    # A documented job-board API is built for programmatic reads, and every board of an ATS lives
    # on its one API host: the career-site limits above would cap a whole run at ~10 requests/s.
    api_host_concurrency: int = Field(
        default=32, description="Requests in flight to one ATS API host, across all workers."
    )
    api_host_interval_s: float = Field(
        default=0.0, description="Minimum gap between request starts to one ATS API host."
    )
    retry_attempts: int = 4
    retry_wait_max_s: float = 10.0
    retry_after_max_s: float = Field(
        default=120.0, description="Longest Retry-After honoured; a longer one fails the fetch."
    )
    ats_api_roots: dict[str, str] = Field(
        default_factory=dict,
        description="Where an ATS's API is served instead of its public host, e.g. a caching "
        'mirror: {"greenhouse": "http://mirror:8080/greenhouse"} (JSON).',
    )
    browser_executable: str = Field(
        default="/usr/bin/chromium", description="Chromium for JavaScript pages (Debian's package)."
    )
    browser_args: list[str] = Field(
        default_factory=list, description="Extra Chromium flags (JSON list)."
    )

    # Queues and workers
    fetch_queue: str = "io_fetch"
    enrich_queue: str = "ai_enrich"
    fetch_job_timeout_s: int = 900
    enrich_job_timeout_s: int = 1800
    job_retries: int = 2
    local_fetch_workers: int | None = Field(
        default=None,
        description="Fetch workers a run starts when none listen (default: one per ten companies, "
        "at least 2, at most eight per CPU core and 16: fetching mostly waits on the network).",
    )
    local_enrich_workers: int = 1
    run_timeout_s: int = 6 * 3600
    run_ttl_s: int = 3 * 24 * 3600
    progress_interval_s: float = Field(
        default=2.0, description="Least gap between updates of a run's progress artifact."
    )
    table_interval_s: float = Field(
        default=15.0,
        description="Least gap between versions of a run's live table artifact (one per publish).",
    )

    # Enrichment
    enrich_backend: Literal["auto", "rules", "openai", "vllm"] = Field(
        default="auto",
        description="auto: openai when OPENINGS_LLM_BASE_URL is set, else rules (no model).",
    )
    llm_model: str = Field(
        default="Qwen/Qwen3-4B-Instruct-2507",
        description="The model vllm loads, or the model name sent to the OpenAI-compatible server.",
    )
    llm_base_url: str | None = Field(
        default=None, description="OpenAI-compatible server, e.g. http://gpu-host:8000/v1."
    )
    llm_api_key: SecretStr | None = None
    llm_structured_output: Literal["json_schema", "json_object", "guided_json"] = Field(
        default="json_schema",
        description="Where the server wants the JSON schema: response_format json_schema "
        "(OpenAI, vLLM, SGLang, Ollama), response_format json_object with a schema "
        "(llama.cpp's llama-cpp-python server), or guided_json (vLLM before 0.12).",
    )
    llm_concurrency: int = Field(
        default=8, description="Requests in flight to the server, per job."
    )
    llm_timeout_s: float = 120.0
    llm_retries: int = Field(
        default=3, description="Retries of a failed request (connection errors, 408, 429, 5xx)."
    )
    llm_max_tokens: int = 1024
    llm_max_input_chars: int = Field(
        default=8000, description="Description characters the model is shown."
    )
    vllm_options: dict[str, Any] = Field(
        default_factory=dict,
        description='Extra vllm.LLM arguments (JSON), e.g. {"gpu_memory_utilization": 0.85}.',
    )

    # Comparable salaries in the postings files (tasks/store/salaries.py)
    salary_hours_per_year: float = Field(
        default=2080, gt=0, description="An hourly salary times this is its yearly one."
    )
    salary_days_per_year: float = Field(
        default=260, gt=0, description="A daily salary times this is its yearly one."
    )
    salary_weeks_per_year: float = Field(
        default=52, gt=0, description="A weekly salary times this is its yearly one."
    )
    salary_rates_file: Path | None = Field(
        default=None,
        description="YAML naming one currency and each other's worth in it: yearly salaries "
        "are also given in that currency.",
    )

    # Ghost-posting signals in the postings files (tasks/store/signals.py): evidence, never a
    # verdict, so each threshold is the analyst's to set.
    ghost_open_days: int = Field(
        default=60, ge=0, description="open_long: open at least this many days, and ..."
    )
    ghost_open_factor: float = Field(
        default=3.0,
        gt=0,
        description="... at least this many times the median days open of the company's "
        "postings in its department.",
    )
    ghost_reposts: int = Field(
        default=2, ge=1, description="reposted, unchanged_reposts: the role reposted this often."
    )
    ghost_published_days: int = Field(
        default=60,
        ge=0,
        description="published_early: published this many days before its first sighting.",
    )

    # Maintenance (the hourly `maintenance` flow) and health
    run_silent_s: int = Field(
        default=120,
        description="A running run whose flow has not beaten for this long (it beats every "
        "15 s) lost its flow: maintenance marks it crashed.",
    )
    keep_ended_run_s: int = Field(
        default=3600,
        description="Maintenance deletes a run's Redis keys and jobs this long after it ended "
        "(until then `flows.watch` can replay it).",
    )
    health_no_worker_s: int = Field(
        default=300,
        description="A queue whose oldest queued job has waited this long with no worker "
        "listening on it is unhealthy, and a run fails the companies waiting on it.",
    )
    health_max_queued_age_s: int = Field(
        default=3600, description="A job queued longer than this is unhealthy, workers or not."
    )
    health_max_redis_memory_mb: int = Field(
        default=1024, description="Redis using more memory than this is unhealthy."
    )

    @property
    def llm_fields(self) -> set[str]:
        """The settings an enrichment backend is built from."""
        return {name for name in type(self).model_fields if name.startswith(("llm_", "vllm_"))}

    def database_url_for(self, output_dir: Path) -> str:
        return self.database_url or f"sqlite:///{(output_dir / 'openings.db').resolve()}"


def from_environment() -> Settings:
    """Settings from the environment as it is now, read again only when it changed. For code
    that asks many times, such as every RQ job: reading them costs ~2 ms (pydantic-settings
    goes through every field), a tenth of a company's enrich job. Do not modify the result."""
    return _read(frozenset(os.environ.items()))


@functools.lru_cache(maxsize=4)
def _read(environment: frozenset) -> Settings:
    return Settings()
