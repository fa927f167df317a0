"""Benchmark: the enrich stage per backend available here, and what the answer cache saves.

Postings come from the sample site's generator (deployments.sample.jobs): real-looking
descriptions of ~1,000 characters with titles, places, work arrangements and salaries. Run with
`make bench` or `python -m tests.benchmarks.bench_enrich --postings 2000 --llm-postings 12`.

Printed side by side, measured in one run:
  rules          the deterministic backend over N postings
  openai         SmolLM2-135M on llama.cpp's OpenAI-compatible server on 127.0.0.1 (CPU), over M
                 postings with an empty answer cache: postings/s and tokens/s end to end
  cached rerun   the same M postings again with that cache: no model calls
Without llama-cpp-python (`make setup-llm`) only the rules row is measured.
"""

import argparse
import tempfile
from pathlib import Path

from deployments.sample.jobs import blocks_text, generate_jobs
from tasks.enrich import enrich_postings
from tasks.enrich.openai_backend import OpenAIEnricher
from tasks.enrich.rules import RulesEnricher
from tasks.models import EnrichReport, Posting, Source
from tasks.settings import Settings
from tasks.store.persist import EnrichmentCache, open_database
from tests import llama_server

PER_COMPANY = 20


def sample_postings(count: int, prefix: str = "bench") -> list[Posting]:
    """`count` generated postings, PER_COMPANY per company; the same ones every run."""
    postings: list[Posting] = []
    for company in range(-(-count // PER_COMPANY)):
        for job in generate_jobs(f"{prefix}{company:04d}", PER_COMPANY):
            postings.append(
                Posting(
                    company_id=job.slug,
                    company=job.company,
                    source=Source.html,
                    title=job.title,
                    url=f"https://{job.slug}.example/jobs/{job.n}",
                    location=job.location,
                    department=job.department,
                    description=blocks_text(job.blocks),
                )
            )
    return postings[:count]


def run_llm(args, postings: list[Posting]) -> tuple[EnrichReport, EnrichReport]:
    """The openai backend twice over the same postings: an empty answer cache, then a full one."""
    settings = Settings(
        llm_model=llama_server.MODEL_ALIAS,
        llm_structured_output="json_object",  # llama-cpp-python's server: 500 on json_schema
        llm_max_input_chars=args.max_input_chars,
        llm_max_tokens=args.max_tokens,
        llm_concurrency=args.concurrency,
        llm_retries=0,
    )
    with (
        llama_server.llama_server(n_ctx=4096, n_threads=args.threads) as url,
        tempfile.TemporaryDirectory(prefix="openings-bench-") as tmp,
    ):
        enricher = OpenAIEnricher(settings.model_copy(update={"llm_base_url": url}))
        cache = EnrichmentCache(open_database(f"sqlite:///{Path(tmp) / 'cache.db'}"))
        # Warm up: the first request pays for loading weights into the page cache.
        enrich_postings(sample_postings(1, prefix="warmup"), enricher)
        _, first = enrich_postings(postings, enricher, cache)
        _, second = enrich_postings(postings, enricher, cache)
    return first, second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=2000, help="postings for rules")
    parser.add_argument("--llm-postings", type=int, default=12, help="postings for the LLM")
    parser.add_argument("--concurrency", type=int, default=2, help="LLM requests in flight")
    parser.add_argument("--threads", type=int, default=2, help="llama.cpp CPU threads")
    parser.add_argument("--max-tokens", type=int, default=512)
    parser.add_argument("--max-input-chars", type=int, default=1500)
    args = parser.parse_args()

    postings = sample_postings(args.postings)
    enrich_postings(postings[:20], RulesEnricher())  # warm up: imports, regex compilation
    _, rules = enrich_postings(postings, RulesEnricher())
    rows = [("rules", rules)]
    llm = llama_server.available()
    if llm:
        first, second = run_llm(args, postings[: args.llm_postings])
        rows += [("openai, SmolLM2-135M", first), ("openai, cached rerun", second)]

    chars = sum(len(p.description) for p in postings) / len(postings)
    print(f"\n{len(postings)} sample postings, {chars:.0f} description characters on average")
    print(
        f"{'':<24}{'postings':>9}{'seconds':>9}{'postings/s':>12}{'calls':>7}"
        f"{'prompt tok/s':>14}{'compl. tok/s':>14}{'fallbacks':>11}{'vs rules':>11}"
    )
    base = rules.postings / rules.seconds
    for label, report in rows:
        seconds = max(report.seconds, 1e-3)  # SQLite reads can round to 0.000
        rate = report.postings / seconds
        prompt_rate = f"{report.prompt_tokens / seconds:.1f}" if report.model_calls else "-"
        completion_rate = f"{report.completion_tokens / seconds:.1f}" if report.model_calls else "-"
        print(
            f"{label:<24}{report.postings:>9}{report.seconds:>9.3f}{rate:>12.2f}"
            f"{report.model_calls:>7}{prompt_rate:>14}{completion_rate:>14}"
            f"{report.fallbacks:>11}{rate / base:>10.3g}x"
        )
    if not llm:
        print(
            "openai rows skipped: llama-cpp-python and the SmolLM2 model are not installed "
            "(make setup-llm)"
        )
        return
    print(
        f"\nopenai: {llama_server.MODEL_FILE} on llama.cpp, {args.threads} threads, "
        f"{args.concurrency} requests in flight, json_object schema, "
        f"max {args.max_input_chars} description chars and {args.max_tokens} answer tokens"
    )
    if first.warning:
        print(f"warning: {first.warning}")
    print("answer cache, same postings (SQLite):")
    print(f"{'':<24}{'calls':>7}{'cached':>8}{'seconds':>10}")
    for label, report in (("first run", first), ("second run", second)):
        print(f"{label:<24}{report.model_calls:>7}{report.cached:>8}{report.seconds:>10.3f}")
    print(f"{'first / second':<24}{'':>15}{first.seconds / max(second.seconds, 1e-3):>9.0f}x")


if __name__ == "__main__":
    main()
