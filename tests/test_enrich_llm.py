"""The LLM backends' shared path: the answer schema, validation, one retry, rules fallback, the
answer cache and source-stated fields; the `openai` backend over real HTTP to a ScriptedModel,
the `vllm` backend against FakeVLLM (vLLM needs a GPU; see the gpu and llm lanes)."""

import json
import sys
import types
from typing import ClassVar

import pytest

from tasks.enrich import enrich_postings, get_enricher
from tasks.enrich.llm import ANSWER_SCHEMA, PROMPT_VERSION, SYSTEM_PROMPT
from tasks.enrich.openai_backend import OpenAIEnricher
from tasks.enrich.rules import RulesEnricher
from tasks.models import (
    EmploymentType,
    Location,
    Posting,
    RemotePolicy,
    Salary,
    SalaryPeriod,
    Seniority,
    Source,
)
from tasks.settings import Settings
from tasks.skills import SKILLS
from tasks.store.persist import EnrichmentCache, open_database
from tests.conftest import free_port
from tests.scripted_model import ScriptedModel, good_answer, posting_title

DESCRIPTION = "We pay \u20ac60k\u2013\u20ac75k a year. Hybrid, Berlin. Python and Go."


def posting(title: str = "Sr. Backend Engineer (m/w/d)", **fields) -> Posting:
    values = {
        "company_id": "acme",
        "company": "Acme",
        "source": Source.html,
        "title": title,
        "url": f"https://acme.example/jobs/{title.replace(' ', '-')}",
        "location": "Berlin, Germany",
        "description": DESCRIPTION,
        **fields,
    }
    return Posting(**values)


@pytest.fixture
def model():
    server = ScriptedModel()
    yield server
    server.close()


def enricher_for(model: ScriptedModel, **settings) -> OpenAIEnricher:
    defaults = {"llm_base_url": model.url, "llm_model": "scripted-1", "llm_retries": 0}
    return OpenAIEnricher(Settings(**{**defaults, **settings}))


def test_the_answer_schema_is_strict_and_holds_skills_to_the_vocabulary():
    def objects(node):
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                yield node
            for value in node.values():
                yield from objects(value)
        elif isinstance(node, list):
            for value in node:
                yield from objects(value)

    found = list(objects(ANSWER_SCHEMA))
    assert len(found) >= 3  # the answer, its salary and a location
    for node in found:
        assert node["required"] == list(node["properties"])
        assert node["additionalProperties"] is False
    skills = ANSWER_SCHEMA["properties"]["skills"]
    assert skills["items"]["enum"] == sorted(SKILLS)
    assert set(ANSWER_SCHEMA["properties"]["remote"]["$ref"].split("/")[-1:]) == {"RemotePolicy"}
    assert len(PROMPT_VERSION) == 12


def test_a_valid_answer_is_used_and_says_who_made_it(model):
    [item], report = enrich_postings([posting()], enricher_for(model))
    fields = item.enrichment
    assert fields.title == "Sr. Backend Engineer (m/w/d)"  # the scripted model echoes it
    assert fields.seniority is Seniority.senior
    assert fields.remote is RemotePolicy.hybrid
    assert fields.locations == [Location(city="Berlin", country="DE")]
    assert fields.salary == Salary(min=70000, max=90000, currency="EUR", period=SalaryPeriod.year)
    assert fields.skills == ["PostgreSQL", "Python"]  # "postgres" normalised to the vocabulary
    assert fields.summary.startswith("Builds things")
    assert fields.provenance.model_dump() == {
        "backend": "openai",
        "model": "scripted-1",
        "prompt_version": PROMPT_VERSION,
        "fallbacks": [],
        "note": None,
        "dropped": [],
    }
    assert (report.model_calls, report.prompt_tokens, report.completion_tokens) == (1, 100, 20)
    [request] = model.requests
    assert request["model"] == "scripted-1" and request["temperature"] == 0
    assert request["messages"][0] == {"role": "system", "content": SYSTEM_PROMPT}
    assert request["messages"][1]["content"].startswith("Title: Sr. Backend Engineer (m/w/d)\n")
    assert request["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "posting_fields", "schema": ANSWER_SCHEMA, "strict": True},
    }


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("json_object", {"response_format": {"type": "json_object", "schema": ANSWER_SCHEMA}}),
        ("guided_json", {"guided_json": ANSWER_SCHEMA}),
    ],
)
def test_the_schema_goes_where_the_server_wants_it(model, kind, expected):
    enrich_postings([posting()], enricher_for(model, llm_structured_output=kind))
    [request] = model.requests
    assert {key: request[key] for key in expected} == expected
    if kind == "guided_json":
        assert "response_format" not in request


