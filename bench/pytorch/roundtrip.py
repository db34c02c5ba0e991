"""PyTorch round trip of the char-LSTM state_dict (issue 13): PyTorch -> SeqGraph and SeqGraph -> PyTorch.

The model on both sides: embedding = nn.Embedding(V, E) -> lstm = nn.LSTM(E, H, num_layers=L)
(time-first, gates i|f|g|o) -> head = nn.Linear(H, V) on every step. The files live in
tests/SeqGraph.Tests/Fixtures/pytorch/ and are committed; the C# test suite (PyTorchRoundTripTests)
checks import and export against them without Python.

  python3 bench/pytorch/roundtrip.py make
      (a) PyTorch -> SeqGraph: builds the model in PyTorch (V=23 E=8 H=16 L=2, seeded weights,
      PyTorch's own non-zero bias_hh) and writes torch_char_lstm.safetensors (its state_dict),
      torch_char_lstm.json (the modules and sizes, as `seqgraph export --format pytorch` writes
      them) and torch_io.safetensors (a token batch [T, B] and PyTorch's logits [T, B, V] and final
      h_n, c_n [L, B, H] for it). Deterministic: running it again gives the same files.
  python3 bench/pytorch/roundtrip.py check
      (b) SeqGraph -> PyTorch: builds the modules named in seqgraph_export.json, loads
      seqgraph_export.safetensors with load_state_dict(strict=True), runs the tokens of
      seqgraph_io.safetensors and compares logits, h_n and c_n with SeqGraph's (also in that
      file); prints the max abs differences and exits 1 if any exceeds 1e-5. Also checks that
      `make` still reproduces the committed torch_* fixtures.

To regenerate everything, from the repository root:
  1. python3 bench/pytorch/roundtrip.py make
  2. SEQGRAPH_WRITE_PYTORCH_FIXTURES=1 dotnet test tests/SeqGraph.Tests
       --filter FullyQualifiedName~SeqGraphFixtureLogitsAreSeqGraphsForwardPass
     (writes seqgraph_checkpoint/, a SeqGraph-initialised char-LSTM with the same vocabulary, and
     seqgraph_io.safetensors, SeqGraph's own forward pass on a token batch)
  3. dotnet run --project src/SeqGraph.Cli -- export --format pytorch --force
       --checkpoint tests/SeqGraph.Tests/Fixtures/pytorch/seqgraph_checkpoint
       --out tests/SeqGraph.Tests/Fixtures/pytorch/seqgraph_export.safetensors
  4. python3 bench/pytorch/roundtrip.py check
  5. dotnet test tests/SeqGraph.Tests --filter FullyQualifiedName~PyTorch   (all pass on the new files)
Run with Debian's /usr/bin/python3 (torch 1.13). The safetensors format is written and read here
directly (8-byte little-endian header length, JSON header, raw little-endian data), so the
safetensors package is not needed.
"""
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "..", "tests", "SeqGraph.Tests", "Fixtures", "pytorch")
VOCAB = " ,.abcdefghijklmnopqrst"  # 23 symbols, increasing scalar values (symbol i = i-th smallest)
V, E, H, L = len(VOCAB), 8, 16, 2
T, B = 12, 3
TOLERANCE = 1e-5

DTYPES = {"F32": (np.float32, torch.float32), "I64": (np.int64, torch.int64)}


