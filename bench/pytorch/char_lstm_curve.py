"""PyTorch learning curve for the char-LSTM accuracy target (issue 4).

Same model and defaults as `seqgraph text train`: Embedding(V, 64) -> 2-layer nn.LSTM(128) ->
Linear(128, V); T = 30, batch 64, Adam 2e-3, StepLR x0.96 every 5,000 steps, clip 5; random
windows from the first 95% of the text. Prints one CSV row per 500 steps: step, mean training
loss and accuracy over those 500 steps, seconds.
Usage: python3 char_lstm_curve.py CORPUS STEPS [THREADS] [SEED]
"""
import sys
import time

import torch
import torch.nn as nn

path, steps = sys.argv[1], int(sys.argv[2])
threads = int(sys.argv[3]) if len(sys.argv) > 3 else 1
seed = int(sys.argv[4]) if len(sys.argv) > 4 else 0
torch.set_num_threads(threads)
torch.manual_seed(seed)
T, B, E, H = 30, 64, 64, 128

text = open(path, encoding="utf-8-sig").read()
vocab = sorted(set(text))
index = {c: i for i, c in enumerate(vocab)}
data = torch.tensor([index[c] for c in text], dtype=torch.long)
train = data[: len(data) - len(data) // 20]
V = len(vocab)

embedding = nn.Embedding(V, E)
lstm = nn.LSTM(E, H, num_layers=2)
head = nn.Linear(H, V)
params = list(embedding.parameters()) + list(lstm.parameters()) + list(head.parameters())
opt = torch.optim.Adam(params, lr=2e-3)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=5000, gamma=0.96)
loss_fn = nn.CrossEntropyLoss()
offsets = torch.arange(T + 1)

print("step,loss,accuracy,seconds")
t0 = time.perf_counter()
loss_sum = acc_sum = 0.0
for step in range(1, steps + 1):
    starts = torch.randint(0, len(train) - T - 1, (B,))
    batch = train[starts[None, :] + offsets[:, None]]
    x, y = batch[:-1], batch[1:]
    out, _ = lstm(embedding(x))
    logits = head(out).reshape(-1, V)
    loss = loss_fn(logits, y.reshape(-1))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    nn.utils.clip_grad_norm_(params, 5.0)
    opt.step()
    sched.step()
    loss_sum += loss.item()
    acc_sum += (logits.argmax(1) == y.reshape(-1)).float().mean().item()
    if step % 500 == 0:
        print(f"{step},{loss_sum / 500:.4f},{acc_sum / 500:.4f},{time.perf_counter() - t0:.1f}", flush=True)
        loss_sum = acc_sum = 0.0
