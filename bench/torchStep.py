# The PyTorch reference for bench/throughput.js: the same one-layer transformer (no LayerNorm,
# ReLU MLP, 4 heads, learned positions, attention read out at `=`), the same full-batch AdamW
# (lr 1e-3, betas 0.9/0.98, decoupled decay 1.0) on a+b mod p; prints one JSON line per thread
# count: {"config", "threads", "msPerStep", "peakRssMiB"} (median of timed steps after a warm-up;
# the process's peak resident memory so far).
# Like grokscope's factorised forward, only the `=` position is computed past attention: the
# loss reads only that position, so the other positions' MLP is work nobody needs.
import json, resource, sys, time
import torch

def transformer(vocab, classes, d, heads, d_mlp, device="cpu"):
    """The model and its AdamW: (params, optimiser, logits(x) for x = [k, 3] token ids). Shared with
    bench/groupSweep.py, so both bench the same architecture and initialisation."""
    dh = d // heads
    P = lambda *s: torch.nn.Parameter((torch.randn(*s) / s[0] ** 0.5).to(device))
    Z = lambda n: torch.nn.Parameter(torch.zeros(n, device=device))
    emb, pos = P(vocab, d), P(3, d)
    wq, wk, wv, wo = P(d, d), P(d, d), P(d, d), P(d, d)
    w1, b1, w2, b2 = P(d, d_mlp), Z(d_mlp), P(d_mlp, d), Z(d)
    wu = P(d, classes)
    params = [emb, pos, wq, wk, wv, wo, w1, b1, w2, b2, wu]

    def logits(x):
        k = x.shape[0]
        h = emb[x] + pos  # [k, 3, d]
        q = (h[:, 2] @ wq).view(k, heads, 1, dh)
        kk = (h @ wk).view(k, 3, heads, dh).transpose(1, 2)
        v = (h @ wv).view(k, 3, heads, dh).transpose(1, 2)
        att = torch.softmax(q @ kk.transpose(-1, -2) / dh ** 0.5, -1)  # [k, H, 1, 3]
        z = (att @ v).reshape(k, d)
        r = h[:, 2] + z @ wo
        r = r + torch.relu(r @ w1 + b1) @ w2 + b2
        return r @ wu

    return params, logits

def adamw(params, lr=1e-3, weight_decay=1.0):
    return torch.optim.AdamW(params, lr=lr, betas=(0.9, 0.98), weight_decay=weight_decay)

def run(p, frac, d, heads, d_mlp, threads, steps=30, warmup=5):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    n = p * p
    a = torch.arange(n) // p
    b = torch.arange(n) % p
    y = (a + b) % p
    k = round(frac * n)
    perm = torch.randperm(n)[:k]
    x = torch.stack([a[perm], b[perm], torch.full((k,), p)], 1)
    y = y[perm]
    params, logits = transformer(p + 1, p, d, heads, d_mlp)
    opt = adamw(params)
    loss_fn = lambda: torch.nn.functional.cross_entropy(logits(x), y)

    times = []
    for i in range(warmup + steps):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss_fn().backward()
        opt.step()
        if i >= warmup:
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return times[len(times) // 2]

CONFIGS = {"quick": (97, 0.5, 64, 4, 256), "paper": (97, 0.3, 128, 4, 512)}
if __name__ == "__main__":
    names = sys.argv[1].split(",") if len(sys.argv) > 1 else ["quick", "paper"]
    threads = [int(t) for t in sys.argv[2].split(",")] if len(sys.argv) > 2 else [1, 2]
    for name in names:
        for t in threads:
            ms = run(*CONFIGS[name], t)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
            print(json.dumps({"config": name, "threads": t, "msPerStep": ms, "peakRssMiB": peak}), flush=True)
