"""PyTorch-side decoding: batched greedy with a KV cache for quick accuracy checks during
training, and greedy by full recompute (no cache) for the export reference."""

from __future__ import annotations

import json
import os
import re

import torch

from . import data, tokenizer
from .model import TinyLlama

ANSWER_RE = re.compile(r"The answer is (-?\d+)")

# The self-consistency sampler, shared with evaluate.ts and the model card (one source of truth).
with open(os.path.join(os.path.dirname(__file__), "eval-sampling.json"), encoding="utf-8") as _f:
    EVAL_SAMPLING: dict = json.load(_f)


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
def generate_batch(
    model: TinyLlama,
    prompts: list[list[int]],
    max_new_tokens: int,
    temperature: float = 0.0,
    top_k: int = EVAL_SAMPLING["top_k"],
    generator: torch.Generator | None = None,
) -> list[list[int]]:
    """Batched decoding with the KV cache on the model's device: greedy at temperature 0,
    else top-k sampling at that temperature (top_k <= 0: the full vocabulary), as evaluate.ts
    samples with eval-sampling.json's settings."""
    device = next(model.parameters()).device
    b = len(prompts)
    length = max(len(p) for p in prompts)
    ids = torch.full((b, length), tokenizer.EOT_ID, dtype=torch.long)
    mask = torch.zeros((b, length), dtype=torch.long)
    for i, p in enumerate(prompts):  # left padding, as Transformers.js does
        ids[i, length - len(p):] = torch.tensor(p)
        mask[i, length - len(p):] = 1
    ids, mask = ids.to(device), mask.to(device)
    pos = (mask.cumsum(-1) - 1).clamp(min=0)
    logits, past = model(ids, mask, pos)
    outs = torch.empty((b, 0), dtype=torch.long, device=device)
    done = torch.zeros(b, dtype=torch.bool, device=device)
    for _ in range(max_new_tokens):
        last = logits[:, -1].float()
        if temperature > 0:
            vocab = last.shape[-1]
            top = torch.topk(last / temperature, vocab if top_k <= 0 else min(top_k, vocab))
            pick = torch.multinomial(torch.softmax(top.values, -1), 1, generator=generator)
            nxt = top.indices.gather(-1, pick).squeeze(-1)
        else:
            nxt = last.argmax(-1)
        nxt = torch.where(done, torch.full_like(nxt, tokenizer.IM_END_ID), nxt)
        outs = torch.cat([outs, nxt.unsqueeze(1)], dim=1)
        done = done | (nxt == tokenizer.IM_END_ID)
        if bool(done.all()):
            break
        mask = torch.cat([mask, torch.ones((b, 1), dtype=torch.long, device=device)], dim=1)
        pos = pos[:, -1:] + 1
        logits, past = model(nxt.unsqueeze(1), mask, pos, past)
    result = []
    for row in outs.tolist():
        # Up to and including the first end of turn.
        result.append(row[: row.index(tokenizer.IM_END_ID) + 1] if tokenizer.IM_END_ID in row else row)
    return result


def greedy_batch(model: TinyLlama, prompts: list[list[int]], max_new_tokens: int) -> list[list[int]]:
    return generate_batch(model, prompts, max_new_tokens)


def extract(text: str) -> int | None:
    m = ANSWER_RE.findall(text)
    return int(m[-1]) if m else None


def _prompt(problem: data.Problem, thinking: bool) -> list[int]:
    return tokenizer.encode(data.render_chat([{"role": "user", "content": problem.question()}], enable_thinking=thinking))


def _generate_all(model: TinyLlama, prompts: list[list[int]], max_new_tokens: int, batch: int, **sampling) -> list[list[int]]:
    """generate_batch over any number of prompts, `batch` at a time."""
    outs: list[list[int]] = []
    for i in range(0, len(prompts), batch):
        outs += generate_batch(model, prompts[i : i + batch], max_new_tokens, **sampling)
    return outs


def _answers(outs: list[list[int]]) -> list[int | None]:
    return [extract(tokenizer.decode(o)) for o in outs]


