"""Character-level tokenizer, written as a Hugging Face tokenizer.json (BPE, single-character
vocab, no merges) so Transformers.js and the Python side split text identically."""

from __future__ import annotations

import json
import os

from .data import EOT, END_THINK, IM_END, IM_START, THINK

SPECIAL_TOKENS = [EOT, IM_START, IM_END, THINK, END_THINK]
# Every printable ASCII character plus newline and tab: any English prompt tokenizes.
CHARS = ["\n", "\t"] + [chr(c) for c in range(32, 127)]
VOCAB: dict[str, int] = {t: i for i, t in enumerate(SPECIAL_TOKENS + CHARS)}
ID_TO_TOKEN = {i: t for t, i in VOCAB.items()}
VOCAB_SIZE = len(VOCAB)
EOT_ID = VOCAB[EOT]
IM_START_ID = VOCAB[IM_START]
IM_END_ID = VOCAB[IM_END]

# Qwen3's template without the tool-calling branches: enable_thinking defaults to true, false
# inserts an empty think block; history assistant turns lose their reasoning.
CHAT_TEMPLATE = (
    "{%- if messages[0].role == 'system' %}"
    "{{- '<|im_start|>system\\n' + messages[0].content + '<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- set ns = namespace(last_query_index=messages|length - 1, found=false) %}"
    "{%- for message in messages[::-1] %}"
    "{%- set index = (messages|length - 1) - loop.index0 %}"
    "{%- if not ns.found and message.role == 'user' %}"
    "{%- set ns.found = true %}{%- set ns.last_query_index = index %}"
    "{%- endif %}"
    "{%- endfor %}"
    "{%- for message in messages %}"
    "{%- if (message.role == 'user') or (message.role == 'system' and not loop.first) %}"
    "{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}"
    "{%- elif message.role == 'assistant' %}"
    "{%- set content = message.content %}"
    "{%- set reasoning_content = '' %}"
    "{%- if '</think>' in message.content %}"
    "{%- set content = message.content.split('</think>')[-1].lstrip('\\n') %}"
    "{%- set reasoning_content = message.content.split('</think>')[0].rstrip('\\n').split('<think>')[-1].lstrip('\\n') %}"
    "{%- endif %}"
    "{%- if loop.index0 > ns.last_query_index and (loop.last or reasoning_content) %}"
    "{{- '<|im_start|>' + message.role + '\\n<think>\\n' + reasoning_content.strip('\\n') + '\\n</think>\\n\\n' + content.lstrip('\\n') }}"
    "{%- else %}"
    "{{- '<|im_start|>' + message.role + '\\n' + content }}"
    "{%- endif %}"
    "{{- '<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}"
    "{{- '<|im_start|>assistant\\n' }}"
    "{%- if enable_thinking is defined and enable_thinking is false %}"
    "{{- '<think>\\n\\n</think>\\n\\n' }}"
    "{%- endif %}"
    "{%- endif %}"
)


def encode(text: str) -> list[int]:
    """Special tokens first (longest match), then one id per character."""
    ids: list[int] = []
    i = 0
    while i < len(text):
        if text[i] == "<":
            for tok in SPECIAL_TOKENS:
                if text.startswith(tok, i):
                    ids.append(VOCAB[tok])
                    i += len(tok)
                    break
            else:
                ids.append(VOCAB[text[i]])
                i += 1
        else:
            ids.append(VOCAB[text[i]])
            i += 1
    return ids


def decode(ids: list[int], skip_special: bool = False) -> str:
    return "".join(ID_TO_TOKEN[i] for i in ids if not (skip_special and ID_TO_TOKEN[i] in SPECIAL_TOKENS))


def tokenizer_json() -> dict:
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {
                "id": VOCAB[t],
                "content": t,
                "single_word": False,
                "lstrip": False,
                "rstrip": False,
                "normalized": False,
                "special": True,
            }
            for t in SPECIAL_TOKENS
        ],
        "normalizer": None,
        "pre_tokenizer": None,
        "post_processor": None,
        "decoder": {"type": "Fuse"},
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": None,
            "continuing_subword_prefix": None,
            "end_of_word_suffix": None,
            "fuse_unk": False,
            "byte_fallback": False,
            "ignore_merges": False,
            "vocab": VOCAB,
            "merges": [],
        },
    }


def tokenizer_config() -> dict:
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": None,
        "eos_token": IM_END,
        "pad_token": EOT,
        "unk_token": None,
        "padding_side": "left",
        "model_max_length": 1024,
        "clean_up_tokenization_spaces": False,
        "add_bos_token": False,
        "add_eos_token": False,
        "chat_template": CHAT_TEMPLATE,
        "added_tokens_decoder": {
            str(VOCAB[t]): {
                "content": t,
                "lstrip": False,
                "normalized": False,
                "rstrip": False,
                "single_word": False,
                "special": True,
            }
            for t in SPECIAL_TOKENS
        },
    }


def write(out_dir: str) -> None:
    with open(os.path.join(out_dir, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_json(), f, ensure_ascii=False, indent=1)
    with open(os.path.join(out_dir, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_config(), f, ensure_ascii=False, indent=2)
