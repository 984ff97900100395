"""Train several variants side by side and score each on the validation split.

    python3 -m tools.tinythink.sweep --out DIR [--only p,q] [--val 300]
    python3 -m tools.tinythink.sweep --out DIR --smoke     # CI: the smoke config, seconds

Each variant runs in its own process (on the GPU when there is one: a sweep is what a lent
GPU is for) and writes DIR/<name>/checkpoint.pt, train.log and bars.json; DIR/results.json
gathers them. The bars are measured in PyTorch (infer.bars_report) on the validation split,
never on the test split, so choosing a variant does not tune to the reported numbers. The
winner becomes configs.FULL_MODEL / FULL_TRAIN (and data.MAX_TOTAL); `build --export-only
--run-dir DIR/<name>` then exports its checkpoint and evaluate.ts measures it for the card.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import replace

import torch

from . import configs, data, infer, train
from .model import ModelConfig

# name -> overrides of the shipped model/train config and the task's running-total bound.
# The second sweep's variants (the first one's and both results: SWEEPS.md).
VARIANTS: dict[str, dict] = {
    "p": {"max_total": 1000},
    "q": {"max_total": 1000, "seed": 7},
    "r": {"max_total": 1000, "steps": 5000},
    "s": {"max_total": 1000, "batch_size": 48},
    "t": {"max_total": 1000, "steps": 5000, "cut_share": 0.3},
    "u": {"max_total": 1000, "hidden_size": 96, "intermediate_size": 288},
    "v": {"max_total": 1000, "steps": 3000, "batch_size": 64},
    "w": {"max_total": 1000, "batch_size": 48, "cut_share": 0.3},
}

MODEL_KEYS = {"hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "intermediate_size"}


def variant_configs(overrides: dict, smoke: bool = False) -> tuple[ModelConfig, train.TrainConfig, int]:
    """A variant's configs. Smoke: the tiny CI configs, taking only the task and seed overrides."""
    if smoke:
        overrides = {k: v for k, v in overrides.items() if k in ("max_total", "seed", "cut_share", "slip_rate")}
    base_model, base_train = (configs.SMOKE_MODEL, configs.SMOKE_TRAIN) if smoke else (configs.FULL_MODEL, configs.FULL_TRAIN)
    model_cfg = replace(base_model, **{k: v for k, v in overrides.items() if k in MODEL_KEYS})
    train_keys = {k: v for k, v in overrides.items() if k not in MODEL_KEYS and k != "max_total"}
    train_cfg = replace(base_train, **train_keys)
    return model_cfg, train_cfg, overrides.get("max_total", data.MAX_TOTAL)


def run_variant(name: str, out: str, val_size: int, smoke: bool = False) -> None:
    model_cfg, train_cfg, max_total = variant_configs(VARIANTS[name], smoke)
    # The task bound is a module constant that every generator reads at call time; this
    # process only ever trains and scores this one variant.
    data.MAX_TOTAL = max_total
    torch.set_num_threads(2)  # several variants share the CPU cores that feed the GPU
    run_dir = os.path.join(out, name)
    os.makedirs(run_dir, exist_ok=True)
    device = train.default_device()
    log_file = open(os.path.join(run_dir, "train.log"), "a", encoding="utf-8")

    def log(line: str) -> None:
        print(f"[{name}] {line}", file=log_file, flush=True)

    # The GPU takes the whole batch at once; micro-batches only spare a CPU's cache.
    if device.type == "cuda":
        train_cfg = replace(train_cfg, micro_batch_size=train_cfg.batch_size)
    log(f"device {device} max_total {max_total}")
    started = time.time()
    model = train.train(model_cfg, train_cfg, run_dir, log=log, device=device)
    train_s = time.time() - started
    model.eval()
    bars = infer.bars_report(model, data.validation_split(val_size))
    bars.update({"variant": name, "overrides": VARIANTS[name], "params": model.num_params(), "train_s": round(train_s, 1),
                 "device": device.type, "steps": train_cfg.steps, "batch_size": train_cfg.batch_size})
    with open(os.path.join(run_dir, "bars.json"), "w", encoding="utf-8") as f:
        json.dump(bars, f, indent=1)
    log(f"bars {json.dumps(bars)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--only", default=None, help="comma-separated variant names (default: all)")
    ap.add_argument("--val", type=int, default=300, help="validation problems per variant")
    ap.add_argument("--smoke", action="store_true", help="tiny configs and 12 validation problems (CI)")
    ap.add_argument("--variant", default=None, help=argparse.SUPPRESS)  # one worker process
    args = ap.parse_args()
    val = 12 if args.smoke else args.val
    if args.variant:
        run_variant(args.variant, args.out, val, args.smoke)
        return
    names = args.only.split(",") if args.only else (["p"] if args.smoke else list(VARIANTS))
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        ap.error(f"unknown variant(s) {', '.join(unknown)}; known: {', '.join(VARIANTS)}")
    os.makedirs(args.out, exist_ok=True)
    started = time.time()
    procs = {
        n: subprocess.Popen(
            [sys.executable, "-m", "tools.tinythink.sweep", "--out", args.out, "--val", str(val), "--variant", n]
            + (["--smoke"] if args.smoke else [])
        )
        for n in names
    }
    for n, p in procs.items():
        code = p.wait()
        print(f"variant {n} exited {code} after {time.time() - started:.0f}s", flush=True)
    results = []
    for n in names:
        path = os.path.join(args.out, n, "bars.json")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                results.append(json.load(f))
    with open(os.path.join(args.out, "results.json"), "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1)
    for r in results:
        print(
            f"{r['variant']} {r['overrides']} params {r['params']} train {r['train_s']}s | think {r['think']:.3f} "
            f"gap {r['gap_long']:+.3f} single {r['single_t08']:.3f} sc10 {r['sc10']:.3f} (+{r['sc_gain']:.3f}) "
            f"cuts {r['cut25']:.2f}/{r['cut50']:.2f}/{r['cut75']:.2f}/{r['cut100']:.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
