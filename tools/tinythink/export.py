"""ONNX export in the Transformers.js decoder layout (see ../shared/reference/transformers-js.md):
inputs input_ids, attention_mask, position_ids, past_key_values.{i}.key/value; outputs logits
and present.{i}.key/value; batch axis named exactly `batch_size`; opset 14."""

from __future__ import annotations

import json
import os

import torch
from torch import nn

from . import tokenizer
from .model import TinyLlama

OPSET = 14


class DecoderWithPast(nn.Module):
    def __init__(self, model: TinyLlama):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, position_ids, *past_flat):
        past = [(past_flat[2 * i], past_flat[2 * i + 1]) for i in range(len(past_flat) // 2)]
        logits, presents = self.model(input_ids, attention_mask, position_ids, past)
        flat = [t for kv in presents for t in kv]
        return (logits, *flat)


def io_names(n_layers: int) -> tuple[list[str], list[str]]:
    past = [f"past_key_values.{i}.{kind}" for i in range(n_layers) for kind in ("key", "value")]
    present = [f"present.{i}.{kind}" for i in range(n_layers) for kind in ("key", "value")]
    return ["input_ids", "attention_mask", "position_ids", *past], ["logits", *present]


def export_onnx(model: TinyLlama, path: str) -> None:
    cfg = model.cfg
    model.eval()
    batch, seq, past_len = 2, 3, 4
    # A non-empty dummy past, so the exporter freezes no axis to 0.
    past = [
        torch.randn(batch, cfg.num_key_value_heads, past_len, cfg.head_dim)
        for _ in range(2 * cfg.num_hidden_layers)
    ]
    input_ids = torch.randint(0, cfg.vocab_size, (batch, seq))
    mask = torch.ones(batch, past_len + seq, dtype=torch.long)
    position_ids = torch.arange(past_len, past_len + seq).unsqueeze(0).expand(batch, seq).contiguous()
    inputs, outputs = io_names(cfg.num_hidden_layers)
    axes = {
        "input_ids": {0: "batch_size", 1: "sequence_length"},
        "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
        "position_ids": {0: "batch_size", 1: "sequence_length"},
        "logits": {0: "batch_size", 1: "sequence_length"},
    }
    for name in inputs[3:]:
        axes[name] = {0: "batch_size", 2: "past_sequence_length"}
    for name in outputs[1:]:
        axes[name] = {0: "batch_size", 2: "total_sequence_length"}
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(
            DecoderWithPast(model),
            (input_ids, mask, position_ids, *past),
            path,
            input_names=inputs,
            output_names=outputs,
            dynamic_axes=axes,
            opset_version=OPSET,
            do_constant_folding=True,
        )


def hf_config(model: TinyLlama) -> dict:
    cfg = model.cfg
    return {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "vocab_size": cfg.vocab_size,
        "hidden_size": cfg.hidden_size,
        "intermediate_size": cfg.intermediate_size,
        "num_hidden_layers": cfg.num_hidden_layers,
        "num_attention_heads": cfg.num_attention_heads,
        "num_key_value_heads": cfg.num_key_value_heads,
        "head_dim": cfg.head_dim,
        "hidden_act": "silu",
        "rms_norm_eps": cfg.rms_norm_eps,
        "rope_theta": cfg.rope_theta,
        "max_position_embeddings": cfg.max_position_embeddings,
        "tie_word_embeddings": False,
        "attention_bias": False,
        "mlp_bias": False,
        "bos_token_id": None,
        "eos_token_id": tokenizer.IM_END_ID,
        "pad_token_id": tokenizer.EOT_ID,
        "torch_dtype": "float32",
        # Both files are shipped (fp32 model.onnx, q8 model_quantized.onnx) in one file each.
        "transformers.js_config": {"use_external_data_format": False},
    }


def generation_config() -> dict:
    return {
        "eos_token_id": tokenizer.IM_END_ID,
        "pad_token_id": tokenizer.EOT_ID,
        "do_sample": False,
        "max_new_tokens": 160,
    }


def write_json(path: str, obj: dict) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")


def export_folder(model: TinyLlama, out_dir: str) -> None:
    os.makedirs(os.path.join(out_dir, "onnx"), exist_ok=True)
    export_onnx(model, os.path.join(out_dir, "onnx", "model.onnx"))
    write_json(os.path.join(out_dir, "config.json"), hf_config(model))
    write_json(os.path.join(out_dir, "generation_config.json"), generation_config())
    tokenizer.write(out_dir)
