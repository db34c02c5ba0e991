"""PyTorch side of the recurrent training benchmark (issue 3 / 6).

Digit palindromes, T = 20 (19 input steps, one-hot over 10 digits), batch 128, hidden 128,
Adam 1e-3, gradient-norm clip 10, sequence-to-one cross-entropy. Variants:
  lstm-module : nn.LSTM (PyTorch's fused CPU kernel)
  lstm-cell   : a hand-written LSTM cell in a Python loop
  rnn-module  : nn.RNN (tanh)
  rnn-cell    : a hand-written RNN cell in a Python loop
Usage: python3 rnn_palindrome.py VARIANT THREADS STEPS REPEATS
Prints one JSON object: {"variant", "threads", "steps_per_second": [one figure per repeat]}.
Batches are generated before timing; both sides warm up for at least 5 steps and 1 second;
the timed loop is forward, backward, clip, Adam step.
"""
import json
import sys
import time

import torch
import torch.nn as nn

variant, threads, steps, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
torch.set_num_threads(threads)
torch.manual_seed(0)
T, B, H, V = 20, 128, 128, 10


def palindromes(n):
    half = (T + 1) // 2
    left = torch.randint(0, 10, (n, half))
    right = left[:, : T // 2].flip(1)
    return torch.cat([left, right], 1)


class Module(nn.Module):
    def __init__(self, kind):
        super().__init__()
        self.rnn = (nn.LSTM if kind == "lstm" else nn.RNN)(V, H)
        self.head = nn.Linear(H, V)

    def forward(self, x):  # x: [T-1, B, V]
        out, _ = self.rnn(x)
        return self.head(out[-1])


class Cell(nn.Module):
    def __init__(self, kind):
        super().__init__()
        self.kind = kind
        g = 4 if kind == "lstm" else 1
        k = H ** -0.5
        self.w_ih = nn.Parameter(torch.empty(g * H, V).uniform_(-k, k))
        self.w_hh = nn.Parameter(torch.empty(g * H, H).uniform_(-k, k))
        self.b = nn.Parameter(torch.empty(g * H).uniform_(-k, k))
        self.head = nn.Linear(H, V)

    def forward(self, x):
        h = x.new_zeros(x.shape[1], H)
        c = x.new_zeros(x.shape[1], H)
        for t in range(x.shape[0]):
            z = torch.addmm(self.b, x[t], self.w_ih.t()) + h @ self.w_hh.t()
            if self.kind == "lstm":
                i, f, g, o = z.chunk(4, 1)
                c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
                h = torch.sigmoid(o) * torch.tanh(c)
            else:
                h = torch.tanh(z)
        return self.head(h)


kind, style = variant.split("-")
model = Module(kind) if style == "module" else Cell(kind)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()

n_batches = 16
seqs = [palindromes(B) for _ in range(n_batches)]
xs = [nn.functional.one_hot(s[:, :-1].t(), V).float().contiguous() for s in seqs]
ys = [s[:, -1].contiguous() for s in seqs]


def step(i):
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(model(xs[i % n_batches]), ys[i % n_batches])
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 10.0)
    opt.step()
    return loss


# warm-up, the same rule as SeqGraph's side: at least 5 steps and 1 second
t_warm, i = time.perf_counter(), 0
while i < 5 or time.perf_counter() - t_warm < 1.0:
    step(i)
    i += 1
rates = []
for r in range(repeats):
    t0 = time.perf_counter()
    for i in range(steps):
        last = step(i)
    last.item()
    rates.append(steps / (time.perf_counter() - t0))
print(json.dumps({"variant": variant, "threads": threads, "steps_per_second": rates}))
