"""Training loop: on-the-fly seeded batches, loss on the assistant completion only, a
curriculum over problem length, warmup + cosine lr, checkpoints so a crash loses little."""

from __future__ import annotations

import math
import os
import random
import time
from dataclasses import dataclass

import torch
import torch.distributed as dist

torch.set_flush_denormal(True)
import torch.nn.functional as F

from . import data, tokenizer
from .model import ModelConfig, TinyLlama


@dataclass
class TrainConfig:
    steps: int = 3000
    batch_size: int = 64
    micro_batch_size: int = 16
    lr: float = 2e-3
    min_lr_ratio: float = 0.05
    warmup_steps: int = 100
    # Warmup-stable-decay: constant lr, then a cosine decay over the last `decay_share` of the
    # steps. The stable phase does not depend on `steps`, so a run can be extended on resume.
    decay_share: float = 0.25
    curriculum_steps: int = 800
    cut_share: float = data.CUT_SHARE
    slip_rate: float = data.SLIP_RATE
    weight_decay: float = 0.1
    seed: int = 1234
    checkpoint_every: int = 100
    eval_every: int = 250
    eval_size: int = 100


def count_weights(step: int, ramp_steps: int) -> list[float]:
    """Weights for 2..7 numbers: short problems first, long ones once lines are learned."""
    start = [4.0, 3.0, 2.0, 1.0, 0.5, 0.25]
    end = [1.0, 1.0, 1.2, 1.4, 1.6, 1.8]
    t = min(1.0, step / max(1, ramp_steps))
    return [a + (b - a) * t for a, b in zip(start, end)]


def make_batch(step: int, cfg: TrainConfig, exclude: set[str]):
    # One rng per step: a resumed run sees exactly the batches a straight run would.
    rng = random.Random(cfg.seed * 1_000_003 + step)
    weights = count_weights(step, cfg.curriculum_steps)
    seqs, labels = [], []
    for _ in range(cfg.batch_size):
        ex = data.make_training_example(rng, weights, exclude, cut_share=cfg.cut_share, slip_rate=cfg.slip_rate)
        p, t = tokenizer.encode(ex.prompt), tokenizer.encode(ex.target)
        seqs.append(p + t)
        labels.append([-100] * len(p) + t)
    # Sorted by length and cut into micro-batches, each padded only to its own longest row:
    # the rare long prompts (instructions, few-shot turns) do not pad the whole batch.
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
    micro = []
    for start in range(0, len(order), cfg.micro_batch_size):
        rows = order[start : start + cfg.micro_batch_size]
        length = max(len(seqs[i]) for i in rows)
        ids = torch.full((len(rows), length), tokenizer.EOT_ID, dtype=torch.long)
        lab = torch.full((len(rows), length), -100, dtype=torch.long)
        for r, i in enumerate(rows):
            ids[r, : len(seqs[i])] = torch.tensor(seqs[i])
            lab[r, : len(labels[i])] = torch.tensor(labels[i])
        micro.append((ids, lab))
    return micro


def lr_at(step: int, cfg: TrainConfig) -> float:
    if step < cfg.warmup_steps:
        return cfg.lr * (step + 1) / cfg.warmup_steps
    decay_start = int(cfg.steps * (1 - cfg.decay_share))
    if step < decay_start:
        return cfg.lr
    t = (step - decay_start) / max(1, cfg.steps - decay_start)
    return cfg.lr * (cfg.min_lr_ratio + (1 - cfg.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * t)))


