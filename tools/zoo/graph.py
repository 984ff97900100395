"""One decoder-only ONNX graph in the layout of an onnx-community / onnxruntime-genai export.

Per layer: RMSNorm (SimplifiedLayerNormalization), q/k/v projections (MatMul, or MatMulNBits
for q4, or MatMulInteger after DynamicQuantizeLinear for q8; Qwen 2's biases added after), Qwen 3 / Gemma 3 per-head q/k
norms, com.microsoft GroupQueryAttention with rotary embedding inside (do_rotary=1, cos/sin
caches as initializers; Gemma 3's local layers get their own base and `local_window_size`),
o projection, residual adds, and a SiLU (Llama, Qwen) or tanh-GELU (Gemma) gated MLP.
Inputs and outputs follow the contract Transformers.js 4.x reads (see
../shared/reference/transformers-js.md): `input_ids`, `attention_mask`,
`past_key_values.{i}.key|value` [batch_size, kv_heads, past_sequence_length, head_dim] →
`logits`, `present.{i}.key|value`. GroupQueryAttention takes its positions and masking from
`seqlens_k` = sum(attention_mask) − 1, as the real exports do, so no `position_ids` input.
"""
from __future__ import annotations

import math

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from .families import head_dim as head_dim_of, is_sliding
from .weights import rope_tables

OPSET = 17
MS_DOMAIN = "com.microsoft"
Q4_BLOCK = 32

# dtype → (float type of weights and activations, how linear layers are stored)
VARIANTS = {
    "fp32": (np.float32, "float"),
    "fp16": (np.float16, "float"),
    "q8": (np.float32, "int8"),
    "q4": (np.float32, "int4"),
    "q4f16": (np.float16, "int4"),
}


class GraphBuilder:
    def __init__(self, float_type: type) -> None:
        self.float_type = float_type
        self.onnx_float = TensorProto.FLOAT16 if float_type == np.float16 else TensorProto.FLOAT
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self._count = 0

    def name(self, hint: str) -> str:
        self._count += 1
        return f"{hint}_{self._count}"

    def init(self, name: str, array: np.ndarray) -> str:
        self.initializers.append(numpy_helper.from_array(np.asarray(array), name=name))
        return name

    def floats(self, name: str, array: np.ndarray) -> str:
        return self.init(name, np.asarray(array, dtype=np.float32).astype(self.float_type))

    def node(self, op: str, inputs: list[str], hint: str, outputs: int = 1, domain: str = "", **attrs) -> list[str]:
        names = [self.name(f"{hint}_out{i}") for i in range(outputs)]
        self.nodes.append(helper.make_node(op, inputs, names, name=self.name(hint), domain=domain, **attrs))
        return names

    def one(self, op: str, inputs: list[str], hint: str, domain: str = "", **attrs) -> str:
        return self.node(op, inputs, hint, 1, domain, **attrs)[0]

    def rms_norm(self, x: str, weight: np.ndarray, eps: float, hint: str) -> str:
        w = self.floats(f"{hint}.weight", weight)
        return self.one("SimplifiedLayerNormalization", [x, w], hint, axis=-1, epsilon=eps, stash_type=1)

    def linear(self, x: str, weight: np.ndarray, storage: str, hint: str) -> str:
        """x [..., K] @ weight [K, N] stored as the dtype's export stores it."""
        if storage == "float":
            return self.one("MatMul", [x, self.floats(f"{hint}.weight", weight)], hint)
        if storage == "int4":
            return self._matmul_nbits(x, weight, hint)
        return self._matmul_integer(x, weight, hint)

    def projection(self, x: str, weights: dict[str, np.ndarray], name: str, storage: str) -> str:
        """A linear layer by HF name, plus its bias where the family has one (Qwen 2's q/k/v)."""
        y = self.linear(x, weights[name], storage, name)
        bias = weights.get(f"{name}.bias")
        return y if bias is None else self.one("Add", [y, self.floats(f"{name}.bias", bias)], f"{name}.add_bias")

    def _matmul_nbits(self, x: str, weight: np.ndarray, hint: str) -> str:
        k, n = weight.shape
        if k % Q4_BLOCK:
            raise ValueError(f"{hint}: K={k} is not a multiple of the 4-bit block {Q4_BLOCK}")
        scale, q = exact_grid(weight)
        blocks = k // Q4_BLOCK
        # B is [N, blocks, block/2]: each column's K values, two 4-bit values a byte, low nibble first.
        unsigned = (q.T + 8).astype(np.uint8).reshape(n, blocks, Q4_BLOCK)
        packed = unsigned[..., 0::2] | (unsigned[..., 1::2] << 4)
        scales = np.full(n * blocks, scale, dtype=np.float32).astype(self.float_type)
        b = self.init(f"{hint}.weight_Q4", packed)
        s = self.init(f"{hint}.weight_scales", scales)
        return self.one("MatMulNBits", [x, b, s], hint, domain=MS_DOMAIN, K=k, N=n, bits=4, block_size=Q4_BLOCK)

    def _matmul_integer(self, x: str, weight: np.ndarray, hint: str) -> str:
        scale, q = exact_grid(weight)
        xq, xs, xzp = self.node("DynamicQuantizeLinear", [x], f"{hint}_quant", outputs=3)
        wq = self.init(f"{hint}.weight_quantized", q.astype(np.int8))
        wzp = self.init(f"{hint}.weight_zero_point", np.array(0, dtype=np.int8))
        product = self.one("MatMulInteger", [xq, wq, xzp, wzp], f"{hint}_int")
        as_float = self.one("Cast", [product], f"{hint}_cast", to=TensorProto.FLOAT)
        ws = self.init(f"{hint}.weight_scale", np.array(scale, dtype=np.float32))
        joint = self.one("Mul", [xs, ws], f"{hint}_scale")
        return self.one("Mul", [as_float, joint], hint)