def test_an_invalid_answer_is_retried_once_with_its_problems_listed(model):
    bad = good_answer(
        "Senior Backend Engineer",
        salary={"min": 90000, "max": 70000, "currency": "EUR", "period": "year"},
        locations=[{"city": "Atlantis", "region": None, "country": "Atlantis"}],
    )
    replies = iter([bad, good_answer("Senior Backend Engineer")])
    model.reply = lambda messages: next(replies)

    [item], report = enrich_postings([posting()], enricher_for(model))

    assert report.model_calls == 2 and report.fallbacks == 0
    retry = model.requests[1]["messages"]
    assert retry[2] == {"role": "assistant", "content": bad}
    assert "min 90000 is above max 70000" in retry[3]["content"]
    assert "not an ISO 3166 country: 'Atlantis'" in retry[3]["content"]
    assert item.enrichment.salary.min == 70000
    assert item.enrichment.provenance.fallbacks == []


def test_fields_still_wrong_after_the_retry_come_from_rules(model):
    model.reply = lambda messages: good_answer(
        "Senior Backend Engineer",
        salary={"min": 75, "max": 90, "currency": "EUR", "period": "year"},  # not a yearly pay
        employment_type="gig",
    )
    [item], report = enrich_postings([posting()], enricher_for(model))

    rules = RulesEnricher().fields(posting())
    fields = item.enrichment
    assert report.model_calls == 2 and report.fallbacks == 1
    assert fields.provenance.backend == "openai"
    assert fields.provenance.fallbacks == ["employment_type", "salary"]
    assert "does not fit a yearly salary" in fields.provenance.note
    assert (
        fields.salary
        == rules.salary
        == Salary(min=60000, max=75000, currency="EUR", period=SalaryPeriod.year)
    )
    assert fields.employment_type == rules.employment_type
    assert fields.title == "Senior Backend Engineer"  # the valid fields are the model's
    assert fields.summary == "Builds things as Senior Backend Engineer."


def test_an_answer_that_is_not_json_falls_back_field_by_field(model):
    model.reply = lambda messages: "Sure! Here is the JSON you asked for:"
    [item], report = enrich_postings([posting()], enricher_for(model))
    fields = item.enrichment
    assert report.model_calls == 2
    assert fields.provenance.backend == "openai"
    assert set(fields.provenance.fallbacks) == set(ANSWER_SCHEMA["properties"])
    assert fields.title == "Senior Backend Engineer"  # rules: marker gone, Sr. spelled out
    assert fields.summary is None


def test_raw_newlines_in_an_answer_are_accepted(model):
    # llama.cpp's schema grammar lets a model write them inside strings.
    model.reply = lambda messages: good_answer(posting_title(messages), summary="Builds.\nShips.")
    model.reply = lambda messages, reply=model.reply: reply(messages).replace("\\n", "\n")
    [item], report = enrich_postings([posting()], enricher_for(model))
    assert report.model_calls == 1 and item.enrichment.provenance.fallbacks == []
    assert item.enrichment.summary == "Builds.\nShips."


