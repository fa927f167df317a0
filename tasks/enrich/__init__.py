"""The enrich stage: structured fields analysts filter on, added to every posting.

Backends share one batch interface and answer in one schema (`tasks.models.PostingFields`):
`rules` (deterministic, the default and the fallback), `openai` (any OpenAI-compatible server)
and `vllm` (in-process on a GPU worker). Model answers are cached in the database by what the
model was shown, so a rerun only pays for new and changed postings. What a source states in
structured form always wins over what any backend infers.
"""

import logging
import time
from typing import Protocol

from tasks.enrich.llm import LLMEnricher
from tasks.enrich.rules import RulesEnricher, Usage
from tasks.models import EnrichedPosting, Enrichment, EnrichReport, Posting, Salary
from tasks.queueing.stopping import StopFlag
from tasks.settings import Settings

log = logging.getLogger(__name__)


class Enricher(Protocol):
    """An enrichment backend: one Enrichment per posting, in the same order."""

    name: str
    model: str | None  # None: deterministic and instant; only LLM enrichers' answers are cached
    # Postings per call when a job may be stopped between calls (None: all at once). A stopped
    # run's job ends before its next batch, not after every remaining model request.
    batch_size: int | None

    def enrich(self, postings: list[Posting]) -> tuple[list[Enrichment], Usage]: ...


class Cache(Protocol):
    def get(self, keys: list[str]) -> dict[str, Enrichment]: ...

    def put(self, items: dict[str, Enrichment]) -> None: ...


BACKENDS = ("rules", "openai", "vllm")
_loaded: dict[str, Enricher] = {}


def backend_name(settings: Settings) -> str:
    """`auto` is `openai` when a server is configured, else `rules`."""
    if settings.enrich_backend == "auto":
        return "openai" if settings.llm_base_url else "rules"
    return settings.enrich_backend


def get_enricher(settings: Settings) -> Enricher:
    """The configured backend, loaded once per process: a GPU worker keeps its model in memory."""
    name = backend_name(settings)
    key = settings.model_dump_json(include=settings.llm_fields | {"enrich_backend"})
    if key not in _loaded:
        if name == "rules":
            _loaded[key] = RulesEnricher()
        elif name == "openai":
            from tasks.enrich.openai_backend import OpenAIEnricher

            _loaded[key] = OpenAIEnricher(settings)
        elif name == "vllm":
            from tasks.enrich.vllm_backend import VLLMEnricher

            _loaded[key] = VLLMEnricher(settings)
        else:
            known = ", ".join(("auto", *BACKENDS))
            raise ValueError(f"unknown enrichment backend {name!r}; known backends: {known}")
    return _loaded[key]


def enrich_postings(
    postings: list[Posting],
    enricher: Enricher,
    cache: Cache | None = None,
    *,
    force: bool = False,
    stop: StopFlag | None = None,
) -> tuple[list[EnrichedPosting], EnrichReport]:
    """Enrich a batch, asking the model only about postings it has not seen (unless `force`).

    Raises RunStopped before the next batch of model requests once `stop` is set."""
    started = time.perf_counter()
    keys: list[str | None] = [None] * len(postings)
    known: dict[str, Enrichment] = {}
    if cache is not None and isinstance(enricher, LLMEnricher):
        keys = [enricher.cache_key(p) for p in postings]
        if not force:
            known = cache.get([k for k in keys if k])
    todo = [i for i, key in enumerate(keys) if key not in known]
    fresh: list[Enrichment] = []
    usage = Usage()
    step = enricher.batch_size if stop and enricher.batch_size else max(len(todo), 1)
    for start in range(0, len(todo), step):
        if stop:
            stop.check()
        batch = [postings[i] for i in todo[start : start + step]]
        answers, used = enricher.enrich(batch)
        if len(answers) != len(batch):
            raise RuntimeError(
                f"enricher {enricher.name!r} returned {len(answers)} results for {len(batch)} "
                "postings"
            )
        fresh += answers
        usage += used
    answers = dict(zip(todo, fresh, strict=True))
    if cache is not None:
        # A rules answer standing in for a failed request is not the model's: ask again next run.
        cache.put(
            {keys[i]: e for i, e in answers.items() if keys[i] and e.provenance.backend != "rules"}
        )
    enriched = []
    for i, posting in enumerate(postings):
        enrichment = answers[i] if i in answers else known[keys[i]]
        enriched.append(
            EnrichedPosting(posting=posting, enrichment=_stated_wins(posting, enrichment))
        )
    failed = [e for e in fresh if enricher.model and e.provenance.backend == "rules"]
    report = EnrichReport(
        postings=len(postings),
        backend=enricher.name,
        model=enricher.model,
        cached=len(postings) - len(todo),
        model_calls=usage.model_calls,
        fallbacks=sum(bool(e.provenance.fallbacks) for e in fresh),
        prompt_tokens=usage.prompt_tokens,
        completion_tokens=usage.completion_tokens,
        seconds=round(time.perf_counter() - started, 3),
        warning=(
            f"{len(failed)} postings enriched by rules: {failed[0].provenance.note}"
            if failed
            else None
        ),
    )
    log.debug("enriched %d postings: %s", len(postings), report)
    return enriched, report


def _stated_wins(posting: Posting, enrichment: Enrichment) -> Enrichment:
    """Fields the source states in structured form replace what the backend inferred."""
    stated: dict[str, object] = {}
    if posting.remote is not None:
        stated["remote"] = posting.remote
    if posting.employment_type is not None:
        stated["employment_type"] = posting.employment_type
    if _stated(posting.salary):
        stated["salary"] = posting.salary
    if posting.locations:
        stated["locations"] = posting.locations
    return enrichment.model_copy(update=stated) if stated else enrichment


def _stated(salary: Salary | None) -> bool:
    return salary is not None and (salary.min is not None or salary.max is not None)
