"""A llama-style decoder (RMSNorm, rotary positions, SwiGLU, grouped-query attention) small
enough to train on two CPU cores, with an explicit KV-cache interface for ONNX export."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class ModelConfig:
    vocab_size: int
    hidden_size: int = 192
    num_hidden_layers: int = 4
    num_attention_heads: int = 6
    num_key_value_heads: int = 2
    intermediate_size: int = 512
    rms_norm_eps: float = 1e-5
    rope_theta: float = 10000.0
    max_position_embeddings: int = 1024

    @property
    def head_dim(self) -> int:
        return self.hidden_size // self.num_attention_heads

    def to_dict(self) -> dict:
        return asdict(self)


class RMSNorm(nn.Module):
    def __init__(self, dim: int, eps: float):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))


def rotate_half(x: torch.Tensor) -> torch.Tensor:
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Attention(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.n_heads = cfg.num_attention_heads
        self.n_kv = cfg.num_key_value_heads
        self.hd = cfg.head_dim
        self.q_proj = nn.Linear(cfg.hidden_size, self.n_heads * self.hd, bias=False)
        self.k_proj = nn.Linear(cfg.hidden_size, self.n_kv * self.hd, bias=False)
        self.v_proj = nn.Linear(cfg.hidden_size, self.n_kv * self.hd, bias=False)
        self.o_proj = nn.Linear(self.n_heads * self.hd, cfg.hidden_size, bias=False)

    def forward(self, x, cos, sin, mask, past_k=None, past_v=None):
        b, s, _ = x.shape
        q = self.q_proj(x).view(b, s, self.n_heads, self.hd).transpose(1, 2)
        k = self.k_proj(x).view(b, s, self.n_kv, self.hd).transpose(1, 2)
        v = self.v_proj(x).view(b, s, self.n_kv, self.hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if past_k is not None:
            k = torch.cat([past_k, k], dim=2)
            v = torch.cat([past_v, v], dim=2)
        present = (k, v)
        rep = self.n_heads // self.n_kv
        kk = k.unsqueeze(2).expand(b, self.n_kv, rep, k.shape[2], self.hd).reshape(b, self.n_heads, k.shape[2], self.hd)
        vv = v.unsqueeze(2).expand(b, self.n_kv, rep, v.shape[2], self.hd).reshape(b, self.n_heads, v.shape[2], self.hd)
        att = (q @ kk.transpose(-1, -2)) * (self.hd ** -0.5) + mask
        att = torch.softmax(att, dim=-1)
        y = (att @ vv).transpose(1, 2).reshape(b, s, self.n_heads * self.hd)
        return self.o_proj(y), present


class MLP(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.gate_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.up_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.down_proj = nn.Linear(cfg.intermediate_size, cfg.hidden_size, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Block(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.input_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.self_attn = Attention(cfg)
        self.post_attention_layernorm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.mlp = MLP(cfg)

    def forward(self, x, cos, sin, mask, past_k=None, past_v=None):
        h, present = self.self_attn(self.input_layernorm(x), cos, sin, mask, past_k, past_v)
        x = x + h
        x = x + self.mlp(self.post_attention_layernorm(x))
        return x, present


# A large finite negative instead of -inf so fully masked (left-pad) rows stay NaN-free.
MASK_MIN = -1e9


class TinyLlama(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        self.layers = nn.ModuleList([Block(cfg) for _ in range(cfg.num_hidden_layers)])
        self.norm = RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.lm_head = nn.Linear(cfg.hidden_size, cfg.vocab_size, bias=False)
        inv_freq = 1.0 / (cfg.rope_theta ** (torch.arange(0, cfg.head_dim, 2).float() / cfg.head_dim))
        self.register_buffer("inv_freq", inv_freq, persistent=False)
        self.apply(self._init)
        for layer in self.layers:
            # Scaled residual projections (GPT-2 style) keep early training stable at high lr.
            std = 0.02 / (2 * cfg.num_hidden_layers) ** 0.5
            nn.init.normal_(layer.self_attn.o_proj.weight, std=std)
            nn.init.normal_(layer.mlp.down_proj.weight, std=std)

    @staticmethod
    def _init(m: nn.Module) -> None:
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)

    def num_params(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def rotary(self, position_ids: torch.Tensor):
        freqs = position_ids.to(torch.float32).unsqueeze(-1) * self.inv_freq  # [B,S,hd/2]
        emb = torch.cat([freqs, freqs], dim=-1).unsqueeze(1)  # [B,1,S,hd]
        return emb.cos(), emb.sin()

    def forward(self, input_ids, attention_mask, position_ids, past=None):
        """input_ids/position_ids [B,S]; attention_mask [B,past+S] (1 = real token);
        past: list of (k, v) [B,kv,past,hd] per layer or None. Returns logits and presents."""
        b, s = input_ids.shape
        total = attention_mask.shape[1]
        past_len = total - s
        x = self.embed_tokens(input_ids)
        cos, sin = self.rotary(position_ids)
        q_pos = torch.arange(s, device=input_ids.device).unsqueeze(1) + past_len  # [S,1]
        k_pos = torch.arange(total, device=input_ids.device).unsqueeze(0)  # [1,T]
        causal = k_pos <= q_pos  # [S,T]
        keep = causal.unsqueeze(0).unsqueeze(0) & attention_mask.bool().unsqueeze(1).unsqueeze(1)
        mask = (~keep).to(x.dtype) * MASK_MIN  # [B,1,S,T]
        presents = []
        for i, layer in enumerate(self.layers):
            pk, pv = past[i] if past is not None else (None, None)
            x, present = layer(x, cos, sin, mask, pk, pv)
            presents.append(present)
        logits = self.lm_head(self.norm(x))
        return logits, presents
