#!/usr/bin/env python3
"""PyTorch as the native reference for the Sinapse bench (bench/src/index.ts runs this script).

Standalone: `python3 bench/pytorch/lenet.py [--threads 1,2]` prints one JSON object on stdout
(progress goes to stderr). For each thread count (torch.set_num_threads) it measures:

  - SGEMM: torch.mm of two n x n float32 matrices, n = 256, 512, 1024, in GFLOP/s (2*n^3 flops);
  - conv2d at LeNet-5's two layer shapes with a batch of 64, forward, and forward+backward
    (dx and dW with dy as the upstream gradient), in GFLOP/s (2*N*oh*ow*kh*kw*C*F per pass,
    3 passes for forward+backward), as in bench/src/cases.ts;
  - LeNet-5 training-step throughput: batch 64, SGD lr 0.01, cross-entropy on the logits, the loss
    read back with .item(), in examples/s;
  - LeNet-5 inference throughput: 512 examples in batches of 256 under torch.no_grad(), eval mode.

The network is the one `lenet5()` builds in packages/models (conv 6@5x5 'same' relu, maxpool 2,
conv 16@5x5 valid relu, maxpool 2, flatten, dense 120 relu, 84 relu, 10), in PyTorch's NCHW
layout. Inputs are synthetic MNIST-shaped images with random labels; only speed is measured.

Timing follows bench/src/timing.ts exactly (warm-up, then the median of timed runs within a time
budget), with the same per-case options as bench/src/cases.ts and bench/src/lenet.ts.

OMP_WAIT_POLICY defaults to PASSIVE here (set it to override): OpenMP threads then sleep between
parallel regions instead of spinning, as Sinapse's threads do (Atomics.wait). With libgomp's
default spinning, the 2-thread figures collapse when another process holds a core (on this
2-core machine under load: conv2 forward 0.6 GFLOP/s spinning against 90 passive).
"""

import argparse
import ctypes
import json
import os
import platform
import sys
import time

# before torch loads libgomp, which reads it once
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

# The options of bench/src/timing.ts's `time`, per case (keep in step with cases.ts and lenet.ts).
DEFAULT_TIMING = {"warmup": 2, "warmup_ms": 500, "min_reps": 3, "max_reps": 15, "budget_ms": 4000}
TRAIN_TIMING = {"warmup": 3, "warmup_ms": 0, "min_reps": 3, "max_reps": 30, "budget_ms": 6000}
PREDICT_TIMING = {"warmup": 2, "warmup_ms": 300, "min_reps": 3, "max_reps": 15, "budget_ms": 4000}

TRAIN_BATCH = 64
PREDICT_BATCH = 256
PREDICT_EXAMPLES = 512
LEARNING_RATE = 0.01

# LeNet-5's two convolutions with a batch of 64, stride 1 (NHWC shapes as in cases.ts).
CONVS = [
    {"key": "conv1", "x": (64, 28, 28, 1), "kernel": (5, 5, 1, 6), "padding": "same"},
    {"key": "conv2", "x": (64, 14, 14, 6), "kernel": (5, 5, 6, 16), "padding": "valid"},
]


def now_ms():
    return time.perf_counter() * 1000.0


def time_run(run, warmup=2, warmup_ms=500, min_reps=3, max_reps=15, budget_ms=4000):
    """bench/src/timing.ts's `time`: warm up, then the median wall time of the timed runs (ms)."""
    warm_start = now_ms()
    i = 0
    while i < warmup or now_ms() - warm_start < warmup_ms:
        run()
        i += 1
        # one slow warm-up run is enough to know the case is expensive
        if now_ms() - warm_start > budget_ms / 2:
            break
    times = []
    start = now_ms()
    while len(times) < max_reps and (len(times) < min_reps or now_ms() - start < budget_ms):
        t0 = now_ms()
        run()
        times.append(now_ms() - t0)
    times.sort()
    mid = len(times) // 2
    median = times[mid] if len(times) % 2 == 1 else (times[mid - 1] + times[mid]) / 2
    return {"medianMs": median, "reps": len(times)}


def lenet5():
    """Sinapse's lenet5() (packages/models/src/architectures/lenet5.ts), in NCHW."""
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2),  # 'same' for a 5x5 kernel at stride 1
        nn.ReLU(),
        nn.MaxPool2d(2, 2),
        nn.Conv2d(6, 16, 5),  # 'valid'
        nn.ReLU(),
        nn.MaxPool2d(2, 2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120),
        nn.ReLU(),
        nn.Linear(120, 84),
        nn.ReLU(),
        nn.Linear(84, 10),
    )


def matmul_case(n):
    a = torch.randn(n, n)
    b = torch.randn(n, n)
    return 2 * n**3, lambda: torch.mm(a, b), DEFAULT_TIMING


