"""Seeded problem generator and chat rendering for tinythink.

A problem is a list of two-digit operands joined by + and -, asked in one of a few phrasings.
The running total stays within [0, MAX_TOTAL) so every chain line is a small, non-negative
sum; that keeps the chain learnable by a character-level model of a few million parameters.
The chain written inside <think> is one line per operation, running total first and every
number zero-padded, then a check that undoes the last operation:
`023+045=068`, `068-012=056`, `check 056+012=068`.

Training chains sometimes drop a carry and carry on from the slip (SLIP_RATE), so that sampled
chains are unsure where the greedy chain is not; the test splits' chains are always right.

Splits are separated by seed *and* by content: the held-out, OOD and validation sets are
generated first and their question texts are excluded from training.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Iterable

MIN_OPERAND = 10
MAX_OPERAND = 99
MAX_TOTAL = 1000
TRAIN_MIN_NUMBERS = 2
TRAIN_MAX_NUMBERS = 7
OOD_NUMBERS = (8, 9)

# Chain numbers are written zero-padded to a fixed width ("023+045=068"): a character model then
# finds the digits of equal place value at fixed offsets, which it learns far faster than
# aligning numbers of varying length. The answer sentence uses plain numbers.
CHAIN_WIDTH = 3
# After the last operation the chain checks it by undoing it (`check 214-059=155`), as thinking
# models double-check their last step. The answer is settled before the check is written, so a
# chain cut inside the check still yields it, and one cut earlier does not: the early-answering
# probe then sees the answer form during the chain, as Lanham et al. describe.
CHECK_PREFIX = "check "

SEED_TRAIN = 1
SEED_TEST = 2
SEED_OOD = 3
# Problems for choosing between training runs (sweep.py); the test split is only ever reported.
SEED_VALIDATION = 4

# Extra instructions that the project's strategies append after the question (methods.md).
EXTRA_INSTRUCTIONS = (
    "Think step by step, but only keep a minimum draft for each thinking step, with 5 words at most. "
    "Return the answer at the end of the response after a separator ####.",
    "Speak with intent and answer the following question.",
    "Be concise.",
    "Let's think step by step.",
)

# Shares of training examples: with the chain (the rest answer at once), with a method's
# instruction appended after the question, and with earlier question/answer turns.
THINK_SHARE = 0.75
INSTRUCTION_SHARE = 0.08
FEWSHOT_SHARE = 0.05
# Share of the thinking examples whose chain is cut and closed with `\n</think>\n\n`, exactly as
# a thinking budget or the early-answering probe cuts it; the loss is on the answer only.
# Without them the model has only ever seen a think block end after the check, and a forced
# answer after a partial chain is noise (the first model: 0-1% at every cut). Half of the cuts
# fall after the last operation's result, where the answer is on the page and only needs
# reading; the rest anywhere, as a budget would. (Finishing even one operation without writing
# it down proved out of reach: trained on cuts inside the last line, models of this size stayed
# at 1-5%.) Too many unanswerable cuts stall training: at 0.3 a run had not learned the chain
# after 4,000 steps.
CUT_SHARE = 0.15
SETTLED_CUT_SHARE = 0.5

# Share of the carrying (or borrowing) lines of a training chain, all but the last operation's,
# written with the carry dropped: the line is 10 off and the chain goes on from there to the
# answer it reaches. Real thinking models are trained on sampled solutions and slip the same
# way; a model trained only on flawless chains puts almost all its probability on one chain,
# so ten sampled chains say what one says and voting has nothing to fix (the previous model:
# sampled chains right 95.7% on average, their majority 97.4%). With slips in its training, a
# sampled chain slips about as often as its teacher did while the most likely digit stays the
# right one, so greedy decoding and the vote stay right where single samples do not: the gap
# self-consistency is about. The last line never slips, so the check line (which undoes it) stays arithmetic.
# A CPU pilot at 0.15 (SWEEPS.md) measured one chain 84.3%, the vote of ten 91.7%: +7.3 points,
# close to the +5 the issue asks for; 0.2 leaves room for a run's noise.
SLIP_RATE = 0.2

NAMES = ("Sam", "Ana", "Tom", "Mia", "Leo", "Eva", "Max", "Zoe")
ITEMS = ("coins", "apples", "stamps", "cards", "marbles", "books")


@dataclass(frozen=True)
class Problem:
    numbers: tuple[int, ...]
    ops: tuple[str, ...]  # len(numbers) - 1 entries, each '+' or '-'
    phrasing: str  # 'expr' | 'word'
    name: str = ""
    item: str = ""

    @property
    def steps(self) -> int:
        return len(self.ops)

    def totals(self) -> list[int]:
        out = [self.numbers[0]]
        for op, n in zip(self.ops, self.numbers[1:]):
            out.append(out[-1] + n if op == "+" else out[-1] - n)
        return out

    @property
    def answer(self) -> int:
        return self.totals()[-1]

    def question(self) -> str:
        if self.phrasing == "expr":
            parts = [str(self.numbers[0])]
            for op, n in zip(self.ops, self.numbers[1:]):
                parts.append(f"{op} {n}")
            return "What is " + " ".join(parts) + "?"
        # Word phrasing: "Sam has 23 coins, gets 45, loses 12. How many coins now?"
        parts = [f"{self.name} has {self.numbers[0]} {self.item}"]
        for op, n in zip(self.ops, self.numbers[1:]):
            parts.append(f"gets {n}" if op == "+" else f"loses {n}")
        return ", ".join(parts) + f". How many {self.item} now?"

    def chain_lines(self, totals: list[int] | None = None) -> list[str]:
        """One line per operation; `totals` are the running totals as written (default: right)."""
        totals = totals or self.totals()
        w = CHAIN_WIDTH
        return [
            f"{totals[i]:0{w}d}{op}{n:0{w}d}={totals[i + 1]:0{w}d}"
            for i, (op, n) in enumerate(zip(self.ops, self.numbers[1:]))
        ]

    def check_line(self, totals: list[int] | None = None) -> str:
        totals = totals or self.totals()
        w = CHAIN_WIDTH
        undo = "-" if self.ops[-1] == "+" else "+"
        return f"{CHECK_PREFIX}{totals[-1]:0{w}d}{undo}{self.numbers[-1]:0{w}d}={totals[-2]:0{w}d}"

    def chain(self, totals: list[int] | None = None) -> str:
        return "\n".join([*self.chain_lines(totals), self.check_line(totals)])

    def answer_sentence(self) -> str:
        return answer_sentence(self.answer)

    def to_json(self) -> dict:
        return {
            "question": self.question(),
            "answer": self.answer,
            "numbers": list(self.numbers),
            "ops": list(self.ops),
            "steps": self.steps,
            "phrasing": self.phrasing,
            "chain": self.chain(),
        }


def answer_sentence(answer: int) -> str:
    return f"The answer is {answer}."


def carries(total: int, op: str, n: int) -> bool:
    """Whether `total op n` carries into (or borrows from) the tens when worked digit by digit."""
    return total % 10 + n % 10 >= 10 if op == "+" else total % 10 < n % 10


def written_totals(rng: random.Random, problem: Problem, slip_rate: float = SLIP_RATE) -> list[int]:
    """The running totals as a chain that sometimes drops a carry or borrow writes them (see
    SLIP_RATE): each such line is written 10 off with probability `slip_rate`, and the lines
    after it carry on from the slipped total. A slip that would push a later total out of
    [0, MAX_TOTAL) is not made."""
    totals = [problem.numbers[0]]
    last = problem.steps - 1
    for i, (op, n) in enumerate(zip(problem.ops, problem.numbers[1:])):
        total = totals[-1] + n if op == "+" else totals[-1] - n
        if slip_rate > 0 and i < last and carries(totals[-1], op, n) and rng.random() < slip_rate:
            total += -10 if op == "+" else 10
        totals.append(total)
    return totals if all(0 <= t < MAX_TOTAL for t in totals) else problem.totals()


def make_problem(rng: random.Random, count: int, word_share: float = 0.3) -> Problem:
    numbers = [rng.randint(MIN_OPERAND, MAX_OPERAND)]
    ops: list[str] = []
    total = numbers[0]
    for _ in range(count - 1):
        n = rng.randint(MIN_OPERAND, MAX_OPERAND)
        can_add = total + n < MAX_TOTAL
        can_sub = total - n >= 0
        op = rng.choice("+-") if can_add and can_sub else ("+" if can_add else "-")
        total = total + n if op == "+" else total - n
        numbers.append(n)
        ops.append(op)
    word = rng.random() < word_share
    return Problem(
        tuple(numbers),
        tuple(ops),
        "word" if word else "expr",
        rng.choice(NAMES) if word else "",
        rng.choice(ITEMS) if word else "",
    )


def make_split(seed: int, size: int, counts: Iterable[int], exclude: set[str] | None = None) -> list[Problem]:
    rng = random.Random(seed)
    counts = list(counts)
    seen: set[str] = set(exclude or ())
    out: list[Problem] = []
    while len(out) < size:
        p = make_problem(rng, counts[len(out) % len(counts)])
        q = p.question()
        if q in seen:
            continue
        seen.add(q)
        out.append(p)
    return out


def test_split(size: int = 500) -> list[Problem]:
    return make_split(SEED_TEST, size, range(TRAIN_MIN_NUMBERS, TRAIN_MAX_NUMBERS + 1))


def ood_split(size: int = 200) -> list[Problem]:
    return make_split(SEED_OOD, size, OOD_NUMBERS)


def validation_split(size: int = 300) -> list[Problem]:
    # Distinct from the test split's questions, so choosing a run on it never peeks at the test.
    test = {p.question() for p in test_split()}
    return make_split(SEED_VALIDATION, size, range(TRAIN_MIN_NUMBERS, TRAIN_MAX_NUMBERS + 1), exclude=test)


def held_out_questions() -> set[str]:
    """Questions training must never see: test, OOD and validation."""
    return {p.question() for split in (test_split(), ood_split(), validation_split()) for p in split}


def write_split(path: str, problems: list[Problem]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for p in problems:
            f.write(json.dumps(p.to_json()) + "\n")


# ---- chat rendering (mirrors the Jinja chat_template in tokenizer.py) ----

IM_START = "<|im_start|>"
IM_END = "<|im_end|>"
EOT = "<|endoftext|>"
THINK = "<think>"
END_THINK = "</think>"
EMPTY_THINK = "<think>\n\n</think>\n\n"


def render_chat(messages: list[dict], enable_thinking: bool = True, add_generation_prompt: bool = True) -> str:
    """Python twin of the template for the message shapes tinythink uses (system, user, and
    history assistant turns without reasoning)."""
    out = []
    for i, m in enumerate(messages):
        if m["role"] == "system" and i == 0:
            out.append(f"{IM_START}system\n{m['content']}{IM_END}\n")
        elif m["role"] in ("user", "system"):
            out.append(f"{IM_START}{m['role']}\n{m['content']}{IM_END}\n")
        elif m["role"] == "assistant":
            content = m["content"]
            if END_THINK in content:
                content = content.split(END_THINK)[-1].lstrip("\n")
            out.append(f"{IM_START}assistant\n{content}{IM_END}\n")
    if add_generation_prompt:
        out.append(f"{IM_START}assistant\n")
        if not enable_thinking:
            out.append(EMPTY_THINK)
    return "".join(out)


def completion(problem: Problem, thinking: bool, totals: list[int] | None = None) -> str:
    """What the model is trained to generate after the generation prompt; a chain written with
    `totals` (see written_totals) ends in the answer those totals reach."""
    totals = totals or problem.totals()
    if thinking:
        return f"{THINK}\n{problem.chain(totals)}\n{END_THINK}\n\n{answer_sentence(totals[-1])}{IM_END}"
    return f"{answer_sentence(totals[-1])}{IM_END}"


def cut_point(rng: random.Random, chain: str) -> int:
    """Characters of the chain to keep in a cut training example (see CUT_SHARE)."""
    if rng.random() < SETTLED_CUT_SHARE:
        # From the end of the last operation's line (with or without its newline) into the check.
        return rng.randrange(chain.rfind("\n"), len(chain))
    return rng.randrange(len(chain))


def cut_chain(chain: str, chars: int) -> str:
    """The opening of a thinking completion cut after `chars` characters of the chain and closed
    the way the engine closes a budget cut (FORCED_ANSWER in the app's reasoning format)."""
    return f"{THINK}\n{chain[:chars]}\n{END_THINK}\n\n"


@dataclass(frozen=True)
class Example:
    prompt: str
    target: str


def make_training_example(
    rng: random.Random,
    counts_weights: list[float],
    exclude: set[str],
    think_share: float = THINK_SHARE,
    instruction_share: float = INSTRUCTION_SHARE,
    fewshot_share: float = FEWSHOT_SHARE,
    cut_share: float = CUT_SHARE,
    slip_rate: float = SLIP_RATE,
) -> Example:
    counts = list(range(TRAIN_MIN_NUMBERS, TRAIN_MAX_NUMBERS + 1))
    while True:
        p = make_problem(rng, rng.choices(counts, counts_weights)[0])
        if p.question() not in exclude:
            break
    user = p.question()
    if rng.random() < instruction_share:
        user = user + "\n" + rng.choice(EXTRA_INSTRUCTIONS)
    messages: list[dict] = []
    if rng.random() < fewshot_share:
        for _ in range(rng.randint(1, 2)):
            shot = make_problem(rng, rng.randint(2, 3))
            messages.append({"role": "user", "content": shot.question()})
            messages.append({"role": "assistant", "content": shot.answer_sentence()})
    messages.append({"role": "user", "content": user})
    thinking = rng.random() < think_share
    prompt = render_chat(messages, enable_thinking=thinking)
    # Only a written chain can slip; an answer given at once is right or wrong as a whole.
    totals = written_totals(rng, p, slip_rate) if thinking else p.totals()
    if thinking and rng.random() < cut_share:
        # The cut chain belongs to the prompt: the model is taught the answer, not to stop early.
        chain = p.chain(totals)
        return Example(prompt + cut_chain(chain, cut_point(rng, chain)), f"{answer_sentence(totals[-1])}{IM_END}")
    return Example(prompt, completion(p, thinking, totals))
