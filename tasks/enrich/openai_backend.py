"""The `openai` backend: any OpenAI-compatible server (`vllm serve`, SGLang, llama.cpp, Ollama,
a hosted API), asked with bounded concurrency for JSON that follows the answer schema."""

from concurrent.futures import ThreadPoolExecutor

import openai

from tasks.enrich.llm import ANSWER_SCHEMA, Completion, LLMEnricher
from tasks.settings import Settings


def structured_output(kind: str) -> dict:
    """The request fields that carry the answer schema, in the form the server understands."""
    if kind == "json_schema":
        return {
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "posting_fields", "schema": ANSWER_SCHEMA, "strict": True},
            }
        }
    if kind == "json_object":  # llama-cpp-python's server: 500 on json_schema
        return {"response_format": {"type": "json_object", "schema": ANSWER_SCHEMA}}
    if kind == "guided_json":  # vLLM before 0.12; silently ignored from 0.12 on
        return {"extra_body": {"guided_json": ANSWER_SCHEMA}}
    raise ValueError(f"unknown structured output kind {kind!r}")


class OpenAIEnricher(LLMEnricher):
    name = "openai"

    def __init__(self, settings: Settings):
        if not settings.llm_base_url:
            raise ValueError(
                "the openai enrichment backend needs OPENINGS_LLM_BASE_URL "
                "(an OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1)"
            )
        self.model = settings.llm_model
        self.max_input_chars = settings.llm_max_input_chars
        self.max_tokens = settings.llm_max_tokens
        self.concurrency = settings.llm_concurrency
        self.batch_size = settings.llm_concurrency  # one round of requests in flight at a time
        self.request_fields = structured_output(settings.llm_structured_output)
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "unused"
        # The client retries connection errors, 408, 409, 429 and 5xx with exponential backoff.
        self.client = openai.OpenAI(
            base_url=settings.llm_base_url,
            api_key=key,
            timeout=settings.llm_timeout_s,
            max_retries=settings.llm_retries,
        )

    def complete(self, conversations: list[list[dict]]) -> list[Completion]:
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            return list(pool.map(self._complete_one, conversations))

    def _complete_one(self, messages: list[dict]) -> Completion:
        try:
            response = self.client.chat.completions.create(
                model=self.model,
                messages=messages,
                temperature=0,
                max_tokens=self.max_tokens,
                **self.request_fields,
            )
        except openai.APIError as exc:
            return Completion(None, error=f"{type(exc).__name__}: {exc}")
        usage = response.usage
        return Completion(
            response.choices[0].message.content or "",
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
        )
