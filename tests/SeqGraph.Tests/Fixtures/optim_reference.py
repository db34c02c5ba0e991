"""Reference parameter trajectories for tests/SeqGraph.Tests/OptimizerTests.cs.

Run with a Python that has torch 1.13 (python3 optim_reference.py). For every optimizer
configuration it starts from the same float32 parameter vector, feeds the same fixed gradients
for four steps and prints the parameters after each step as C# float literals, which are pasted
into the tests. Only torch's own optimizers are used: nothing here depends on SeqGraph.
"""
import torch

P0 = [0.5, -1.25, 2.0, 0.0, 3.75]
GRADS = [
    [0.1, -0.2, 0.3, -0.4, 0.5],
    [-0.3, 0.25, 0.0, 1.5, -0.05],
    [0.7, -0.6, 0.45, 0.2, 0.9],
    [0.05, 1.2, -0.8, -0.35, 0.15],
]

CONFIGS = [
    ("SgdPlain", lambda p: torch.optim.SGD(p, lr=0.1)),
    ("SgdMomentumDampening", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.1)),
    ("SgdNesterovWeightDecay", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("RmsPropPlain", lambda p: torch.optim.RMSprop(p, lr=0.01)),
    ("RmsPropMomentum", lambda p: torch.optim.RMSprop(p, lr=0.01, momentum=0.9)),
    ("RmsPropCentered", lambda p: torch.optim.RMSprop(p, lr=0.01, centered=True)),
    ("RmsPropCenteredMomentumWeightDecay", lambda p: torch.optim.RMSprop(p, lr=0.01, centered=True, momentum=0.5, weight_decay=0.1)),
    # A large eps makes its placement (after the square root) visible in the trajectory.
    ("RmsPropLargeEps", lambda p: torch.optim.RMSprop(p, lr=0.01, eps=0.1)),
    ("AdamPlain", lambda p: torch.optim.Adam(p, lr=0.01)),
    ("AdamWeightDecay", lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.1)),
    # Large eps: distinguishes sqrt(v)/sqrt(bc2) + eps from (sqrt(v) + eps)/sqrt(bc2).
    ("AdamLargeEps", lambda p: torch.optim.Adam(p, lr=0.01, eps=0.1)),
    ("AdamAmsGrad", lambda p: torch.optim.Adam(p, lr=0.01, amsgrad=True)),
    ("AdamWDefault", lambda p: torch.optim.AdamW(p, lr=0.01)),
    ("AdamWStrongDecay", lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.5)),
]


def lit(v):
    return "%.9gf" % v


def row(values):
    return "new[] { " + ", ".join(lit(v) for v in values) + " }"


def main():
    print("// torch", torch.__version__)
    for name, make in CONFIGS:
        p = torch.tensor(P0, dtype=torch.float32, requires_grad=True)
        opt = make([p])
        rows = []
        for g in GRADS:
            p.grad = torch.tensor(g, dtype=torch.float32)
            opt.step()
            rows.append(row(p.detach().tolist()))
        print("[\"%s\"] = new[]\n{\n    %s,\n}," % (name, ",\n    ".join(rows)))

    # Adam where the second parameter gets no gradient on step 2: each parameter keeps its own
    # step count, so their bias corrections diverge.
    a = torch.tensor(P0[:3], dtype=torch.float32, requires_grad=True)
    b = torch.tensor(P0[3:], dtype=torch.float32, requires_grad=True)
    opt = torch.optim.Adam([a, b], lr=0.01)
    rows = []
    for k, g in enumerate(GRADS):
        a.grad = torch.tensor(g[:3], dtype=torch.float32)
        b.grad = None if k == 1 else torch.tensor(g[3:], dtype=torch.float32)
        opt.step()
        rows.append(row(a.detach().tolist() + b.detach().tolist()))
    print("[\"AdamSkippedGradient\"] = new[]\n{\n    %s,\n}," % ",\n    ".join(rows))


if __name__ == "__main__":
    main()