def test_a_model_writing_enum_values_loosely_is_understood(model):
    model.reply = lambda messages: good_answer(
        posting_title(messages), employment_type="Full-time", remote="Remote"
    )
    [item], report = enrich_postings([posting()], enricher_for(model))
    assert item.enrichment.employment_type is EmploymentType.full_time
    assert item.enrichment.remote is RemotePolicy.remote
    assert report.model_calls == 1


def test_a_server_error_gives_the_posting_to_rules_and_the_company_goes_on(model):
    model.reply = lambda messages: 500
    [item], report = enrich_postings([posting()], enricher_for(model))
    assert item.enrichment.provenance.backend == "rules"
    assert "model request failed: InternalServerError" in item.enrichment.provenance.note
    assert report.warning.startswith("1 postings enriched by rules: model request failed")
    assert item.enrichment.salary.min == 60000  # the rules answer, not nothing


def test_an_unreachable_server_gives_every_posting_to_rules():
    enricher = OpenAIEnricher(
        Settings(llm_base_url=f"http://127.0.0.1:{free_port()}/v1", llm_retries=0)
    )
    items, report = enrich_postings([posting(), posting("Data Intern")], enricher)
    assert {i.enrichment.provenance.backend for i in items} == {"rules"}
    assert "APIConnectionError" in report.warning


def test_requests_in_flight_are_bounded():
    model = ScriptedModel(delay_s=0.05)
    try:
        batch = [posting(f"Engineer {n}") for n in range(8)]
        items, _ = enrich_postings(batch, enricher_for(model, llm_concurrency=3))
    finally:
        model.close()
    assert [i.enrichment.title for i in items] == [f"Engineer {n}" for n in range(8)]
    assert model.peak_in_flight == 3


def test_fields_the_source_states_win_over_the_model(model):
    stated = posting(
        remote=RemotePolicy.onsite,
        employment_type=EmploymentType.contract,
        salary=Salary(min=50, max=60, currency="EUR", period=SalaryPeriod.hour),
    )
    [item], _ = enrich_postings([stated], enricher_for(model))
    assert item.enrichment.remote is RemotePolicy.onsite
    assert item.enrichment.employment_type is EmploymentType.contract
    assert item.enrichment.salary.period is SalaryPeriod.hour


def test_unchanged_postings_are_not_sent_to_the_model_again(model, tmp_path):
    cache = EnrichmentCache(open_database(f"sqlite:///{tmp_path / 'cache.db'}"))
    enricher = enricher_for(model)
    batch = [posting(f"Engineer {n}") for n in range(3)]

    first, report = enrich_postings(batch, enricher, cache)
    assert (report.model_calls, report.cached) == (3, 0)

    again, report = enrich_postings(batch, enricher, cache)
    assert (report.model_calls, report.cached) == (0, 3)
    assert [i.enrichment for i in again] == [i.enrichment for i in first]

    changed = [*batch[:2], batch[2].model_copy(update={"description": "Now remote."})]
    _, report = enrich_postings(changed, enricher, cache)
    assert (report.model_calls, report.cached) == (1, 2)

    _, report = enrich_postings(batch, enricher, cache, force=True)
    assert (report.model_calls, report.cached) == (3, 0)

    other_model = enricher_for(model, llm_model="scripted-2")
    _, report = enrich_postings(batch, other_model, cache)
    assert (report.model_calls, report.cached) == (3, 0)
    assert len(model.requests) == 10


def test_answers_from_a_failed_request_are_not_cached(model, tmp_path):
    cache = EnrichmentCache(open_database(f"sqlite:///{tmp_path / 'cache.db'}"))
    model.reply = lambda messages: 503
    enrich_postings([posting()], enricher_for(model), cache)
    model.reply = lambda messages: good_answer(posting_title(messages))
    [item], report = enrich_postings([posting()], enricher_for(model), cache)
    assert report.cached == 0 and item.enrichment.provenance.backend == "openai"


def test_the_configured_server_is_used_when_no_backend_is_named(model, monkeypatch):
    monkeypatch.setenv("OPENINGS_LLM_BASE_URL", model.url)
    enricher = get_enricher(Settings())
    assert isinstance(enricher, OpenAIEnricher) and enricher.model == Settings().llm_model


