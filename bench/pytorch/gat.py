"""2-layer GAT on Cora in plain PyTorch (no PyTorch Geometric on this machine): the baseline for
`seqgraph graph train --model gat --epochs 200 --patience 0`. Same model as Veličković et al.:
8 heads × 8 hidden with ELU, 1 output head, dropout 0.6 on inputs and attention, Adam 0.005,
weight decay 5e-4. Attention is computed per edge (self-loops included) with index_select and
index_add, the way a competent user writes message passing by hand. One training step and one
evaluation pass per epoch. Prints one JSON object with the seconds of each run.

Run:  OPENBLAS_CORETYPE=SapphireRapids ATEN_CPU_CAPABILITY=avx512 /usr/bin/python3 bench/pytorch/gat.py \
        --data ../shared/data/graphs/cora --threads 1
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from gcn import load  # noqa: E402  (same data loading and row normalisation)


class GATLayer(torch.nn.Module):
    def __init__(self, fin, fout, heads, concat, dropout):
        super().__init__()
        self.heads, self.fout, self.concat, self.dropout = heads, fout, concat, dropout
        self.w = torch.nn.Parameter(torch.empty(fin, heads * fout))
        self.att_src = torch.nn.Parameter(torch.empty(1, heads, fout))
        self.att_dst = torch.nn.Parameter(torch.empty(1, heads, fout))
        self.bias = torch.nn.Parameter(torch.zeros(heads * fout if concat else fout))
        for p in (self.w, self.att_src, self.att_dst):
            torch.nn.init.xavier_uniform_(p)

    def forward(self, x, src, dst):
        n = x.shape[0]
        h = (x @ self.w).view(n, self.heads, self.fout)
        a_src = (h * self.att_src).sum(-1)                      # [n, heads]
        a_dst = (h * self.att_dst).sum(-1)
        e = F.leaky_relu(a_src[src] + a_dst[dst], 0.2)          # [edges, heads]
        e_max = torch.full((n, self.heads), -1e30).scatter_reduce(0, dst.unsqueeze(1).expand_as(e), e, "amax")
        w = torch.exp(e - e_max[dst])
        denom = torch.zeros(n, self.heads).index_add_(0, dst, w)
        alpha = F.dropout(w / denom[dst], self.dropout, self.training)
        out = torch.zeros(n, self.heads, self.fout).index_add_(0, dst, h[src] * alpha.unsqueeze(-1))
        out = out.reshape(n, -1) if self.concat else out.mean(1)
        return out + self.bias


class GAT(torch.nn.Module):
    def __init__(self, fin, classes):
        super().__init__()
        self.l1 = GATLayer(fin, 8, 8, True, 0.6)
        self.l2 = GATLayer(64, classes, 1, False, 0.6)

    def forward(self, x, src, dst):
        x = F.dropout(x, 0.6, self.training)
        x = F.elu(self.l1(x, src, dst))
        x = F.dropout(x, 0.6, self.training)
        return self.l2(x, src, dst)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--epochs", type=int, default=200)
    p.add_argument("--runs", type=int, default=1)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    x, y, edges, split = load(args.data)
    n = x.shape[0]
    u = torch.tensor([e[0] for e in edges])
    v = torch.tensor([e[1] for e in edges])
    loops = torch.arange(n)
    src, dst = torch.cat([u, v, loops]), torch.cat([v, u, loops])
    seconds, accs = [], []
    for r in range(args.runs):
        torch.manual_seed(r)
        model = GAT(x.shape[1], int(y.max()) + 1)
        opt = torch.optim.Adam(model.parameters(), lr=0.005, weight_decay=5e-4)
        history = []
        start = time.perf_counter()
        for _ in range(args.epochs):
            model.train()
            opt.zero_grad()
            loss = F.cross_entropy(model(x, src, dst)[split["train"]], y[split["train"]])
            loss.backward()
            opt.step()
            model.eval()
            with torch.no_grad():
                out = model(x, src, dst)
                pred = out.argmax(1)
                history.append(torch.stack([(pred[split["val"]] == y[split["val"]]).float().mean(),
                                            (pred[split["test"]] == y[split["test"]]).float().mean()]))
        seconds.append(round(time.perf_counter() - start, 4))
        h = torch.stack(history)
        accs.append(round(h[int(h[:, 0].argmax()), 1].item(), 4))
    print(json.dumps({"seconds": seconds, "epochs": args.epochs, "threads": args.threads, "test_accuracy": accs,
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
