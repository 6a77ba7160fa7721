"""Write a grokscope run directory from any Python training loop.

grokscope's analysis (events, H̃*, the forecast, the claims' verdicts), its dashboard, `export`
and `forecast --follow` read a run directory in the format docs/run-format.md defines. This
module writes one from a PyTorch (or JAX, or NumPy) loop:

    from grokscope_writer import RunWriter, spectral_entropy

    with RunWriter("runs/torch-0", config={"lr": 1e-3, "condition": "baseline"}, seed=0,
                   trainer=("my-torch-loop", "0.1")) as run:
        for step in range(steps + 1):
            if step % 50 == 0:
                run.log(step, {"accuracy/train": tr, "accuracy/test": te,
                               "entropy/Hn": spectral_entropy(resid)["Hn"]})
            ...  # one optimiser step

It writes manifest.json at the start, one fsynced line of metrics.jsonl per `log`, and
summary.json when the block ends (completed, interrupted on Ctrl-C, failed on an exception), and
holds the run's `.grokscope.lock` while it trains, so the dashboard shows the run as running and
`grokscope forecast --follow` follows it. Standard library and NumPy only; a torch tensor is
accepted wherever a matrix is.
"""

import json
import math
import os
import socket
import time
import uuid
from datetime import datetime, timezone

import numpy as np

RUN_FORMAT = "grokscope-run/1"
"""The run format this module writes (docs/run-format.md § Versions)."""

DEFAULT_THRESHOLDS = {"memorised": 0.99, "grokked": 0.95}
"""Train and test accuracy that count as memorised and grokked (docs/science.md § Events)."""

LOCK_FILE = ".grokscope.lock"


def spectral_entropy(z):
    """The spectral entropy measures of representations `z` (n rows of width d), as grokscope's
    probe computes them (docs/science.md § Spectral entropy): the covariance of the column-centred
    rows in float64, C = Z_cᵀZ_c / (n − 1); its eigenvalues with negatives clipped to 0;
    p = λ / Σλ; H = −Σ p ln p over p > 0; H̃ = H / ln d. Returns a dict with H, Hn,
    effectiveRank, participationRatio and topShare."""
    if hasattr(z, "detach"):  # a torch tensor
        z = z.detach().cpu().numpy()
    z = np.asarray(z, dtype=np.float64)
    if z.ndim != 2:
        raise ValueError(f"spectral_entropy: z must be a matrix (n rows of width d), got shape {z.shape}")
    n, d = z.shape
    if n < 2:
        raise ValueError(f"spectral_entropy: z needs at least 2 rows for a covariance, got {n}")
    centred = z - z.mean(axis=0, keepdims=True)
    cov = centred.T @ centred / (n - 1)
    eigenvalues = np.clip(np.linalg.eigvalsh(cov), 0.0, None)
    total = float(eigenvalues.sum())
    if not total > 0:
        return {"H": 0.0, "Hn": 0.0, "effectiveRank": 1.0, "participationRatio": 1.0, "topShare": 1.0}
    p = eigenvalues / total
    p = p[p > 0]
    h = float(-(p * np.log(p)).sum())
    return {
        "H": h,
        "Hn": h / math.log(d) if d > 1 else 0.0,
        "effectiveRank": math.exp(h),
        "participationRatio": total * total / float((eigenvalues**2).sum()),
        "topShare": float(eigenvalues.max()) / total,
    }


class RunLockedError(RuntimeError):
    """Another live process holds the run directory's lock."""


