"""PyTorch side of the char-LSTM benchmark (issue 4).

Model: nn.Embedding(V, 64) -> 2-layer nn.LSTM(hidden H) -> nn.Linear(H, V), on a text file's
characters; T = 30, batch 64, Adam 2e-3, clip_grad_norm_ 5, mean cross-entropy over all steps.
Usage: python3 char_lstm.py CORPUS THREADS HIDDEN STEPS [SAMPLE_CHARS]
Prints one JSON object: training chars/s (batches prepared before timing), batch-1 sampling
chars/s under torch.no_grad() carrying (h, c), and the peak RSS of the process.
"""
import json
import resource
import sys
import time

import torch
import torch.nn as nn

path, threads, H, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
sample_chars = int(sys.argv[5]) if len(sys.argv) > 5 else 20000
torch.set_num_threads(threads)
torch.manual_seed(0)
T, B, E = 30, 64, 64

text = open(path, encoding="utf-8-sig").read()
vocab = sorted(set(text))
index = {c: i for i, c in enumerate(vocab)}
data = torch.tensor([index[c] for c in text], dtype=torch.long)
V = len(vocab)


class CharLstm(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(V, E)
        self.lstm = nn.LSTM(E, H, num_layers=2)
        self.head = nn.Linear(H, V)

    def forward(self, x, state=None):  # x: [T, B]
        out, state = self.lstm(self.embedding(x), state)
        return self.head(out), state


model = CharLstm()
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
loss_fn = nn.CrossEntropyLoss()
warm = max(5, steps // 10)
starts = torch.randint(0, len(data) - T - 1, (warm + steps, B))
offsets = torch.arange(T + 1)
batches = [data[(s[None, :] + offsets[:, None])] for s in starts]  # each [T+1, B], prepared before timing


def step(batch):
    x, y = batch[:-1], batch[1:]
    logits, _ = model(x)
    loss = loss_fn(logits.reshape(-1, V), y.reshape(-1))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    opt.step()
    return loss


for b in batches[:warm]:
    step(b)
t0 = time.perf_counter()
for b in batches[warm:]:
    loss = step(b)
loss.item()
train_seconds = time.perf_counter() - t0

with torch.no_grad():
    def generate(n):
        x = torch.zeros(1, 1, dtype=torch.long)
        state = None
        for _ in range(n):
            logits, state = model(x, state)
            x = torch.multinomial(torch.softmax(logits[0, 0], -1), 1).view(1, 1)
    generate(min(1000, sample_chars))
    t0 = time.perf_counter()
    generate(sample_chars)
    sample_seconds = time.perf_counter() - t0

print(json.dumps({
    "hidden": H, "threads": threads, "steps": steps, "torch": torch.__version__,
    "train_chars_per_second": round(steps * T * B / train_seconds, 1),
    "ms_per_step": round(train_seconds * 1000 / steps, 3),
    "sample_chars_per_second": round(sample_chars / sample_seconds, 1),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
}))
