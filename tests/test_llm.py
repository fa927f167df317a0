"""The llm lane: the `openai` backend against a real small model, SmolLM2-135M served by
llama.cpp on 127.0.0.1 (`make test-llm`).

A 135M model gets most values wrong, so these tests check what must hold whatever it answers:
the shape and types of every enrichment, that the server held the model to the answer schema,
that invalid fields come from the rules backend, the answer cache and a mis-set server field.
Values are the default lane's business (tests/test_enrich_llm.py, with a ScriptedModel).
"""

import json

import pytest

from tasks.enrich import enrich_postings
from tasks.enrich.llm import ANSWER_SCHEMA, FIELDS, PROMPT_VERSION, Completion
from tasks.enrich.openai_backend import OpenAIEnricher
from tasks.enrich.rules import RulesEnricher
from tasks.models import Enrichment, Posting, Source
from tasks.settings import Settings
from tasks.store.persist import EnrichmentCache, open_database
from tests import llama_server

pytestmark = [
    pytest.mark.llm,
    pytest.mark.skipif(
        not llama_server.available(), reason="needs llama-cpp-python and SmolLM2: make setup-llm"
    ),
]

MAX_TOKENS = 512  # an answer here is 80-250 tokens; the test below checks none is cut off

# Short postings keep the lane at a few minutes: SmolLM2 writes ~10 tokens/s on two cores.
POSTINGS = [
    Posting(
        company_id="acme",
        company="Acme Robotics",
        source=Source.html,
        title="Sr. Data Engineer (m/w/d)",
        url="https://acme.example/jobs/1",
        location="Berlin, Germany",
        description="You will build batch and streaming pipelines in Python and Spark on AWS. "
        "Hybrid: two days a week in our Berlin office. Full-time, permanent. "
        "Salary: €70,000 - €85,000 per year.",
    ),
    Posting(
        company_id="globex",
        company="Globex Logistics",
        source=Source.html,
        title="Backend Developer Intern",
        url="https://globex.example/jobs/2",
        location="Toronto, ON, Canada",
        description="A summer internship on our freight platform team: write Go services and "
        "PostgreSQL queries. On-site in Toronto. CA$4,500 per month.",
    ),
    Posting(
        company_id="initech",
        company="Initech Health",
        source=Source.html,
        title="Staff Frontend Engineer",
        url="https://initech.example/jobs/3",
        location="Remote - US",
        description="This is a fully remote role. Lead our React and TypeScript design system "
        "for hospital scheduling software. $180k - $220k a year plus equity.",
    ),
]


class RecordingEnricher(OpenAIEnricher):
    """Keeps every completion, to check the raw answers as well as what became of them."""

    def __init__(self, settings: Settings):
        super().__init__(settings)
        self.completions: list[Completion] = []

    def complete(self, conversations: list[list[dict]]) -> list[Completion]:
        completions = super().complete(conversations)
        self.completions.extend(completions)
        return completions


def settings_for(url: str, **overrides) -> Settings:
    values = {
        "llm_base_url": url,
        "llm_model": llama_server.MODEL_ALIAS,
        "llm_structured_output": "json_object",  # llama-cpp-python answers json_schema with 500
        "llm_max_input_chars": 1500,
        "llm_max_tokens": MAX_TOKENS,
        "llm_concurrency": 2,
        "llm_timeout_s": 120,
        "llm_retries": 0,
    }
    return Settings(**{**values, **overrides})


@pytest.fixture(scope="module")
def server_url():
    with llama_server.llama_server(n_ctx=4096, n_threads=2) as url:
        yield url


@pytest.fixture(scope="module")
def first_run(server_url, tmp_path_factory):
    """One real run over POSTINGS with an empty answer cache, shared by the tests below: model
    calls take seconds each here."""
    cache = EnrichmentCache(open_database(f"sqlite:///{tmp_path_factory.mktemp('llm')}/c.db"))
    enricher = RecordingEnricher(settings_for(server_url))
    items, report = enrich_postings(POSTINGS, enricher, cache)
    return enricher, cache, items, report


