"""reference.json: greedy continuations of a fixed prompt set, computed in PyTorch by full
recompute, so the Transformers.js path (with its KV cache) can be checked token for token."""

from __future__ import annotations

import json

import torch

from . import data, tokenizer
from .infer import greedy_full_recompute
from .model import TinyLlama


def prompt_set() -> list[dict]:
    test = data.test_split()
    ood = data.ood_split()
    by_steps = {p.steps: p for p in reversed(test)}
    word = next(p for p in test if p.phrasing == "word")
    shot = data.test_split(520)[510]
    cases: list[dict] = []
    for steps in sorted(by_steps):
        for thinking in (True, False):
            cases.append({"messages": [{"role": "user", "content": by_steps[steps].question()}], "enableThinking": thinking})
    cases.append({"messages": [{"role": "user", "content": word.question()}], "enableThinking": True})
    cases.append({"messages": [{"role": "user", "content": ood[0].question()}], "enableThinking": True})
    cases.append(
        {
            "messages": [
                {"role": "user", "content": shot.question()},
                {"role": "assistant", "content": shot.answer_sentence()},
                {"role": "user", "content": test[7].question()},
            ],
            "enableThinking": True,
        }
    )
    cases.append(
        {
            "messages": [{"role": "user", "content": test[3].question() + "\n" + data.EXTRA_INSTRUCTIONS[2]}],
            "enableThinking": True,
        }
    )
    return cases


@torch.no_grad()
def min_top2_margin(model: TinyLlama, prompt_ids: list[int], generated: list[int]) -> float:
    """Smallest gap between the best and second-best logit along the greedy path: how close
    the continuation came to a tie a float rounding difference could flip."""
    ids = torch.tensor([prompt_ids + generated])
    logits, _ = model(ids, torch.ones_like(ids), torch.arange(ids.shape[1]).unsqueeze(0))
    steps = logits[0, len(prompt_ids) - 1 : len(prompt_ids) - 1 + len(generated)]
    top2 = steps.topk(2, dim=-1).values
    return float((top2[:, 0] - top2[:, 1]).min())


def build_reference(model: TinyLlama, max_new_tokens: int) -> dict:
    model.eval()
    entries = []
    for case in prompt_set():
        prompt_text = data.render_chat(case["messages"], enable_thinking=case["enableThinking"])
        prompt_ids = tokenizer.encode(prompt_text)
        generated = greedy_full_recompute(model, prompt_ids, max_new_tokens)
        eos = bool(generated) and generated[-1] == tokenizer.IM_END_ID
        entries.append(
            {
                **case,
                "promptText": prompt_text,
                "promptIds": prompt_ids,
                "maxNewTokens": max_new_tokens,
                "generatedIds": generated,
                "endedWithEos": eos,
                # Generated text with special tokens kept (e.g. <think>), the final EOS left out.
                "text": tokenizer.decode(generated[:-1] if eos else generated),
                "minTop2LogitMargin": round(min_top2_margin(model, prompt_ids, generated), 6),
            }
        )
    return {
        "description": "Greedy continuations computed in PyTorch by full recompute (no KV cache). "
        "Generating greedily from promptIds with maxNewTokens must give generatedIds exactly.",
        "eosTokenId": tokenizer.IM_END_ID,
        "entries": entries,
    }


def write_reference(model: TinyLlama, path: str, max_new_tokens: int = 120) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(build_reference(model, max_new_tokens), f, indent=1, ensure_ascii=False)
        f.write("\n")
