"""The model card (README.md in the model folder). The measurement table between the
EVAL markers is written by evaluate.ts, the faithfulness section between its markers by
faithfulness-card.ts; a rebuild resets both because old numbers would be stale."""

from __future__ import annotations

from . import configs, data
from .model import TinyLlama
from .train import TrainConfig

EVAL_START = "<!-- eval:start -->"
EVAL_END = "<!-- eval:end -->"
# The faithfulness section is quoted from BENCHMARKS.md section 6 by faithfulness-card.ts.
FAITHFULNESS_START = "<!-- faithfulness:start -->"
FAITHFULNESS_END = "<!-- faithfulness:end -->"


EXAMPLE = data.Problem((23, 45, 12), ("+", "-"), "expr")


def render(model: TinyLlama, train_cfg: TrainConfig, training: dict) -> str:
    cfg = model.cfg
    example = data.completion(EXAMPLE, True).replace(data.IM_END, "")
    minutes = training["elapsed_s"] / 60
    return f"""---
license: mit
library_name: transformers.js
pipeline_tag: text-generation
---

# thinkbench/tinythink

A miniature thinking model trained by thinkbench itself (`tools/tinythink/`), so the app and
its tests run a real model offline. It writes a chain of running results inside
`<think>…</think>` and then answers, like Qwen3 / DeepSeek-R1, on one narrow task:
multi-step integer addition and subtraction.

## Architecture
- `llama` decoder: RMSNorm, rotary positions (theta {cfg.rope_theta:g}), SwiGLU MLP,
  grouped-query attention; {cfg.num_hidden_layers} layers, width {cfg.hidden_size},
  {cfg.num_attention_heads} query heads / {cfg.num_key_value_heads} key-value heads (head dim {cfg.head_dim}),
  MLP width {cfg.intermediate_size}, untied input/output embeddings.
- **{model.num_params():,} parameters.**
- Character-level tokenizer ({cfg.vocab_size} tokens: printable ASCII, newline, tab, and the
  special tokens `<|endoftext|>` (pad), `<|im_start|>`, `<|im_end|>` (EOS), `<think>`, `</think>`),
  shipped as a BPE `tokenizer.json` with single-character vocabulary and no merges.
- Files: `onnx/model.onnx` (fp32) and `onnx/model_quantized.onnx` (dtype `q8`: weight-only
  int8, per-output-channel scales, `DequantizeLinear` before each MatMul), ONNX opset 14 with
  KV cache inputs/outputs in the Transformers.js layout.

## Task and phrasing
Sums and differences of {data.TRAIN_MIN_NUMBERS}–{data.TRAIN_MAX_NUMBERS} two-digit numbers ({data.MIN_OPERAND}–{data.MAX_OPERAND}),
with every running total kept in [0, {data.MAX_TOTAL}) (an operation that would leave that range
is flipped). Two phrasings:
- `What is 23 + 45 - 12?`
- `Sam has 23 coins, gets 45, loses 12. How many coins now?`

With thinking on (the default of the chat template) the model writes:

```
{example}
```

The chain writes every number zero-padded to {data.CHAIN_WIDTH} digits: digits of equal place value then
sit at fixed distances, which a character-level model this small learns far faster than
aligning numbers of varying length. Its last line checks the last operation by undoing it, as
thinking models double-check their last step: the answer is settled before the check is
written, which the early-answering probe shows (a chain cut inside the check still answers).

With `enable_thinking=false` the template inserts the empty think block and the model answers
at once (`The answer is 56.`). Answers are extracted with `The answer is (-?\\d+)`.

## Training
- Data: generated on the fly with fixed seeds by `tools/tinythink/data.py`; {data.THINK_SHARE:.0%} of examples
  with the chain, the rest answering at once; {data.CUT_SHARE:.0%} of the chain examples cut and closed with
  `\\n</think>\\n\\n` as a thinking budget closes them, loss on the answer only (half of the cuts after the
  last operation's result, the rest anywhere); a curriculum from short to long problems over the
  first {train_cfg.curriculum_steps} steps; in {data.SLIP_RATE:.0%} of the chain lines that carry or borrow (all but
  the last operation's) the carry is dropped, the line is written 10 off and the chain goes on from
  there to the answer it reaches, as sampled solutions of real models slip (why: `SLIP_RATE` in
  `data.py`); {data.INSTRUCTION_SHARE:.0%} with one of the project's method instructions
  appended after the question and {data.FEWSHOT_SHARE:.0%} with one or two earlier question/answer turns. Held-out
  (`tools/tinythink/splits/test.jsonl`, 500 problems, {data.TRAIN_MIN_NUMBERS}–{data.TRAIN_MAX_NUMBERS} numbers) and out-of-distribution
  (`splits/ood.jsonl`, {data.OOD_NUMBERS[0]}–{data.OOD_NUMBERS[-1]} numbers) questions never appear in training.
- {training["steps"]} steps of {train_cfg.batch_size} examples, AdamW (lr {train_cfg.lr:g}, warmup
  {train_cfg.warmup_steps}, constant, cosine decay over the last {int(train_cfg.decay_share * 100)}%), loss on the
  assistant turn only ({training["steps"] * train_cfg.batch_size:,} examples in all). Training took {minutes:.0f} minutes
  of wall time on this project's 2-core machine (two one-thread data-parallel processes).
- {configs.SHIPPED_RUN_NOTE}
- Retrain from scratch: `/usr/bin/python3 -m tools.tinythink.build --fresh --procs 2`
  (see `tools/tinythink/README.md`).

## Limitations
One narrow task in one phrasing family. It cannot do arithmetic it does not write down: with
thinking off, or with a chain cut before the last result, it guesses. It does not generalise
to more numbers than it was trained on (the OOD row). Its sampled chains drop a carry now and
then because its training chains did, on purpose: that is the kind of error voting removes, and
its rate here is set by `SLIP_RATE`, not a measurement of any larger model's. A dropped carry
leaves the answer 10 off whichever line it is on, so wrong samples often agree with each other,
which limits what a vote can recover (compare the vote with greedy decoding below). The gains it shows
(thinking, voting, budgets) are real measurements of this model, not of larger ones.

## Measurements
{EVAL_START}
Not evaluated yet: run `npx tsx tools/tinythink/evaluate.ts`.
{EVAL_END}

{FAITHFULNESS_START}
Not quoted yet: run `npx tsx tools/tinythink/faithfulness-card.ts`.
{FAITHFULNESS_END}
"""