def make_optimizer(model: TinyLlama, cfg: TrainConfig) -> torch.optim.Optimizer:
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    return torch.optim.AdamW(
        [{"params": decay, "weight_decay": cfg.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=cfg.lr,
        betas=(0.9, 0.98),
        eps=1e-8,
    )


def default_device() -> torch.device:
    """A GPU when there is one (the same recipe, only faster), else the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def load_trained(model_cfg: ModelConfig, run_dir: str) -> tuple[TinyLlama, int, float]:
    """The model in run_dir/checkpoint.pt (on the CPU), with its step and training seconds."""
    ck = torch.load(os.path.join(run_dir, "checkpoint.pt"), map_location="cpu")
    model = TinyLlama(model_cfg)
    model.load_state_dict(ck["model"])
    return model, ck["step"], ck["elapsed_s"]


def _to_cpu(state):
    if isinstance(state, torch.Tensor):
        return state.cpu()
    if isinstance(state, dict):
        return {k: _to_cpu(v) for k, v in state.items()}
    if isinstance(state, list):
        return [_to_cpu(v) for v in state]
    return state


def _all_reduce_grads(model: TinyLlama) -> None:
    # Each rank's loss is already divided by the whole batch's target count, so summing the
    # ranks' gradients gives exactly the single-process full-batch gradient.
    # A rank without a micro-batch this step (tiny batches) contributes zeros.
    for p in model.parameters():
        if p.grad is None:
            p.grad = torch.zeros_like(p)
    grads = [p.grad for p in model.parameters()]
    flat = torch.cat([g.reshape(-1) for g in grads])
    dist.all_reduce(flat)
    offset = 0
    for g in grads:
        g.copy_(flat[offset : offset + g.numel()].view_as(g))
        offset += g.numel()


def train(
    model_cfg: ModelConfig,
    cfg: TrainConfig,
    run_dir: str,
    log=print,
    evaluator=None,
    rank: int = 0,
    world: int = 1,
    device: torch.device | None = None,
) -> TinyLlama:
    """Trains (resuming from run_dir/checkpoint.pt when present) and returns the model.

    `device` defaults to the CPU; a checkpoint is always saved with CPU tensors, so a run
    trained on a GPU exports (and resumes) on a machine without one.

    With world > 1 (torch.distributed already initialised, gloo), each of `world` processes
    takes every world-th micro-batch of the same seeded batch and gradients are summed: the
    same updates as one process, in less wall time when one process cannot get two cores."""
    if rank != 0:
        log = lambda _line: None  # noqa: E731 - only rank 0 logs, saves and evaluates
        evaluator = None
    os.makedirs(run_dir, exist_ok=True)
    device = device or torch.device("cpu")
    torch.manual_seed(cfg.seed)
    model = TinyLlama(model_cfg).to(device)
    opt = make_optimizer(model, cfg)
    ckpt_path = os.path.join(run_dir, "checkpoint.pt")
    start, elapsed_before = 0, 0.0
    if os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path, map_location=device)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["optimizer"])
        start, elapsed_before = ck["step"], ck["elapsed_s"]
        log(f"resumed at step {start}")
    log(f"params {model.num_params()} config {model_cfg.to_dict()} train {cfg}")
    exclude = data.held_out_questions()
    t0 = time.time()
    model.train()
    for step in range(start, cfg.steps):
        micro = make_batch(step, cfg, exclude)
        for g in opt.param_groups:
            g["lr"] = lr_at(step, cfg)
        opt.zero_grad(set_to_none=True)
        n_targets = sum(int((lab[:, 1:] != -100).sum()) for _, lab in micro)
        loss_sum = 0.0
        for ids, lab in micro[rank::world]:
            ids, lab = ids.to(device), lab.to(device)
            # Right padding: pads sit after every real token, so the causal mask alone hides them.
            pos = torch.arange(ids.shape[1], device=device).unsqueeze(0).expand_as(ids)
            logits, _ = model(ids, torch.ones_like(ids), pos)
            loss = F.cross_entropy(
                logits[:, :-1].reshape(-1, logits.shape[-1]), lab[:, 1:].reshape(-1), ignore_index=-100, reduction="sum"
            )
            (loss / n_targets).backward()
            loss_sum += loss.item()
        if world > 1:
            _all_reduce_grads(model)
            total = torch.tensor([loss_sum])
            dist.all_reduce(total)
            loss_sum = float(total)
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        done = step + 1
        elapsed = elapsed_before + time.time() - t0
        if done % 20 == 0 or done == cfg.steps:
            log(f"step {done} loss {loss_sum / n_targets:.4f} lr {lr_at(step, cfg):.2e} elapsed {elapsed:.0f}s")
        if rank == 0 and (done % cfg.checkpoint_every == 0 or done == cfg.steps):
            torch.save(
                {
                    "model": _to_cpu(model.state_dict()),
                    "optimizer": _to_cpu(opt.state_dict()),
                    "step": done,
                    "elapsed_s": elapsed,
                    "device": device.type,
                },
                ckpt_path + ".tmp",
            )
            os.replace(ckpt_path + ".tmp", ckpt_path)
        if evaluator is not None and (done % cfg.eval_every == 0 or done == cfg.steps):
            model.eval()
            log(f"eval step {done}: {evaluator(model)}")
            model.train()
    return model