def conv_case(shape, backward):
    n, h, w, c = shape["x"]
    kh, kw, _, f = shape["kernel"]
    same = shape["padding"] == "same"
    oh, ow = (h, w) if same else (h - kh + 1, w - kw + 1)
    padding = (kh // 2, kw // 2) if same else (0, 0)  # odd kernels: 'same' pads symmetrically
    x = torch.randn(n, c, h, w, requires_grad=backward)
    k = torch.randn(f, c, kh, kw, requires_grad=backward)
    dy = torch.randn(n, f, oh, ow)
    flops = (3 if backward else 1) * 2 * n * oh * ow * kh * kw * c * f

    def run():
        y = F.conv2d(x, k, padding=padding)
        if backward:
            torch.autograd.grad(y, [x, k], dy)

    return flops, run, DEFAULT_TIMING


def train_case():
    torch.manual_seed(3)
    model = lenet5().train()
    x = torch.randn(TRAIN_BATCH, 1, 28, 28)
    y = torch.randint(0, 10, (TRAIN_BATCH,))
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)

    def run():
        optimizer.zero_grad(set_to_none=False)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        loss.item()  # read back, as Sinapse's trainStep does with loss.item()

    return TRAIN_BATCH, run, TRAIN_TIMING


def predict_case():
    torch.manual_seed(4)
    model = lenet5().eval()
    x = torch.randn(PREDICT_EXAMPLES, 1, 28, 28)

    def run():
        with torch.no_grad():
            torch.cat([model(x[i : i + PREDICT_BATCH]) for i in range(0, PREDICT_EXAMPLES, PREDICT_BATCH)])

    return PREDICT_EXAMPLES, run, PREDICT_TIMING


# key -> (builder, unit); the keys are what bench/src names its PyTorch cells by.
CASES = [
    ("matMul256", lambda: matmul_case(256), "gflops"),
    ("matMul512", lambda: matmul_case(512), "gflops"),
    ("matMul1024", lambda: matmul_case(1024), "gflops"),
    *[
        (f"{s['key']}{'FwdBwd' if bwd else 'Fwd'}", (lambda s=s, bwd=bwd: conv_case(s, bwd)), "gflops")
        for s in CONVS
        for bwd in (False, True)
    ],
    ("lenetTrain", train_case, "examplesPerSecond"),
    ("lenetPredict", predict_case, "examplesPerSecond"),
]


def loaded_blas():
    """The BLAS shared library this process mapped (torch.mm calls its sgemm), from /proc/self/maps."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "/" in line}
    except OSError:
        return None
    for path in sorted(paths):
        name = os.path.basename(path)
        if any(s in name for s in ("blas", "blis", "mkl_rt", "mkl_core")) and "cublas" not in name:
            return path
    return None


def openblas_threads_setter(blas_path):
    """OpenBLAS keeps its own thread pool; torch.set_num_threads does not reach it in this build."""
    if blas_path is None:
        return None
    try:
        fn = ctypes.CDLL(blas_path).openblas_set_num_threads
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int]
    return fn


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", default="1,2", help="comma-separated thread counts (default 1,2)")
    args = parser.parse_args()
    thread_counts = [int(t) for t in args.threads.split(",")]

    torch.mm(torch.ones(2, 2), torch.ones(2, 2))  # load the BLAS before looking for it
    blas = loaded_blas()
    set_blas_threads = openblas_threads_setter(blas)
    info = {
        "torch": torch.__version__,
        "python": platform.python_version(),
        "executable": sys.executable,
        "blas": blas,
        "mkldnn": torch.backends.mkldnn.is_available(),
        "defaultThreads": torch.get_num_threads(),
        "ompWaitPolicy": os.environ["OMP_WAIT_POLICY"],
        "layout": "NCHW",
    }
    print(f"PyTorch {info['torch']} (Python {info['python']}, BLAS {blas or 'unknown'})", file=sys.stderr)

    results = {}
    for threads in thread_counts:
        torch.set_num_threads(threads)
        if set_blas_threads is not None:
            set_blas_threads(threads)
        cells = {}
        for key, build, unit in CASES:
            work, run, timing = build()
            t = time_run(run, **timing)
            cells[key] = {unit: (work / t["medianMs"]) * 1000 / (1e9 if unit == "gflops" else 1), **t}
            shown = f"{cells[key][unit]:.2f} GFLOP/s" if unit == "gflops" else f"{cells[key][unit]:.0f} examples/s"
            print(f"  pytorch {key:<14} {threads} thread{'s' if threads > 1 else ' '} {shown} ({t['reps']} reps)", file=sys.stderr)
        results[str(threads)] = {"numThreads": torch.get_num_threads(), "cells": cells}

    json.dump({**info, "results": results}, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