def test_the_openai_backend_without_a_server_says_what_to_set():
    with pytest.raises(ValueError, match="OPENINGS_LLM_BASE_URL"):
        OpenAIEnricher(Settings(llm_base_url=None))


# --- vllm -----------------------------------------------------------------------------------


class FakeVLLM:
    """Stands in for the vllm package (CUDA-only) with its offline API's shapes: LLM(model,
    **options).chat(conversations, sampling_params, use_tqdm) -> [RequestOutput], SamplingParams,
    sampling_params.StructuredOutputsParams. Answers like the ScriptedModel's default."""

    engines: ClassVar[list["FakeVLLM.LLM"]] = []

    class StructuredOutputsParams:
        def __init__(self, json=None, **others):
            self.json = json

    class SamplingParams:
        def __init__(self, temperature=1.0, max_tokens=16, structured_outputs=None):
            self.temperature = temperature
            self.max_tokens = max_tokens
            self.structured_outputs = structured_outputs

    class LLM:
        def __init__(self, model, **options):
            self.model, self.options, self.batches = model, options, []
            FakeVLLM.engines.append(self)

        def chat(self, messages, sampling_params=None, use_tqdm=True):
            self.batches.append((messages, sampling_params))
            return [
                types.SimpleNamespace(
                    prompt_token_ids=[0] * 50,
                    outputs=[
                        types.SimpleNamespace(
                            text=good_answer(posting_title(conversation)), token_ids=[0] * 10
                        )
                    ],
                )
                for conversation in messages
            ]


@pytest.fixture
def fake_vllm(monkeypatch):
    module = types.ModuleType("vllm")
    module.LLM, module.SamplingParams = FakeVLLM.LLM, FakeVLLM.SamplingParams
    params = types.ModuleType("vllm.sampling_params")
    params.StructuredOutputsParams = FakeVLLM.StructuredOutputsParams
    monkeypatch.setitem(sys.modules, "vllm", module)
    monkeypatch.setitem(sys.modules, "vllm.sampling_params", params)
    FakeVLLM.engines.clear()
    return FakeVLLM


def test_vllm_loads_the_model_once_and_sends_each_job_as_one_batch(fake_vllm, monkeypatch):
    monkeypatch.setenv("OPENINGS_ENRICH_BACKEND", "vllm")
    monkeypatch.setenv("OPENINGS_VLLM_OPTIONS", json.dumps({"gpu_memory_utilization": 0.8}))
    enricher = get_enricher(Settings())
    for job in range(2):
        batch = [posting(f"Engineer {job}-{n}") for n in range(4)]
        items, report = enrich_postings(batch, get_enricher(Settings()))
        assert [i.enrichment.title for i in items] == [p.title for p in batch]
        assert {i.enrichment.provenance.backend for i in items} == {"vllm"}
        assert (report.model_calls, report.prompt_tokens, report.completion_tokens) == (
            4,
            200,
            40,
        )

    [engine] = fake_vllm.engines
    assert enricher.engine is engine
    assert engine.model == "Qwen/Qwen3-4B-Instruct-2507"
    assert engine.options == {"max_model_len": 8192, "gpu_memory_utilization": 0.8}
    assert len(engine.batches) == 2
    conversations, params = engine.batches[0]
    assert len(conversations) == 4 and conversations[0][0]["content"] == SYSTEM_PROMPT
    assert params.temperature == 0
    assert params.structured_outputs.json == ANSWER_SCHEMA


def test_vllm_without_the_extra_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "vllm", None)  # import vllm raises ImportError
    monkeypatch.setenv("OPENINGS_ENRICH_BACKEND", "vllm")
    monkeypatch.setenv("OPENINGS_LLM_MODEL", "not-installed/model")
    with pytest.raises(RuntimeError, match=r"needs the vllm extra on a GPU host"):
        get_enricher(Settings())
