"""Seeded random weights that every dtype of the export represents exactly.

Each matrix is `q * 2**-e` with integer `q` in [-8, 7] and one power-of-two scale per matrix:
4-bit blocks (MatMulNBits, zero point 8), int8 per-tensor (MatMulInteger) and fp16 all hold
these values without rounding. So a quantised twin differs from its fp32 twin only by its
arithmetic (fp16 accumulation, int8 activations), never by its weights, and "matches its fp32
twin" is a check of the graph and the runtime, not of a quantiser.
"""
from __future__ import annotations

import math

import numpy as np

from .families import has_qkv_bias, head_dim, is_sliding

Q_MIN, Q_MAX = -8, 7
Q_STD = math.sqrt(((Q_MAX - Q_MIN + 1) ** 2 - 1) / 12)  # std of a uniform integer in [-8, 7]


def grid_matrix(rng: np.random.Generator, rows: int, cols: int, target_std: float) -> np.ndarray:
    exponent = round(math.log2(Q_STD / target_std))
    q = rng.integers(Q_MIN, Q_MAX + 1, size=(rows, cols), dtype=np.int8)
    return q.astype(np.float32) * np.float32(2.0 ** -exponent)


def norm_weight(rng: np.random.Generator, size: int) -> np.ndarray:
    """Near 1 (1 + k/16, |k| <= 4): exact in fp16, and not all ones so a missing norm shows."""
    return (1 + rng.integers(-4, 5, size=size) / 16).astype(np.float32)


def draw_weights(config: dict, seed: int) -> dict[str, np.ndarray]:
    """Weights by HF parameter name (`model.layers.0.self_attn.q_proj`), matrices as [in, out];
    `lm_head` [hidden, vocab] only where the embeddings are untied."""
    rng = np.random.default_rng(seed)
    hidden = config["hidden_size"]
    dim = head_dim(config)
    q_out = config["num_attention_heads"] * dim
    kv_out = config["num_key_value_heads"] * dim
    inter = config["intermediate_size"]
    gemma = config["model_type"].startswith("gemma")
    qk_norm = config["model_type"] in ("qwen3", "gemma3_text")
    w: dict[str, np.ndarray] = {}
    # Tied embedding: logits = norm(h) @ E^T have std ~ 4, so greedy choices have clear margins.
    w["model.embed_tokens"] = grid_matrix(rng, config["vocab_size"], hidden, 4 / math.sqrt(hidden))
    for i in range(config["num_hidden_layers"]):
        p = f"model.layers.{i}"
        w[f"{p}.input_layernorm"] = norm_weight(rng, hidden)
        w[f"{p}.self_attn.q_proj"] = grid_matrix(rng, hidden, q_out, 1 / math.sqrt(hidden))
        w[f"{p}.self_attn.k_proj"] = grid_matrix(rng, hidden, kv_out, 1 / math.sqrt(hidden))
        w[f"{p}.self_attn.v_proj"] = grid_matrix(rng, hidden, kv_out, 1 / math.sqrt(hidden))
        if has_qkv_bias(config):
            # Biases the size of a projection's outputs (std ~1/2), on the same exact grid.
            for name, size in (("q_proj", q_out), ("k_proj", kv_out), ("v_proj", kv_out)):
                w[f"{p}.self_attn.{name}.bias"] = grid_matrix(rng, 1, size, 0.5).ravel()
        w[f"{p}.self_attn.o_proj"] = grid_matrix(rng, q_out, hidden, 1 / math.sqrt(q_out))
        if qk_norm:
            w[f"{p}.self_attn.q_norm"] = norm_weight(rng, dim)
            w[f"{p}.self_attn.k_norm"] = norm_weight(rng, dim)
        w[f"{p}.post_attention_layernorm"] = norm_weight(rng, hidden)
        if gemma:
            w[f"{p}.pre_feedforward_layernorm"] = norm_weight(rng, hidden)
            w[f"{p}.post_feedforward_layernorm"] = norm_weight(rng, hidden)
        w[f"{p}.mlp.gate_proj"] = grid_matrix(rng, hidden, inter, 1 / math.sqrt(hidden))
        w[f"{p}.mlp.up_proj"] = grid_matrix(rng, hidden, inter, 1 / math.sqrt(hidden))
        w[f"{p}.mlp.down_proj"] = grid_matrix(rng, inter, hidden, 1 / math.sqrt(inter))
    w["model.norm"] = norm_weight(rng, hidden)
    if not config["tie_word_embeddings"]:
        # Drawn last so that the other weights are the same draws as a tied twin's.
        w["lm_head"] = grid_matrix(rng, hidden, config["vocab_size"], 4 / math.sqrt(hidden))
    return w


def inverse_frequencies(config: dict, layer: int) -> np.ndarray:
    """RoPE inverse frequencies for one layer, with Llama 3's scaling and Gemma 3's local base."""
    dim = head_dim(config)
    base = config["rope_theta"]
    if config["model_type"] == "gemma3_text" and is_sliding(config, layer):
        base = config["rope_local_base_freq"]
    inv = 1.0 / (base ** (np.arange(0, dim, 2, dtype=np.float64) / dim))
    scaling = config.get("rope_scaling") or {}
    if scaling.get("rope_type") == "llama3":
        factor = scaling["factor"]
        low, high = scaling["low_freq_factor"], scaling["high_freq_factor"]
        old = scaling["original_max_position_embeddings"]
        wavelen = 2 * math.pi / inv
        scaled = np.where(wavelen > old / low, inv / factor, inv)
        smooth = (old / wavelen - low) / (high - low)
        smoothed = (1 - smooth) * scaled / factor + smooth * scaled
        medium = (wavelen >= old / high) & (wavelen <= old / low)
        inv = np.where(medium, smoothed, scaled)
    return inv


def rope_tables(config: dict, layer: int, positions: int) -> tuple[np.ndarray, np.ndarray]:
    """cos and sin caches [positions, head_dim / 2], as GroupQueryAttention's do_rotary takes them."""
    angles = np.outer(np.arange(positions, dtype=np.float64), inverse_frequencies(config, layer))
    return np.cos(angles).astype(np.float32), np.sin(angles).astype(np.float32)
