"""The families' forward pass in plain numpy (float64), to check the ONNX graphs against.

Written from the Hugging Face modeling code's equations, not from graph.py: RMSNorm, rotary
embedding (half-split, not interleaved), grouped-query causal attention with Gemma 3's sliding
window on its local layers, gated MLP, tied or separate lm_head. One sequence, no cache, no padding.

    /usr/bin/python3 -m tools.zoo.reference DIR --ids 1,2,3 --out FILE   → FILE: float32 [len(ids), vocab], little-endian
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

from .families import FAMILIES, config_for, head_dim, is_sliding
from .weights import draw_weights, inverse_frequencies


def rms_norm(x: np.ndarray, weight: np.ndarray, eps: float) -> np.ndarray:
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * weight


def rotate(x: np.ndarray, positions: np.ndarray, inv_freq: np.ndarray) -> np.ndarray:
    """x [heads, seq, dim]: HF's rotate_half convention (first half with second half)."""
    angles = np.outer(positions, inv_freq)  # [seq, dim/2]
    cos, sin = np.cos(angles), np.sin(angles)
    half = x.shape[-1] // 2
    a, b = x[..., :half], x[..., half:]
    return np.concatenate([a * cos - b * sin, b * cos + a * sin], axis=-1)


def gelu_tanh(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))


def forward(config: dict, weights: dict[str, np.ndarray], ids: list[int]) -> np.ndarray:
    w = {k: v.astype(np.float64) for k, v in weights.items()}
    heads, kv_heads, dim = config["num_attention_heads"], config["num_key_value_heads"], head_dim(config)
    eps = config["rms_norm_eps"]
    gemma = config["model_type"] == "gemma3_text"
    seq = len(ids)
    positions = np.arange(seq, dtype=np.float64)
    x = w["model.embed_tokens"][ids]
    if gemma:
        x = x * math.sqrt(config["hidden_size"])
    for i in range(config["num_hidden_layers"]):
        p = f"model.layers.{i}"
        h = rms_norm(x, w[f"{p}.input_layernorm"], eps)
        q, k, v = (h @ w[f"{p}.self_attn.{n}_proj"] + w.get(f"{p}.self_attn.{n}_proj.bias", 0) for n in "qkv")
        q = q.reshape(seq, heads, dim).transpose(1, 0, 2)
        k = k.reshape(seq, kv_heads, dim).transpose(1, 0, 2)
        v = v.reshape(seq, kv_heads, dim).transpose(1, 0, 2)
        if f"{p}.self_attn.q_norm" in w:
            q = rms_norm(q, w[f"{p}.self_attn.q_norm"], eps)
            k = rms_norm(k, w[f"{p}.self_attn.k_norm"], eps)
        inv = inverse_frequencies(config, i)
        q, k = rotate(q, positions, inv), rotate(k, positions, inv)
        repeat = heads // kv_heads
        k, v = np.repeat(k, repeat, axis=0), np.repeat(v, repeat, axis=0)
        scores = q @ k.transpose(0, 2, 1) * config.get("query_pre_attn_scalar", dim) ** -0.5
        query_pos, key_pos = np.arange(seq)[:, None], np.arange(seq)[None, :]
        allowed = key_pos <= query_pos
        if gemma and is_sliding(config, i):
            allowed &= query_pos - key_pos < config["sliding_window"]
        scores = np.where(allowed, scores, -np.inf)
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        attn = (scores / scores.sum(axis=-1, keepdims=True)) @ v
        o = attn.transpose(1, 0, 2).reshape(seq, heads * dim) @ w[f"{p}.self_attn.o_proj"]
        if gemma:
            x = x + rms_norm(o, w[f"{p}.post_attention_layernorm"], eps)
            h = rms_norm(x, w[f"{p}.pre_feedforward_layernorm"], eps)
        else:
            x = x + o
            h = rms_norm(x, w[f"{p}.post_attention_layernorm"], eps)
        gate, up = h @ w[f"{p}.mlp.gate_proj"], h @ w[f"{p}.mlp.up_proj"]
        act = gelu_tanh(gate) if gemma else gate / (1 + np.exp(-gate))
        down = (act * up) @ w[f"{p}.mlp.down_proj"]
        x = x + (rms_norm(down, w[f"{p}.post_feedforward_layernorm"], eps) if gemma else down)
    x = rms_norm(x, w["model.norm"], eps)
    return x @ (w["lm_head"] if "lm_head" in w else w["model.embed_tokens"].T)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="reference logits of a built twin")
    parser.add_argument("dir", type=Path)
    parser.add_argument("--ids", required=True, help="comma-separated token ids")
    parser.add_argument("--out", type=Path, required=True, help="raw little-endian float32 logits, row-major")
    args = parser.parse_args(argv)
    manifest = json.loads((args.dir / "zoo.json").read_text())
    config = config_for(FAMILIES[manifest["family"]], manifest["scale"])
    weights = draw_weights(config, manifest["seed"])
    logits = forward(config, weights, [int(t) for t in args.ids.split(",")])
    logits.astype("<f4").tofile(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
