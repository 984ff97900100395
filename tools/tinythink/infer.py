"""PyTorch-side decoding: batched greedy with a KV cache for quick accuracy checks during
training, and greedy by full recompute (no cache) for the export reference."""

from __future__ import annotations

import re

import torch

from . import data, tokenizer
from .model import TinyLlama

ANSWER_RE = re.compile(r"The answer is (-?\d+)")


@torch.no_grad()
def greedy_full_recompute(model: TinyLlama, prompt_ids: list[int], max_new_tokens: int) -> list[int]:
    """Every step reruns the whole sequence: independent of any cache logic, so it checks it."""
    ids = list(prompt_ids)
    out: list[int] = []
    for _ in range(max_new_tokens):
        x = torch.tensor([ids])
        logits, _ = model(x, torch.ones_like(x), torch.arange(len(ids)).unsqueeze(0))
        nxt = int(logits[0, -1].argmax())
        out.append(nxt)
        ids.append(nxt)
        if nxt == tokenizer.IM_END_ID:
            break
    return out


@torch.no_grad()
def greedy_batch(model: TinyLlama, prompts: list[list[int]], max_new_tokens: int) -> list[list[int]]:
    b = len(prompts)
    length = max(len(p) for p in prompts)
    ids = torch.full((b, length), tokenizer.EOT_ID, dtype=torch.long)
    mask = torch.zeros((b, length), dtype=torch.long)
    for i, p in enumerate(prompts):  # left padding, as Transformers.js does
        ids[i, length - len(p):] = torch.tensor(p)
        mask[i, length - len(p):] = 1
    pos = (mask.cumsum(-1) - 1).clamp(min=0)
    logits, past = model(ids, mask, pos)
    outs: list[list[int]] = [[] for _ in range(b)]
    done = [False] * b
    for _ in range(max_new_tokens):
        nxt = logits[:, -1].argmax(-1)
        for i in range(b):
            if not done[i]:
                outs[i].append(int(nxt[i]))
                done[i] = int(nxt[i]) == tokenizer.IM_END_ID
        if all(done):
            break
        mask = torch.cat([mask, torch.ones((b, 1), dtype=torch.long)], dim=1)
        pos = pos[:, -1:] + 1
        logits, past = model(nxt.unsqueeze(1), mask, pos, past)
    return outs


def extract(text: str) -> int | None:
    m = ANSWER_RE.findall(text)
    return int(m[-1]) if m else None


def accuracy(model: TinyLlama, problems: list[data.Problem], thinking: bool, batch: int = 50) -> float:
    correct = 0
    for i in range(0, len(problems), batch):
        chunk = problems[i : i + batch]
        prompts = [
            tokenizer.encode(data.render_chat([{"role": "user", "content": p.question()}], enable_thinking=thinking))
            for p in chunk
        ]
        outs = greedy_batch(model, prompts, 120 if thinking else 16)
        correct += sum(extract(tokenizer.decode(o)) == p.answer for o, p in zip(outs, chunk))
    return correct / len(problems)


def quick_report(model: TinyLlama, size: int = 60) -> str:
    """Cheap greedy checks on the held-out split (the project's real evaluation is evaluate.ts)."""
    test = data.test_split()[:size]
    long = [p for p in data.test_split() if p.steps >= 3][:size]
    ood = data.ood_split()[: size // 3]
    return (
        f"think {accuracy(model, test, True):.3f} | think>=4num {accuracy(model, long, True):.3f} "
        f"off>=4num {accuracy(model, long, False):.3f} | ood think {accuracy(model, ood, True):.3f} (n={size})"
    )
