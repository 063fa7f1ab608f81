#!/usr/bin/env python3
"""Time per training epoch of the Sync-ACT embedding: SyncAct (C + libtorch)
against the same model, data sizes, batches and optimiser written in
PyTorch (Debian's python3-torch), measured in the same run.

  bench/embed.py BENCH_EXE [--subjects N --trs T --voxels V --fbns M --arch A
                            --epochs E --window W --batch B]
  bench/embed.py BENCH_EXE --rss DIR     peak RSS, 10 vs 50 memory-mapped subjects
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

import numpy as np
import torch


class Net(torch.nn.Module):
    # What compute/torch/sa-torch-embed.cpp builds.
    def __init__(self, n, m, arch, heads):
        super().__init__()
        self.arch = arch
        self.enc = torch.nn.Linear(n, m, bias=False)
        if arch == "lstm":
            self.t_enc = torch.nn.LSTM(m, m, num_layers=2, batch_first=True)
            self.t_dec = torch.nn.LSTM(m, m, num_layers=2, batch_first=True)
        elif arch == "msa":
            self.t_enc = torch.nn.MultiheadAttention(m, heads)
            self.t_dec = torch.nn.MultiheadAttention(m, heads)
        self.dec = torch.nn.Linear(m, n)

    def temporal(self, x, module):
        if self.arch == "lstm":
            return module(x)[0]
        if self.arch == "msa":
            q = x.transpose(0, 1)
            return x + module(q, q, q, need_weights=False)[0].transpose(0, 1)
        return x

    def encode(self, s):
        return self.temporal(self.enc(s), getattr(self, "t_enc", None))

    def forward(self, s):
        return self.dec(self.temporal(self.encode(s), getattr(self, "t_dec", None)))


def python_epochs(a):
    rng = np.random.default_rng(1)
    data = [rng.standard_normal((a.trs, a.voxels), dtype=np.float32) for _ in range(a.subjects)]
    n_test = max(1, round(0.3 * a.subjects))
    n_val = max(1, round(0.1 * a.subjects))
    n_train = a.subjects - n_val - n_test
    train, val, test = (data[:n_train], data[n_train:n_train + n_val],
                        data[n_train + n_val:])

    def windows(subjects):
        return [(s, start) for s in subjects
                for start in range(0, a.trs - a.window + 1, a.window)]

    tw, vw = windows(train), windows(val)
    torch.manual_seed(0)
    net = Net(a.voxels, a.fbns, a.arch, 4)
    opt = torch.optim.Adam(net.parameters(), lr=0.01, betas=(0.9, 0.999))
    buf = np.empty((a.batch, a.window, a.voxels), dtype=np.float32)
    times, cpu = [], []
    for epoch in range(a.epochs):
        t0, c0 = time.monotonic(), time.process_time()
        order = rng.permutation(len(tw))
        net.train()
        for i in range(0, len(order), a.batch):
            idx = order[i:i + a.batch]
            for j, k in enumerate(idx):
                s, start = tw[k]
                buf[j] = s[start:start + a.window]
            x = torch.from_numpy(buf[:len(idx)])
            opt.zero_grad()
            loss = torch.nn.functional.mse_loss(net(x), x)
            loss.backward()
            opt.step()
        net.eval()
        with torch.no_grad():
            for i in range(0, len(vw), a.batch):
                chunk = vw[i:i + a.batch]
                for j, (s, start) in enumerate(chunk):
                    buf[j] = s[start:start + a.window]
                x = torch.from_numpy(buf[:len(chunk)])
                torch.nn.functional.mse_loss(net(x), x).item()
            # The C side hands W and one test run's L to its epoch callback.
            net.enc.weight.t().contiguous().numpy().copy()
            net.encode(torch.from_numpy(test[0])[None])[0].numpy().copy()
        times.append(time.monotonic() - t0)
        cpu.append(time.process_time() - c0)
    return times, cpu


def run_c(exe, a, extra=()):
    cmd = [exe, str(a.subjects), str(a.trs), str(a.voxels), str(a.fbns), a.arch,
           str(a.epochs), str(a.window), str(a.batch), *extra]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def steady(times):
    # The first epoch pays for allocator warm-up on both sides; on a shared
    # machine the fastest later epoch is the one least slowed by others.
    return min(times[1:] if len(times) > 1 else times)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("exe")
    p.add_argument("--subjects", type=int, default=10)
    p.add_argument("--trs", type=int, default=300)
    p.add_argument("--voxels", type=int, default=8000)
    p.add_argument("--fbns", type=int, default=64)
    p.add_argument("--arch", default="msa")
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--window", type=int, default=100)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--rss", metavar="DIR")
    a = p.parse_args()

    if a.rss:
        a.trs, a.voxels, a.window, a.epochs = 900, 28000, 150, 1
        for subjects in (10, 50):
            a.subjects = subjects
            r = run_c(a.exe, a, [a.rss])
            print(f"{subjects} subjects x 900 TRs x 28000 voxels (memory-mapped, "
                  f"{subjects * 900 * 28000 * 4 / 2**30:.1f} GiB on disk), {a.arch} m={a.fbns}: "
                  f"peak RSS {r['peak_rss_mb']:.0f} MB, epoch {r['epoch_s'][0]:.1f} s "
                  f"({r['train_subjects']} training subjects); 100 epochs ~ "
                  f"{100 * r['epoch_s'][0] / 3600:.1f} h")
        return

    print(f"{a.subjects} subjects x {a.trs} TRs x {a.voxels} voxels, {a.arch}, m={a.fbns}, "
          f"window {a.window}, batch {a.batch}, {a.epochs} epochs; "
          f"torch {torch.__version__}, python threads {torch.get_num_threads()}")
    c_times, py_times, c_cpu, py_cpu = [], [], [], []
    # Alternated, so that load from other processes falls on both sides.
    for _ in range(a.repeat):
        c = run_c(a.exe, a)
        c_times += c["epoch_s"][1:]
        c_cpu += c["epoch_cpu_s"][1:]
        wall, cpu = python_epochs(a)
        py_times += wall[1:]
        py_cpu += cpu[1:]
    c_s, py_s = min(c_times), min(py_times)
    print(f"SyncAct (C/libtorch): {c_s:.3f} s/epoch best, median {statistics.median(c_times):.3f} "
          f"(epochs {c_times}), peak RSS {c['peak_rss_mb']:.0f} MB")
    print(f"PyTorch (python3-torch): {py_s:.3f} s/epoch best, median "
          f"{statistics.median(py_times):.3f} (epochs {[round(t, 3) for t in py_times]}), "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"ratio SyncAct / PyTorch: {c_s / py_s:.2f} best, "
          f"{statistics.median(c_times) / statistics.median(py_times):.2f} median (target <= 1.0)")
    print(f"CPU seconds per epoch (median): SyncAct {statistics.median(c_cpu):.3f}, "
          f"PyTorch {statistics.median(py_cpu):.3f}, ratio "
          f"{statistics.median(c_cpu) / statistics.median(py_cpu):.2f}; load average "
          f"{os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    sys.exit(main())