def write_safetensors(path, tensors, metadata=None):
    """tensors: name -> torch tensor (float32 or int64). Entries sorted by name, 8-byte aligned header."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous()
        dtype = {torch.float32: "F32", torch.int64: "I64"}[t.dtype]
        data = t.numpy().astype(t.numpy().dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
    os.replace(path + ".tmp", path)


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    header.pop("__metadata__", None)
    out = {}
    for name, info in header.items():
        np_type, _ = DTYPES[info["dtype"]]
        begin, end = info["data_offsets"]
        a = np.frombuffer(raw[8 + n + begin:8 + n + end], dtype=np.dtype(np_type).newbyteorder("<"))
        out[name] = torch.from_numpy(a.astype(np_type).reshape(info["shape"]))
    return out


class Model(nn.Module):
    """The char-LSTM: submodules embedding, lstm, head (the names of the state_dict)."""

    def __init__(self, modules):
        super().__init__()
        e, r, h = modules["embedding"], modules["lstm"], modules["head"]
        assert e["class"] == "torch.nn.Embedding" and r["class"] == "torch.nn.LSTM" and h["class"] == "torch.nn.Linear"
        self.embedding = nn.Embedding(e["num_embeddings"], e["embedding_dim"])
        self.lstm = nn.LSTM(r["input_size"], r["hidden_size"], num_layers=r["num_layers"], dropout=r["dropout"],
                            bias=r.get("bias", True), batch_first=r["batch_first"], bidirectional=r.get("bidirectional", False))
        self.head = nn.Linear(h["in_features"], h["out_features"], bias=h.get("bias", True))

    def forward(self, tokens):
        out, (h_n, c_n) = self.lstm(self.embedding(tokens))
        return self.head(out), h_n, c_n


def description():
    return {
        "format": "seqgraph-pytorch", "format_version": 1, "kind": "char-lstm",
        "modules": {
            "embedding": {"class": "torch.nn.Embedding", "num_embeddings": V, "embedding_dim": E},
            "lstm": {"class": "torch.nn.LSTM", "input_size": E, "hidden_size": H, "num_layers": L, "bias": True,
                     "batch_first": False, "dropout": 0.0, "bidirectional": False},
            "head": {"class": "torch.nn.Linear", "in_features": H, "out_features": V, "bias": True},
        },
        "vocabulary": [ord(c) for c in VOCAB],
        "vocabulary_text": VOCAB,
        "forward": "tokens int64 [T, B] time-first; logits = head(lstm(embedding(tokens))[0]); state zeros at the start",
    }


def build_torch_fixture():
    torch.manual_seed(1313)
    d = description()
    model = Model(d["modules"]).eval()
    tokens = torch.randint(0, V, (T, B), generator=torch.Generator().manual_seed(2024))
    with torch.no_grad():
        logits, h_n, c_n = model(tokens)
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    assert all(state[f"lstm.bias_hh_l{k}"].abs().max() > 0 for k in range(L)), "bias_hh must be non-zero"
    return d, state, {"tokens": tokens, "logits": logits, "h_n": h_n, "c_n": c_n}


def make():
    os.makedirs(FIXTURES, exist_ok=True)
    d, state, io = build_torch_fixture()
    write_safetensors(os.path.join(FIXTURES, "torch_char_lstm.safetensors"), state, {"format": "pt"})
    with open(os.path.join(FIXTURES, "torch_char_lstm.json"), "w", encoding="utf-8") as f:
        json.dump(d, f, indent=2, ensure_ascii=False)
        f.write("\n")
    write_safetensors(os.path.join(FIXTURES, "torch_io.safetensors"), io)
    print(f"torch {torch.__version__}: wrote torch_char_lstm.safetensors ({len(state)} tensors: {', '.join(state)}), "
          f"torch_char_lstm.json, torch_io.safetensors (tokens [{T}, {B}], logits [{T}, {B}, {V}], h_n/c_n [{L}, {B}, {H}])")


def max_abs(a, b):
    return float((a.double() - b.double()).abs().max())


def check():
    failures = []
    # (a) the committed PyTorch fixtures are what `make` produces
    d, state, io = build_torch_fixture()
    committed = read_safetensors(os.path.join(FIXTURES, "torch_char_lstm.safetensors"))
    if sorted(committed) != sorted(state) or any(not torch.equal(committed[k], state[k]) for k in state):
        failures.append("torch_char_lstm.safetensors differs from what `make` builds")
    committed_io = read_safetensors(os.path.join(FIXTURES, "torch_io.safetensors"))
    if any(not torch.equal(committed_io[k], io[k]) for k in io):
        failures.append("torch_io.safetensors differs from what `make` builds")
    print(f"torch {torch.__version__}: committed torch_* fixtures {'reproduced' if not failures else 'NOT reproduced'}")

    # (b) SeqGraph's export loads strictly and computes SeqGraph's logits
    with open(os.path.join(FIXTURES, "seqgraph_export.json"), encoding="utf-8") as f:
        desc = json.load(f)
    assert desc["format"] == "seqgraph-pytorch" and desc["kind"] == "char-lstm", desc.get("kind")
    model = Model(desc["modules"]).eval()
    exported = read_safetensors(os.path.join(FIXTURES, "seqgraph_export.safetensors"))
    result = model.load_state_dict(exported, strict=True)
    print(f"seqgraph_export.safetensors: load_state_dict(strict=True) accepted {len(exported)} tensors "
          f"(missing {list(result.missing_keys)}, unexpected {list(result.unexpected_keys)})")
    sg = read_safetensors(os.path.join(FIXTURES, "seqgraph_io.safetensors"))
    with torch.no_grad():
        logits, h_n, c_n = model(sg["tokens"])
    for name, mine in (("logits", logits), ("h_n", h_n), ("c_n", c_n)):
        if list(mine.shape) != list(sg[name].shape):
            failures.append(f"{name}: PyTorch shape {list(mine.shape)}, SeqGraph {list(sg[name].shape)}")
            continue
        diff = max_abs(mine, sg[name])
        print(f"  {name} {list(mine.shape)}: max |PyTorch - SeqGraph| = {diff:.3e}")
        if not diff <= TOLERANCE:
            failures.append(f"{name}: max abs difference {diff:.3e} > {TOLERANCE}")
    if failures:
        for line in failures:
            print("FAIL: " + line, file=sys.stderr)
        sys.exit(1)
    print(f"OK: SeqGraph's export computes SeqGraph's logits in PyTorch to {TOLERANCE}")


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in ("make", "check"):
        print("usage: python3 bench/pytorch/roundtrip.py make|check", file=sys.stderr)
        sys.exit(2)
    torch.set_num_threads(1)
    make() if sys.argv[1] == "make" else check()
