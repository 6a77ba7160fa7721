"""The paper's one-layer Transformer on a+b mod p, trained in PyTorch, written as a grokscope run.

    python3 python/examples/train_modular_addition.py --out runs/torch-0 --steps 3000
    grokscope analyze runs/torch-0

The model and the evaluation follow grokscope's quick preset (docs/science.md § The laptop
configuration): tokens a, b, '=' with learned positions, one attention block with a ReLU MLP,
the answer read at '='; full-batch AdamW; the training pairs are half of the unordered pairs
{a, b}, both orders of each, so a pair's mirror is never the test. Every `--eval-every` steps it
logs train and test accuracy and loss, the parameters' L2 norm, and H̃ of the final residual
stream at '=' over all pairs, computed by grokscope_writer.spectral_entropy.
"""

import argparse
import math
import os
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from grokscope_writer import RunWriter, spectral_entropy  # noqa: E402


class Attention(nn.Module):
    """Causal multi-head self-attention without biases (written out: torch 1.13's fused
    nn.MultiheadAttention fails in eval mode without biases)."""

    def __init__(self, d_model, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d_model, 3 * d_model, bias=False)
        self.out = nn.Linear(d_model, d_model, bias=False)

    def forward(self, x):
        n, t, d = x.shape
        q, k, v = self.qkv(x).view(n, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / math.sqrt(d // self.heads)
        scores = scores.masked_fill(torch.ones(t, t, dtype=torch.bool).triu(1), float("-inf"))
        mixed = (scores.softmax(-1) @ v).transpose(1, 2).reshape(n, t, d)
        return self.out(mixed)


class Transformer(nn.Module):
    """One block without layer norm: attention then a ReLU MLP, each added to the residual stream."""

    def __init__(self, vocab, classes, d_model, heads, d_mlp):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.pos = nn.Parameter(torch.randn(3, d_model) / math.sqrt(d_model))
        self.attn = Attention(d_model, heads)
        self.mlp = nn.Sequential(nn.Linear(d_model, d_mlp), nn.ReLU(), nn.Linear(d_mlp, d_model))
        self.unembed = nn.Linear(d_model, classes, bias=False)

    def forward(self, tokens):
        x = self.embed(tokens) + self.pos
        x = x + self.attn(x)
        x = x + self.mlp(x)
        resid = x[:, -1]  # the residual stream at '=': the representation H̃ is measured on
        return self.unembed(resid), resid


def split_pairs(p, fraction, generator):
    """Training pairs: a random `fraction` of the unordered pairs {a, b}, each in both orders."""
    unordered = [(a, b) for a in range(p) for b in range(a, p)]
    order = torch.randperm(len(unordered), generator=generator).tolist()
    chosen = {unordered[i] for i in order[: round(fraction * len(unordered))]}
    train = [(a, b) for a in range(p) for b in range(p) if (min(a, b), max(a, b)) in chosen]
    test = [(a, b) for a in range(p) for b in range(p) if (min(a, b), max(a, b)) not in chosen]
    return train, test


def as_batch(pairs, p):
    a = torch.tensor([x for x, _ in pairs])
    b = torch.tensor([y for _, y in pairs])
    tokens = torch.stack([a, b, torch.full_like(a, p)], dim=1)
    return tokens, (a + b) % p


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="the run directory to write")
    parser.add_argument("--modulus", type=int, default=97)
    parser.add_argument("--train-fraction", type=float, default=0.5)
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--eval-every", type=int, default=50)
    parser.add_argument("--d-model", type=int, default=64)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--d-mlp", type=int, default=256)
    parser.add_argument("--lr", type=float, default=5e-3)
    parser.add_argument("--weight-decay", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--condition", default="baseline")
    parser.add_argument("--dump-repr", help="write the last evaluation's representation matrix here (.npy), for checking H̃")
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    p = args.modulus
    generator = torch.Generator().manual_seed(args.seed)
    train_pairs, test_pairs = split_pairs(p, args.train_fraction, generator)
    x_train, y_train = as_batch(train_pairs, p)
    x_test, y_test = as_batch(test_pairs, p)
    x_all = torch.cat([x_train, x_test])
    model = Transformer(p + 1, p, args.d_model, args.heads, args.d_mlp)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.98), weight_decay=args.weight_decay)
    loss_fn = nn.CrossEntropyLoss()
    config = {key: value for key, value in vars(args).items() if key not in ("out", "dump_repr")}
    trainer = ("grokscope-writer-example", "1")
    versions = {"torch": torch.__version__, "python": sys.version.split()[0]}

    with RunWriter(args.out, config=config, seed=args.seed, trainer=trainer, backend="torch-cpu", versions=versions) as run:
        wall = 0.0  # training time only: evaluations are not counted, as in grokscope's runs
        for step in range(args.steps + 1):
            if step % args.eval_every == 0 or step == args.steps:
                model.eval()
                with torch.no_grad():
                    logits_train, _ = model(x_train)
                    logits_test, _ = model(x_test)
                    _, resid = model(x_all)
                    metrics = {
                        "accuracy/train": (logits_train.argmax(-1) == y_train).float().mean().item(),
                        "accuracy/test": (logits_test.argmax(-1) == y_test).float().mean().item(),
                        "loss/train": loss_fn(logits_train, y_train).item(),
                        "loss/test": loss_fn(logits_test, y_test).item(),
                        "norm/weights": math.sqrt(sum(float((w.double() ** 2).sum()) for w in model.parameters())),
                        "entropy/Hn": spectral_entropy(resid)["Hn"],
                    }
                run.log(step, metrics, wall_ms=wall * 1000.0)
                if args.dump_repr:
                    import numpy as np

                    np.save(args.dump_repr, resid.double().numpy())
                model.train()
            if step == args.steps:
                break
            started = time.monotonic()
            opt.zero_grad()
            logits, _ = model(x_train)
            loss_fn(logits, y_train).backward()
            opt.step()
            wall += time.monotonic() - started


if __name__ == "__main__":
    main()
