"""One command: retrain from scratch with fixed seeds and rewrite the model folder.

    /usr/bin/python3 -m tools.tinythink.build            # the shipped model
    /usr/bin/python3 -m tools.tinythink.build --smoke --out /tmp/x   # CI: tiny, under a minute

Training resumes from <run-dir>/checkpoint.pt when present (delete the run dir to start over).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from dataclasses import replace

import torch

from . import card, configs, data, infer, reference, train
from .export import export_folder
from .quantize import quantize_file

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
MODEL_DIR = os.path.join(REPO, "public", "models", "thinkbench", "tinythink")


def _train_rank(rank: int, world: int, init_file: str, model_cfg, train_cfg, run_dir: str, smoke: bool) -> None:
    """One data-parallel training process. Its own session puts it in its own scheduler group
    (Linux autogroup), so on a shared machine two processes get more CPU than two threads."""
    import torch.distributed as dist

    os.setsid()
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=f"file://{init_file}", rank=rank, world_size=world)
    log_file = open(os.path.join(run_dir, "train.log"), "a", encoding="utf-8")

    def log(line: str) -> None:
        print(line, flush=True)
        print(line, file=log_file, flush=True)

    try:
        evaluator = None if smoke else (lambda m: infer.quick_report(m))
        train.train(model_cfg, train_cfg, run_dir, log=log, evaluator=evaluator, rank=rank, world=world)
    finally:
        dist.destroy_process_group()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="tiny config, a few dozen steps (CI)")
    ap.add_argument("--out", default=None, help="model folder to write (default: the shipped one)")
    ap.add_argument("--run-dir", default=None, help="checkpoints and log (default: tools/tinythink/runs/<name>)")
    ap.add_argument("--steps", type=int, default=None, help="override the number of training steps")
    ap.add_argument("--export-only", action="store_true", help="export the run dir's checkpoint as it is")
    ap.add_argument(
        "--threads", type=int, default=None, help="torch threads (default 2, smoke 1; 1 trains faster on a busy machine)"
    )
    ap.add_argument(
        "--procs",
        type=int,
        default=1,
        help="data-parallel training processes (2: each in its own session, one thread each; same updates)",
    )
    ap.add_argument("--fresh", action="store_true", help="delete the run dir's checkpoint first")
    args = ap.parse_args()

    # Threads of a tiny model only wait on each other; on a shared machine they stall badly.
    torch.set_num_threads(args.threads or (1 if args.smoke else 2))
    model_cfg = configs.SMOKE_MODEL if args.smoke else configs.FULL_MODEL
    train_cfg = configs.SMOKE_TRAIN if args.smoke else configs.FULL_TRAIN
    if args.steps:
        train_cfg = replace(train_cfg, steps=args.steps)
    out = os.path.abspath(args.out or MODEL_DIR)
    run_dir = os.path.abspath(args.run_dir or os.path.join(HERE, "runs", "smoke" if args.smoke else "full"))
    if args.fresh and os.path.isdir(run_dir):
        shutil.rmtree(run_dir)
    os.makedirs(run_dir, exist_ok=True)
    log_file = open(os.path.join(run_dir, "train.log"), "a", encoding="utf-8")

    def log(line: str) -> None:
        print(line, flush=True)
        print(line, file=log_file, flush=True)

    t0 = time.time()
    evaluator = None if args.smoke else (lambda m: infer.quick_report(m))
    if not args.export_only and args.procs > 1:
        log(f"training with {args.procs} data-parallel processes")
        init_file = os.path.join(run_dir, f"dist-init-{os.getpid()}")
        torch.multiprocessing.spawn(
            _train_rank, args=(args.procs, init_file, model_cfg, train_cfg, run_dir, args.smoke), nprocs=args.procs, join=True
        )
        if os.path.exists(init_file):
            os.remove(init_file)
    elif not args.export_only:
        train.train(model_cfg, train_cfg, run_dir, log=log, evaluator=evaluator)
    model, steps, elapsed = train.load_trained(model_cfg, run_dir)
    model.eval()
    train_cfg = replace(train_cfg, steps=steps)
    training = {"steps": steps, "elapsed_s": round(elapsed, 1), "params": model.num_params()}
    log(f"trained: {training}")

    os.makedirs(out, exist_ok=True)
    export_folder(model, out)
    n = quantize_file(os.path.join(out, "onnx", "model.onnx"), os.path.join(out, "onnx", "model_quantized.onnx"))
    log(f"exported to {out} ({n} MatMul weights quantized)")
    reference.write_reference(model, os.path.join(out, "reference.json"), 24 if args.smoke else 120)
    with open(os.path.join(out, "training.json"), "w", encoding="utf-8") as f:
        json.dump(training, f, indent=2)
        f.write("\n")
    if not args.smoke:
        with open(os.path.join(out, "README.md"), "w", encoding="utf-8") as f:
            f.write(card.render(model, train_cfg, training))
        splits = os.path.join(HERE, "splits")
        os.makedirs(splits, exist_ok=True)
        data.write_split(os.path.join(splits, "test.jsonl"), data.test_split())
        data.write_split(os.path.join(splits, "ood.jsonl"), data.ood_split())
    log(f"build done in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
