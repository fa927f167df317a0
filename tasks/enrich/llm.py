"""What every LLM backend shares: the prompt, the answer schema, validation, retry and fallback.

A backend only turns conversations into completions. Here each answer is validated field by
field (the schema's types and enums, ISO codes, a salary whose amounts fit its period); an
answer with problems is sent back once with the problems listed, and fields still wrong after
that come from the rules backend. A failed request (server down, timeout) gives the whole
posting to the rules backend. No answer fails a company.
"""

import hashlib
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter, ValidationError

from tasks.enrich.rules import RulesEnricher, Usage, salary_problem
from tasks.models import Enrichment, Posting, PostingFields, Provenance, Salary

log = logging.getLogger(__name__)

SYSTEM_PROMPT = """\
You extract facts from one job posting into a dataset that analysts filter on. Reply with one \
JSON object that follows the schema. Use only what the posting says; when it says nothing, use \
null (remote: "unknown", lists: []).
- title: the job title alone, without gender markers such as (m/w/d), locations or requisition \
codes; abbreviations spelled out (Sr. becomes Senior).
- seniority: the level the title names; null when it names none.
- employment_type and remote: as the posting states them.
- locations: each place the role is based; country as an ISO 3166-1 alpha-2 code (US, DE, GB).
- salary: pay for this role only, with the currency as an ISO 4217 code, amounts as plain \
numbers (120000, not 120k) and the period they are per; null when no amount is stated.
- skills: technologies the posting asks for, from the schema's list only.
- summary: one or two sentences on what the person in this role will do."""


def strict_schema(schema: Any) -> Any:
    """Every property required (nullable instead of optional) and no others: the shape OpenAI's
    strict mode asks for, which vLLM, llama.cpp and SGLang accept as well."""
    if isinstance(schema, dict):
        schema = {k: strict_schema(v) for k, v in schema.items()}
        if schema.get("type") == "object" and "properties" in schema:
            schema["required"] = list(schema["properties"])
            schema["additionalProperties"] = False
            for prop in schema["properties"].values():
                prop.pop("default", None)
        return schema
    if isinstance(schema, list):
        return [strict_schema(item) for item in schema]
    return schema


ANSWER_SCHEMA = strict_schema(PostingFields.model_json_schema())
# Changes whenever the prompt or the schema (fields, descriptions, skills vocabulary) does, so
# cached answers from an older prompt are never reused.
PROMPT_VERSION = hashlib.sha256(
    (SYSTEM_PROMPT + json.dumps(ANSWER_SCHEMA, sort_keys=True)).encode()
).hexdigest()[:12]
MAX_DESCRIPTION_CHARS = 8000


def prompt_text(posting: Posting, max_chars: int = MAX_DESCRIPTION_CHARS) -> str:
    """The user message: what the model sees of the posting (and what the cache is keyed by)."""
    lines = [f"Title: {posting.title}", f"Company: {posting.company}"]
    if posting.location:
        lines.append(f"Location: {posting.location}")
    if posting.department:
        lines.append(f"Department: {posting.department}")
    description = posting.description[:max_chars]
    return "\n".join(lines) + f"\n\nDescription:\n{description}"


def conversation(posting: Posting, max_chars: int = MAX_DESCRIPTION_CHARS) -> list[dict]:
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": prompt_text(posting, max_chars)},
    ]


@dataclass
class Completion:
    """One answer from the model, or why there is none."""

    text: str | None
    error: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass
class Answer:
    """A parsed answer: the valid fields, and what is wrong with the others."""

    values: dict[str, Any] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)


FIELDS = tuple(PostingFields.model_fields)
_SALARY = TypeAdapter(Salary)


