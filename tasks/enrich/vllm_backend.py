"""The `vllm` backend: the model in-process on a GPU `ai_enrich` worker.

The engine loads once per worker process (run the worker as SimpleWorker, one per GPU) and every
job's postings go to it as one batch, with the answer schema as vLLM's structured output
(`StructuredOutputsParams(json=...)`, the API since vLLM 0.12; `guided_json` is gone).
"""

from tasks.enrich.llm import ANSWER_SCHEMA, Completion, LLMEnricher
from tasks.settings import Settings

# Enough for the prompt (8000 description characters) and the answer; the model's own maximum
# (262k for Qwen3-4B-Instruct-2507) would reserve KV cache for nothing.
DEFAULT_OPTIONS = {"max_model_len": 8192}


class VLLMEnricher(LLMEnricher):
    name = "vllm"

    def __init__(self, settings: Settings):
        try:
            from vllm import LLM, SamplingParams
            from vllm.sampling_params import StructuredOutputsParams
        except ImportError as exc:
            raise RuntimeError(
                "the vllm enrichment backend needs the vllm extra on a GPU host "
                "(uv sync --extra vllm); CPU hosts use OPENINGS_ENRICH_BACKEND=rules or openai"
            ) from exc
        self.model = settings.llm_model
        self.max_input_chars = settings.llm_max_input_chars
        self.engine = LLM(model=settings.llm_model, **{**DEFAULT_OPTIONS, **settings.vllm_options})
        self.params = SamplingParams(
            temperature=0,
            max_tokens=settings.llm_max_tokens,
            structured_outputs=StructuredOutputsParams(json=ANSWER_SCHEMA),
        )

    def complete(self, conversations: list[list[dict]]) -> list[Completion]:
        outputs = self.engine.chat(conversations, self.params, use_tqdm=False)
        return [
            Completion(
                output.outputs[0].text,
                prompt_tokens=len(output.prompt_token_ids or ()),
                completion_tokens=len(output.outputs[0].token_ids),
            )
            for output in outputs
        ]