def exact_grid(weight: np.ndarray) -> tuple[float, np.ndarray]:
    """The matrix's one power-of-two scale and its integers; fails if it is not on the grid."""
    magnitude = float(np.max(np.abs(weight)))
    scale = 2.0 ** math.floor(math.log2(magnitude / 8)) if magnitude else 1.0
    for candidate in (scale, scale * 2):
        q = np.round(weight / candidate)
        if np.array_equal(q * candidate, weight) and q.min() >= -8 and q.max() <= 7:
            return candidate, q.astype(np.int8)
    raise ValueError("weights are not on the 4-bit power-of-two grid (weights.py draws them so)")


def build_graph(config: dict, weights: dict[str, np.ndarray], dtype: str) -> onnx.ModelProto:
    float_type, storage = VARIANTS[dtype]
    g = GraphBuilder(float_type)
    layers = config["num_hidden_layers"]
    heads, kv_heads, head_dim = config["num_attention_heads"], config["num_key_value_heads"], head_dim_of(config)
    eps = config["rms_norm_eps"]
    gemma = config["model_type"] == "gemma3_text"
    positions = config["max_position_embeddings"]

    inputs = [
        helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch_size", "sequence_length"]),
        helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch_size", "total_sequence_length"]),
    ]
    outputs = [
        helper.make_tensor_value_info("logits", g.onnx_float, ["batch_size", "sequence_length", config["vocab_size"]]),
    ]

    # GroupQueryAttention's masking: per row, the index of its last valid token, and the total length.
    axis = g.init("const_axis_1", np.array([1], dtype=np.int64))
    one = g.init("const_one_i64", np.array(1, dtype=np.int64))
    summed = g.one("ReduceSum", ["attention_mask", axis], "mask_sum", keepdims=0)
    seqlens_k = g.one("Cast", [g.one("Sub", [summed, one], "seqlens_minus_one")], "seqlens_k", to=TensorProto.INT32)
    width = g.one("Shape", ["attention_mask"], "mask_shape", start=1, end=2)
    total = g.one("Cast", [g.one("Squeeze", [width], "total_scalar")], "total_seq_len", to=TensorProto.INT32)

    embedding = weights["model.embed_tokens"]
    x = g.one("Gather", [g.floats("model.embed_tokens.weight", embedding), "input_ids"], "embed")
    if gemma:
        # Gemma scales embeddings by sqrt(hidden) computed in the hidden dtype.
        x = g.one("Mul", [x, g.floats("embed_scale", np.array(math.sqrt(config["hidden_size"])))], "embed_scaled")

    rope_cache: dict[bool, tuple[str, str]] = {}
    for i in range(layers):
        p = f"model.layers.{i}"
        sliding = gemma and is_sliding(config, i)
        if sliding not in rope_cache:
            cos, sin = rope_tables(config, i, positions)
            tag = "local" if sliding else "global"
            rope_cache[sliding] = (g.floats(f"cos_cache_{tag}", cos), g.floats(f"sin_cache_{tag}", sin))
        cos_name, sin_name = rope_cache[sliding]

        h = g.rms_norm(x, weights[f"{p}.input_layernorm"], eps, f"{p}.input_layernorm")
        q, k, v = (g.projection(h, weights, f"{p}.self_attn.{n}_proj", storage) for n in "qkv")
        if f"{p}.self_attn.q_norm" in weights:
            q = per_head_norm(g, q, heads, head_dim, weights[f"{p}.self_attn.q_norm"], eps, f"{p}.self_attn.q_norm")
            k = per_head_norm(g, k, kv_heads, head_dim, weights[f"{p}.self_attn.k_norm"], eps, f"{p}.self_attn.k_norm")

        past_k, past_v = f"past_key_values.{i}.key", f"past_key_values.{i}.value"
        kv_shape = ["batch_size", kv_heads, "past_sequence_length", head_dim]
        present_shape = ["batch_size", kv_heads, "total_sequence_length", head_dim]
        inputs += [helper.make_tensor_value_info(n, g.onnx_float, kv_shape) for n in (past_k, past_v)]
        outputs += [
            helper.make_tensor_value_info(f"present.{i}.{kind}", g.onnx_float, present_shape) for kind in ("key", "value")
        ]
        scale = config.get("query_pre_attn_scalar", head_dim) ** -0.5
        attention_attrs = {"num_heads": heads, "kv_num_heads": kv_heads, "do_rotary": 1, "rotary_interleaved": 0, "scale": scale}
        if sliding:
            attention_attrs["local_window_size"] = config["sliding_window"]
        attn = f"{p}.self_attn.attn_out"
        g.nodes.append(
            helper.make_node(
                "GroupQueryAttention",
                [q, k, v, past_k, past_v, seqlens_k, total, cos_name, sin_name],
                [attn, f"present.{i}.key", f"present.{i}.value"],
                name=f"{p}.self_attn.GroupQueryAttention",
                domain=MS_DOMAIN,
                **attention_attrs,
            )
        )
        o = g.linear(attn, weights[f"{p}.self_attn.o_proj"], storage, f"{p}.self_attn.o_proj")
        if gemma:
            o = g.rms_norm(o, weights[f"{p}.post_attention_layernorm"], eps, f"{p}.post_attention_layernorm")
            x = g.one("Add", [x, o], f"{p}.attn_residual")
            h = g.rms_norm(x, weights[f"{p}.pre_feedforward_layernorm"], eps, f"{p}.pre_feedforward_layernorm")
        else:
            x = g.one("Add", [x, o], f"{p}.attn_residual")
            h = g.rms_norm(x, weights[f"{p}.post_attention_layernorm"], eps, f"{p}.post_attention_layernorm")
        gate = g.linear(h, weights[f"{p}.mlp.gate_proj"], storage, f"{p}.mlp.gate_proj")
        up = g.linear(h, weights[f"{p}.mlp.up_proj"], storage, f"{p}.mlp.up_proj")
        if gemma:
            act = g.one("FastGelu", [gate], f"{p}.mlp.act", domain=MS_DOMAIN)  # tanh approximation
        else:
            act = g.one("Mul", [gate, g.one("Sigmoid", [gate], f"{p}.mlp.sigmoid")], f"{p}.mlp.act")
        down = g.linear(g.one("Mul", [act, up], f"{p}.mlp.gated"), weights[f"{p}.mlp.down_proj"], storage, f"{p}.mlp.down_proj")
        if gemma:
            down = g.rms_norm(down, weights[f"{p}.post_feedforward_layernorm"], eps, f"{p}.post_feedforward_layernorm")
        x = g.one("Add", [x, down], f"{p}.mlp_residual")

    x = g.rms_norm(x, weights["model.norm"], eps, "model.norm")
    # Tied embeddings: float variants transpose the one embedding in the graph; quantised ones
    # store lm_head quantised beside the float embedding, as the real q4/q8 exports do. Untied
    # (the R1 distills): lm_head is its own matrix in every variant.
    if "lm_head" in weights:
        logits = g.linear(x, weights["lm_head"], storage, "lm_head")
    elif storage == "float":
        table = g.one("Transpose", ["model.embed_tokens.weight"], "lm_head.transpose", perm=[1, 0])
        logits = g.one("MatMul", [x, table], "lm_head")
    else:
        logits = g.linear(x, np.ascontiguousarray(embedding.T), storage, "lm_head")
    g.nodes.append(helper.make_node("Identity", [logits], ["logits"], name="logits_identity"))

    graph = helper.make_graph(g.nodes, "main_graph", inputs, outputs, initializer=g.initializers)
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid(MS_DOMAIN, 1)],
        producer_name="thinkbench-zoo",
    )
    model.ir_version = 8
    return model


def per_head_norm(g: GraphBuilder, x: str, heads: int, head_dim: int, weight: np.ndarray, eps: float, hint: str) -> str:
    """Qwen 3 / Gemma 3 q_norm and k_norm: RMSNorm over each head's head_dim values."""
    split = g.init(f"{hint}.split_shape", np.array([0, 0, heads, head_dim], dtype=np.int64))
    joined = g.init(f"{hint}.join_shape", np.array([0, 0, heads * head_dim], dtype=np.int64))
    per_head = g.one("Reshape", [x, split], f"{hint}.split")
    normed = g.rms_norm(per_head, weight, eps, hint)
    return g.one("Reshape", [normed, joined], f"{hint}.join")