def parse_answer(text: str) -> Answer:
    """Validate an answer field by field: a bad salary does not throw away a good title."""
    try:
        # strict=False: llama.cpp's schema grammar lets raw newlines into strings.
        data = json.loads(text, strict=False)
    except json.JSONDecodeError as exc:
        return Answer(problems={name: f"not JSON ({exc.msg})" for name in FIELDS})
    if not isinstance(data, dict):
        return Answer(problems={name: "not a JSON object" for name in FIELDS})
    data = {name: data[name] for name in FIELDS if name in data}
    problems: dict[str, str] = {}
    try:
        PostingFields.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "*"
            where = ".".join(str(part) for part in error["loc"])
            problems.setdefault(name, f"{where}: {error['msg']}")
    values = {k: v for k, v in data.items() if k not in problems}
    salary = values.get("salary")
    if salary is not None and (problem := salary_problem(_SALARY.validate_python(salary))):
        problems["salary"] = f"salary: {problem}"
        del values["salary"]
    return Answer(values, problems)


def feedback(problems: dict[str, str]) -> str:
    listed = "; ".join(sorted(set(problems.values())))
    return f"That answer is not valid: {listed}. Reply with the corrected JSON object only."


class LLMEnricher:
    """The shared half of the `openai` and `vllm` backends; subclasses implement `complete`."""

    name: str
    model: str
    max_input_chars: int = MAX_DESCRIPTION_CHARS
    batch_size: int | None = None  # vllm: the whole company is one batch for the engine

    def cache_key(self, posting: Posting) -> str:
        """Same backend, model, prompt version and prompt: the same answer (temperature 0)."""
        prompt = prompt_text(posting, self.max_input_chars)
        text = "\0".join((self.name, self.model, PROMPT_VERSION, prompt))
        return hashlib.sha256(text.encode()).hexdigest()

    def complete(self, conversations: list[list[dict]]) -> list[Completion]:
        """One completion per conversation, in order; a failed request is a Completion with an
        error, not an exception."""
        raise NotImplementedError

    def enrich(self, postings: list[Posting]) -> tuple[list[Enrichment], Usage]:
        usage = Usage()
        if not postings:
            return [], usage
        conversations = [conversation(p, self.max_input_chars) for p in postings]
        completions = self._complete(conversations, usage)
        answers = [parse_answer(c.text) if c.text is not None else None for c in completions]
        retry = [i for i, a in enumerate(answers) if a is not None and a.problems]
        if retry:
            followups = [
                [
                    *conversations[i],
                    {"role": "assistant", "content": completions[i].text},
                    {"role": "user", "content": feedback(answers[i].problems)},
                ]
                for i in retry
            ]
            for i, completion in zip(retry, self._complete(followups, usage), strict=True):
                if completion.text is not None:
                    second = parse_answer(completion.text)
                    # Keep whichever answer has fewer problems; the retry wins a tie.
                    if len(second.problems) <= len(answers[i].problems):
                        answers[i] = second
        rules = RulesEnricher()
        results = []
        for posting, answer, completion in zip(postings, answers, completions, strict=True):
            fallback = rules.fields(posting)
            if answer is None:
                note = f"model request failed: {completion.error}"
                results.append(self._fallback_all(fallback, note))
                continue
            merged = {**fallback.model_dump(), **answer.values}
            results.append(
                Enrichment(
                    **PostingFields.model_validate(merged).model_dump(),
                    provenance=Provenance(
                        backend=self.name,
                        model=self.model,
                        prompt_version=PROMPT_VERSION,
                        fallbacks=sorted(answer.problems),
                        note="; ".join(dict.fromkeys(answer.problems.values())) or None,
                    ),
                )
            )
        return results, usage

    def _complete(self, conversations: list[list[dict]], usage: Usage) -> list[Completion]:
        completions = self.complete(conversations)
        usage.model_calls += len(conversations)
        usage.prompt_tokens += sum(c.prompt_tokens for c in completions)
        usage.completion_tokens += sum(c.completion_tokens for c in completions)
        return completions

    def _fallback_all(self, fields: PostingFields, note: str) -> Enrichment:
        provenance = Provenance(backend="rules", fallbacks=list(FIELDS), note=note)
        return Enrichment(**fields.model_dump(), provenance=provenance)