def _right(answers: list[int | None], problems: list[data.Problem]) -> list[bool]:
    return [a == p.answer for a, p in zip(answers, problems)]


def accuracy(model: TinyLlama, problems: list[data.Problem], thinking: bool, batch: int = 50) -> float:
    outs = _generate_all(model, [_prompt(p, thinking) for p in problems], 200 if thinking else 16, batch)
    return sum(_right(_answers(outs), problems)) / len(problems)


def quick_report(model: TinyLlama, size: int = 60) -> str:
    """Cheap greedy checks on the held-out split (the project's real evaluation is evaluate.ts)."""
    test = data.test_split()[:size]
    long = [p for p in data.test_split() if p.steps >= 3][:size]
    ood = data.ood_split()[: size // 3]
    return (
        f"think {accuracy(model, test, True):.3f} | think>=4num {accuracy(model, long, True):.3f} "
        f"off>=4num {accuracy(model, long, False):.3f} | ood think {accuracy(model, ood, True):.3f} (n={size})"
    )


def bars_report(model: TinyLlama, problems: list[data.Problem], sc_samples: int = EVAL_SAMPLING["sc_samples"],
                temperature: float = EVAL_SAMPLING["temperature"], top_k: int = EVAL_SAMPLING["top_k"],
                seed: int = 0, batch: int = 500) -> dict:
    """The issue's four bars, measured in PyTorch on `problems`: for choosing between training
    runs (sweep.py) without the hours the Transformers.js evaluation (evaluate.ts) takes on a CPU.
    Same definitions: steps = numbers - 1, "long" = 4+ steps, cuts after 25/50/75% of the
    greedy chain's generated thinking tokens with `\n</think>\n\n` forced."""
    gen = torch.Generator(device=next(model.parameters()).device).manual_seed(seed)
    think_prompts = [_prompt(p, True) for p in problems]
    chains = _generate_all(model, think_prompts, 160, batch)
    cot = _right(_answers(chains), problems)
    long_idx = [i for i, p in enumerate(problems) if p.steps >= 4]
    long = [problems[i] for i in long_idx]
    off = _right(_answers(_generate_all(model, [_prompt(p, False) for p in long], 16, batch)), long)
    # Self-consistency: sc_samples sampled chains per problem; the first is the single-sample baseline.
    sampled_prompts = [p for p in think_prompts for _ in range(sc_samples)]
    sampled = _answers(_generate_all(model, sampled_prompts, 160, batch, temperature=temperature, top_k=top_k, generator=gen))
    single, vote = [], []
    for i, p in enumerate(problems):
        answers = sampled[i * sc_samples : (i + 1) * sc_samples]
        single.append(answers[0] == p.answer)
        counts: dict[int, int] = {}
        for a in answers:
            if a is not None:
                counts[a] = counts.get(a, 0) + 1
        # Ties go to the answer seen first, as the app's vote does.
        best = max(counts, key=lambda a: (counts[a], -answers.index(a))) if counts else None
        vote.append(best == p.answer)
    end_think = tokenizer.encode(data.END_THINK)[0]
    forced = tokenizer.encode("\n" + data.END_THINK + "\n\n")
    cuts: dict[int, float] = {}
    for percent in (25, 50, 75):
        prompts = []
        for prompt, chain in zip(think_prompts, chains):
            thinking = chain.index(end_think) if end_think in chain else len(chain)
            prompts.append(prompt + chain[: int(percent / 100 * thinking)] + forced)
        right = _right(_answers(_generate_all(model, prompts, 32, batch)), problems)
        cuts[percent] = sum(right) / len(right)
    mean = lambda xs: sum(xs) / max(1, len(xs))  # noqa: E731
    cot_long = [cot[i] for i in long_idx]
    return {
        "n": len(problems),
        "think": mean(cot),
        "think_long": mean(cot_long),
        "off_long": mean(off),
        "gap_long": mean(cot_long) - mean(off),
        "single_t08": mean(single),
        "sc10": mean(vote),
        "sc_gain": mean(vote) - mean(single),
        "cut25": cuts[25],
        "cut50": cuts[50],
        "cut75": cuts[75],
        "cut100": mean(cot),
    }