def test_every_posting_gets_a_valid_enrichment_from_the_model(first_run):
    _, _, items, report = first_run

    assert [item.posting for item in items] == POSTINGS  # one result per posting, in order
    rules = RulesEnricher()
    for item in items:
        enrichment = item.enrichment
        assert Enrichment.model_validate(enrichment.model_dump()) == enrichment
        provenance = enrichment.provenance
        assert provenance.backend == "openai"  # not "rules": every request got an answer
        assert provenance.model == llama_server.MODEL_ALIAS
        assert provenance.prompt_version == PROMPT_VERSION
        # A tiny model gets fields wrong: those, and only real fields, come from the rules.
        assert set(provenance.fallbacks) <= set(FIELDS)
        assert bool(provenance.note) == bool(provenance.fallbacks)
        expected = rules.fields(item.posting).model_dump()
        for name in provenance.fallbacks:
            assert enrichment.model_dump()[name] == expected[name], name

    assert report.postings == 3 and report.cached == 0
    assert report.backend == "openai" and report.model == llama_server.MODEL_ALIAS
    assert 3 <= report.model_calls <= 6  # one each, plus at most one retry each
    assert report.prompt_tokens > 0 and report.completion_tokens > 0
    assert report.fallbacks == sum(bool(i.enrichment.provenance.fallbacks) for i in items)
    assert report.warning is None


def test_the_server_holds_the_model_to_the_answer_schema(first_run):
    enricher, _, items, report = first_run

    assert len(enricher.completions) == report.model_calls
    for completion in enricher.completions:
        assert completion.error is None and completion.text
        # Not cut off by max_tokens: a truncated answer is not JSON and would look like the
        # model's fault.
        assert completion.completion_tokens < MAX_TOKENS
        # llama-cpp-python's schema grammar lets raw control characters into strings, which
        # only a lenient parser accepts; the grammar itself guarantees the object's keys.
        answer = json.loads(completion.text, strict=False)
        assert list(answer) == list(ANSWER_SCHEMA["properties"])
    # Fallbacks come from validating values, never from an answer that is not JSON.
    notes = [i.enrichment.provenance.note or "" for i in items]
    assert not [note for note in notes if "not JSON" in note]


def test_a_rerun_is_served_from_the_cache_unless_forced(first_run):
    enricher, cache, first, _ = first_run

    again, report = enrich_postings(POSTINGS, enricher, cache)
    assert (report.model_calls, report.cached) == (0, 3)
    assert report.prompt_tokens == report.completion_tokens == 0
    assert [i.enrichment for i in again] == [i.enrichment for i in first]

    # One posting is enough to show force asks the model again (each call takes seconds).
    [forced], report = enrich_postings(POSTINGS[:1], enricher, cache, force=True)
    assert report.cached == 0 and 1 <= report.model_calls <= 2
    assert report.completion_tokens > 0
    assert forced.enrichment.provenance.backend == "openai"


def test_a_server_that_rejects_the_schema_field_leaves_every_posting_to_rules(server_url):
    # llama-cpp-python's server answers response_format json_schema with HTTP 500.
    enricher = OpenAIEnricher(settings_for(server_url, llm_structured_output="json_schema"))

    items, report = enrich_postings(POSTINGS, enricher)

    rules = RulesEnricher()
    assert len(items) == 3
    for item in items:
        provenance = item.enrichment.provenance
        assert provenance.backend == "rules"
        assert provenance.note.startswith("model request failed: InternalServerError")
        assert "500" in provenance.note
        assert set(provenance.fallbacks) == set(FIELDS)
        fields = item.enrichment.model_dump(exclude={"provenance"})
        assert fields == rules.fields(item.posting).model_dump()
    assert report.model_calls == 3 and report.completion_tokens == 0
    assert report.warning.startswith("3 postings enriched by rules: model request failed")