class RunWriter:
    """Writes one run directory. Use it as a context manager, or call `close(status)` yourself.

    out: the run directory (created; it must not already hold a run).
    config: the run's configuration, any JSON object; a string `condition` names its condition
        in a study (default baseline).
    seed: the seed the run trains with.
    trainer: (name, version) of the program that trains the run; not "grokscope".
    thresholds: accuracies that count as memorised and grokked (DEFAULT_THRESHOLDS).
    """

    def __init__(self, out, config, seed, trainer, backend=None, versions=None, thresholds=None):
        name, version = trainer
        if not name or name == "grokscope" or not version:
            raise ValueError('trainer: give (name, version) of your training program, e.g. ("my-torch-loop", "0.1")')
        if not isinstance(config, dict):
            raise ValueError(f"config: must be a dict (a JSON object), got {type(config).__name__}")
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise ValueError(f"seed: must be an integer, got {seed!r}")
        self.dir = os.path.abspath(out)
        self.thresholds = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
        self._last_step = None
        self._events = {"memorised": None, "grokked": None}
        self._start = time.monotonic()
        self._closed = False
        os.makedirs(self.dir, exist_ok=True)
        self._lock = os.path.join(self.dir, LOCK_FILE)
        self._acquire_lock()
        try:
            if os.path.exists(os.path.join(self.dir, "manifest.json")):
                raise FileExistsError(f"{self.dir} already holds a run (manifest.json); choose another directory")
            manifest = {
                "format": RUN_FORMAT,
                "trainer": {"name": name, "version": version},
                "config": config,
                "seed": seed,
                "createdAt": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
            }
            if backend is not None:
                manifest["backend"] = backend
            if versions is not None:
                manifest["versions"] = dict(versions)
            _write_atomic(os.path.join(self.dir, "manifest.json"), json.dumps(manifest, indent=2) + "\n")
        except BaseException:
            self._release_lock()
            raise

    def log(self, step, metrics, wall_ms=None):
        """Appends one evaluation: `metrics` maps tags (accuracy/train, accuracy/test, loss/train,
        loss/test, norm/weights, entropy/Hn, or your own) to numbers. Steps must increase. A value
        that is not finite is written as null (a missing measurement)."""
        if self._closed:
            raise RuntimeError("log: the run is closed")
        if not isinstance(step, int) or isinstance(step, bool) or step < 0:
            raise ValueError(f"step: must be a non-negative integer, got {step!r}")
        if self._last_step is not None and step <= self._last_step:
            raise ValueError(f"step: {step} does not follow step {self._last_step}; log steps in increasing order")
        values = {}
        for tag, v in metrics.items():
            v = float(v.item() if hasattr(v, "item") else v)
            values[str(tag)] = v if math.isfinite(v) else None
        if wall_ms is None:
            wall_ms = (time.monotonic() - self._start) * 1000.0
        record = {"step": step, "wallMs": float(wall_ms), "metrics": values}
        line = json.dumps(record, allow_nan=False) + "\n"
        fd = os.open(os.path.join(self.dir, "metrics.jsonl"), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        self._last_step = step
        self._note_events(step, values)
        os.utime(self._lock)  # readers on other hosts judge the lock by its age

    def close(self, status="completed", reason=None, steps=None):
        """Writes summary.json (status: completed, stopped, interrupted or failed) and releases
        the lock. `steps` defaults to the last logged step."""
        if self._closed:
            return
        if status not in ("completed", "stopped", "interrupted", "failed"):
            raise ValueError(f"status: must be completed, stopped, interrupted or failed, got {status!r}")
        self._closed = True
        try:
            summary = {
                "status": status,
                "steps": int(steps if steps is not None else (self._last_step or 0)),
                "events": dict(self._events),
                "wallMs": (time.monotonic() - self._start) * 1000.0,
            }
            if reason is not None:
                summary["reason"] = str(reason)
            _write_atomic(os.path.join(self.dir, "summary.json"), json.dumps(summary, indent=2) + "\n")
        finally:
            self._release_lock()

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if kind is None:
            self.close("completed")
        elif issubclass(kind, KeyboardInterrupt):
            self.close("interrupted", reason="SIGINT")
        else:
            self.close("failed", reason=f"{kind.__name__}: {error}")
        return False

    def _note_events(self, step, values):
        train, test = values.get("accuracy/train"), values.get("accuracy/test")
        if self._events["memorised"] is None and train is not None and train >= self.thresholds["memorised"]:
            self._events["memorised"] = step
        if self._events["grokked"] is None and test is not None and test >= self.thresholds["grokked"]:
            self._events["grokked"] = step

    def _acquire_lock(self):
        """The lock grokscope's trainer takes (docs/reliability.md § Locks): created exclusively,
        naming this process so that readers can tell whether it still lives."""
        holder = {
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "start": _process_start(),
            "bootId": _boot_id(),
            "token": uuid.uuid4().hex[:24],
            "since": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
        }
        try:
            fd = os.open(self._lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            raise RunLockedError(
                f"{self.dir} is locked ({LOCK_FILE} exists): another process trains it, or one was killed; "
                f"remove {self._lock} if no process trains the run"
            ) from None
        try:
            os.write(fd, json.dumps(holder).encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)

    def _release_lock(self):
        try:
            os.remove(self._lock)
        except FileNotFoundError:
            pass


def _write_atomic(path, text):
    tmp = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, text.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def _process_start():
    """Linux: this process's start time (field 22 of /proc/self/stat), as grokscope's lock records it."""
    try:
        with open("/proc/self/stat", encoding="utf-8") as f:
            text = f.read()
        return text[text.rindex(")") + 2 :].split(" ")[19]
    except (OSError, ValueError, IndexError):
        return None


def _boot_id():
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="utf-8") as f:
            return f.read().strip() or None
    except OSError:
        return None
