"""Weight-only int8 quantization with standard ONNX ops: each MatMul weight becomes an int8
initializer plus per-output-channel scales, dequantized by a DequantizeLinear node right before
the MatMul. Activations stay float32, so every runtime that runs the fp32 graph runs this one."""

from __future__ import annotations

import numpy as np
import onnx
from onnx import helper, numpy_helper


def quantize_file(src: str, dst: str) -> int:
    """Writes the quantized graph to dst; returns how many weights were quantized."""
    model = onnx.load(src)
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    consumers: dict[str, int] = {}
    for node in graph.node:
        for name in node.input:
            consumers[name] = consumers.get(name, 0) + 1
    dq_nodes, dequantized = [], {}
    for node in graph.node:
        if node.op_type != "MatMul" or node.input[1] not in inits:
            continue
        name = node.input[1]
        if name not in dequantized:
            w = numpy_helper.to_array(inits[name]).astype(np.float32)
            if w.ndim != 2:
                continue
            scale = np.maximum(np.abs(w).max(axis=0), 1e-12) / 127.0  # per output column
            q = np.clip(np.round(w / scale), -127, 127).astype(np.int8)
            base = name.replace("::", "_").replace(".", "_")
            graph.initializer.extend(
                [
                    numpy_helper.from_array(q, f"{base}_int8"),
                    numpy_helper.from_array(scale.astype(np.float32), f"{base}_scale"),
                    numpy_helper.from_array(np.zeros(scale.shape, np.int8), f"{base}_zero_point"),
                ]
            )
            out = f"{base}_dequantized"
            dq_nodes.append(
                helper.make_node(
                    "DequantizeLinear",
                    [f"{base}_int8", f"{base}_scale", f"{base}_zero_point"],
                    [out],
                    name=f"{base}_DequantizeLinear",
                    axis=1,
                )
            )
            dequantized[name] = out
        node.input[1] = dequantized[name]
    # Drop float weights no other node still reads.
    still_used = {n for node in graph.node for n in node.input}
    keep = [i for i in graph.initializer if i.name in still_used or i.name.endswith(("_int8", "_scale", "_zero_point"))]
    del graph.initializer[:]
    graph.initializer.extend(keep)
    # DequantizeLinear nodes read only initializers, so placing them first keeps topological order.
    nodes = dq_nodes + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.checker.check_model(model)
    onnx.save(model, dst)
    return len(dequantized)
