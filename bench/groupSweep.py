# Which non-abelian group and train fraction groks in the fewest steps with the quick preset's
# model and optimiser, and when the s5 and paper presets' settings grok: a PyTorch sweep of the
# same one-layer transformer as bench/torchStep.py (no LayerNorm, 4 heads, attention read out at
# `=`, N(0, 1/fan_in) weights, full-batch AdamW lr 1e-3, betas 0.9/0.98, decay 1.0), used to
# choose configurations that are then trained in grokscope (README § Non-abelian groups). Its
# seeds are not grokscope's, so a step count here is a guide, not a prediction.
#   OUT=runs/group-sweep DEADLINE=$(( $(date +%s) + 400 )) python3 bench/groupSweep.py
# Small groups run on a pool of CPU processes (NSMALL, default 12), S5 and a+b mod 97 on CUDA
# when present (else CPU: hours). Every run stops at DEADLINE (epoch seconds; default 400 s
# from now) and is written as one JSON line to $OUT/results.jsonl with its events (train ≥ 0.99,
# test ≥ 0.95, the defaults of docs/science.md), status and a thinned accuracy curve.
import itertools, json, os, sys, time
import torch
import torch.multiprocessing as mp
from torchStep import adamw, transformer  # the model bench/throughput.js times

DEADLINE = float(os.environ.get("DEADLINE", "0")) or (time.time() + 400)

def table(kind, n):
    if kind == "sym":
        perms = list(itertools.permutations(range(n)))
        idx = {p: i for i, p in enumerate(perms)}
        return [[idx[tuple(g[h[i]] for i in range(n))] for h in perms] for g in perms]
    if kind == "dih":
        def op(x, y):
            i, j, rx, ry = x % n, y % n, x >= n, y >= n
            if not ry: return (n if rx else 0) + (i + j) % n
            return (0 if rx else n) + (j - i) % n
        return [[op(x, y) for y in range(2 * n)] for x in range(2 * n)]
    if kind == "cyc":
        return [[(x + y) % n for y in range(n)] for x in range(n)]

def train(spec):
    dev = spec.get("device", "cpu")
    if dev == "cpu": torch.set_num_threads(1)
    torch.manual_seed(spec["seed"])
    t = torch.tensor(table(spec["kind"], spec["n"]))
    m = t.shape[0]
    a = torch.arange(m * m) // m; b = torch.arange(m * m) % m; y = t.reshape(-1)
    g = torch.Generator().manual_seed(1000 + spec["seed"])
    if spec.get("unordered"):
        lo, hi = torch.minimum(a, b), torch.maximum(a, b)
        key = lo * m + hi
        uk = torch.unique(key); perm = uk[torch.randperm(len(uk), generator=g)]
        ktr = set(perm[: round(spec["frac"] * len(uk))].tolist())
        mask = torch.tensor([k in ktr for k in key.tolist()])
    else:
        perm = torch.randperm(m * m, generator=g); mask = torch.zeros(m * m, dtype=torch.bool)
        mask[perm[: round(spec["frac"] * m * m)]] = True
    X = torch.stack([a, b, torch.full_like(a, m)], 1).to(dev); y = y.to(dev); mask = mask.to(dev)
    Xtr, ytr, Xte, yte = X[mask], y[mask], X[~mask], y[~mask]
    params, logits = transformer(m + 1, m, spec["d"], 4, spec["dmlp"], dev)
    opt = adamw(params, spec.get("lr", 1e-3), spec.get("wd", 1.0))
    tmem = tgrok = None; curve = []; t0 = time.time(); status = "capped"; step = 0
    for step in range(spec["cap"] + 1):
        if step % spec["every"] == 0:
            with torch.no_grad():
                tr = (logits(Xtr).argmax(-1) == ytr).float().mean().item()
                te = (logits(Xte).argmax(-1) == yte).float().mean().item()
            curve.append((step, round(tr, 3), round(te, 3)))
            if tmem is None and tr >= 0.99: tmem = step
            if tgrok is None and te >= 0.95: tgrok = step
            if tgrok is not None and step >= tgrok + spec.get("after", 200): status = "grokked"; break
            if time.time() > DEADLINE: status = "deadline"; break
        if step == spec["cap"]: break
        opt.zero_grad(set_to_none=True)
        torch.nn.functional.cross_entropy(logits(Xtr), ytr).backward()
        opt.step()
    wall = time.time() - t0
    out = {k: spec[k] for k in spec if k != "device"}
    out.update(group=f'{spec["kind"]}{spec["n"]}', order=m, ntrain=int(mask.sum()), tMem=tmem, tGrok=tgrok, status=status,
               steps=step, wall=round(wall, 1), msPerStep=round(1000 * wall / max(step, 1), 2), device=dev,
               curve=curve[:: max(1, len(curve) // 40)])
    return out

if __name__ == "__main__":
    outdir = os.environ.get("OUT", "/tmp/devsweep-out"); os.makedirs(outdir, exist_ok=True)
    small = []
    for seed in range(4):
        for kind, n in [("sym", 4), ("dih", 12), ("dih", 16), ("dih", 24), ("dih", 32)]:
            for frac in [0.5, 0.6, 0.7, 0.8, 0.9]:
                small.append(dict(kind=kind, n=n, frac=frac, seed=seed, d=64, dmlp=256, cap=10000, every=50, after=200))
        small.append(dict(kind="cyc", n=31, frac=0.8, unordered=True, seed=seed, d=64, dmlp=256, cap=10000, every=50, after=200))
    big = [dict(kind="sym", n=5, frac=f, seed=s, d=128, dmlp=512, cap=40000, every=100, after=500, device="cuda")
           for f, s in [(0.6, 0), (0.6, 1), (0.5, 0), (0.7, 0), (0.8, 0)]]
    big.append(dict(kind="cyc", n=97, frac=0.3, seed=0, d=128, dmlp=512, cap=40000, every=100, after=500, device="cuda"))
    if len(sys.argv) > 1 and sys.argv[1] == "smoke":
        small = [dict(s, cap=300) for s in small[:3]]; big = [dict(b, cap=200, device="cpu") for b in big[:1]]
    if not torch.cuda.is_available():
        for b in big: b["device"] = "cpu"
    ctx = mp.get_context("spawn")
    nsmall = int(os.environ.get("NSMALL", "12"))
    with open(os.path.join(outdir, "results.jsonl"), "w") as f, ctx.Pool(nsmall) as ps, ctx.Pool(len(big)) as pb:
        rb = pb.map_async(train, big)
        for r in ps.imap_unordered(train, small):
            f.write(json.dumps(r) + "\n"); f.flush()
            print(r["group"], r["frac"], r["seed"], r["tMem"], r["tGrok"], r["status"], r["wall"], flush=True)
        for r in rb.get():
            f.write(json.dumps(r) + "\n"); f.flush()
            print(r["group"], r["frac"], r["seed"], r["tMem"], r["tGrok"], r["status"], r["wall"], r["msPerStep"], flush=True)
