# An independent check of chapter 13's finding that EPLL gains only about 0.1 dB over
# patch-averaged MMSE on photographs: the same method written from the paper in numpy, run
# on a prior saved by `workbook fit` (or by chapter 13). Run from the repository root after
# `pip install numpy scipy pillow`, e.g.
#   python3 bench/reference/epll_numpy.py figures/13-epll/gmm-photos-k20-n50000-mean-removed.npz \
#       data/images/chelsea.png 0.0980392 --crop 256
# The noise is numpy's, not the workbook's, so compare gains (EPLL minus patch averaging),
# not absolute PSNR, with `workbook denoise --estimator mmse|map|epll`.
import argparse, time
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from PIL import Image
from scipy.linalg import cho_factor, cho_solve, solve_triangular

parser = argparse.ArgumentParser()
parser.add_argument("model"); parser.add_argument("image"); parser.add_argument("sigma", type=float)
parser.add_argument("--crop", type=int, help="restore the centre crop x crop pixels only")
parser.add_argument("--seed", type=int, default=7)
parser.add_argument("--betas", type=float, nargs="+", default=[1, 4, 8, 16, 32],
                    help="EPLL's schedule, beta in units of 1/sigma^2 (default: the paper's 1 4 8 16 32)")
parser.add_argument("--rule", choices=["map", "mmse"], default="map",
                    help="the z-step's patch estimate: the paper's most probable component (map) or the posterior mean")
parser.add_argument("--per-beta", type=int, default=1, help="alternations at each beta (the paper: 1)")
args = parser.parse_args()

model = np.load(args.model)
weights, means, covariances = model["weights"], model["means"], model["covariances"]
m = int(model["patch_size"]); d = m * m
removes_mean = bool(model["patch_mean_removed"]) if "patch_mean_removed" in model.files else False

clean = np.asarray(Image.open(args.image).convert("RGB"), dtype=np.float64) / 255 @ np.array([0.299, 0.587, 0.114])
if args.crop:
    top, left = (clean.shape[0] - args.crop) // 2, (clean.shape[1] - args.crop) // 2
    clean = clean[top:top + args.crop, left:left + args.crop]
noisy = clean + args.sigma * np.random.default_rng(args.seed).standard_normal(clean.shape)
rows, cols = clean.shape

def psnr(image):
    return 10 * np.log10(1 / np.mean((np.clip(image, 0, 1) - clean) ** 2))

def patch_average(patches):
    """Every pixel is the mean of the estimates of the patches that cover it."""
    total, count = np.zeros_like(clean), np.zeros_like(clean)
    grid = patches.reshape(rows - m + 1, cols - m + 1, m, m)
    for i in range(m):
        for j in range(m):
            total[i:i + rows - m + 1, j:j + cols - m + 1] += grid[:, :, i, j]
            count[i:i + rows - m + 1, j:j + cols - m + 1] += 1
    return total / count

def restore_patches(image, s, rule):
    """Each patch's posterior under the GMM with white noise of std s: the Wiener estimate
    mu_k + S_k (S_k + s^2 I)^-1 (y - mu_k) of the most probable component (map), or all of
    them weighted by their posterior probabilities (mmse); then patch averaging."""
    y = sliding_window_view(image, (m, m)).reshape(-1, d)
    dc = y.mean(1, keepdims=True) if removes_mean else np.zeros((len(y), 1))
    y = y - dc
    log_post, wiener = np.empty((len(weights), len(y))), []
    for k in range(len(weights)):
        factor = cho_factor(covariances[k] + s * s * np.eye(d), lower=True)
        centred = (y - means[k]).T
        white = solve_triangular(factor[0], centred, lower=True)
        log_post[k] = (np.log(weights[k]) - 0.5 * (white ** 2).sum(0)
                       - np.log(np.diag(factor[0])).sum() - 0.5 * d * np.log(2 * np.pi))
        # mu + S (S + s^2 I)^-1 (r - mu) = r - s^2 (S + s^2 I)^-1 (r - mu)
        wiener.append(lambda r, f=factor, k=k: r - s * s * cho_solve(f, (r - means[k]).T).T)
    estimate = np.zeros_like(y)
    if rule == "map":
        best = log_post.argmax(0)
        for k in range(len(weights)):
            chosen = best == k
            if chosen.any():
                estimate[chosen] = wiener[k](y[chosen])
    else:
        post = np.exp(log_post - log_post.max(0)); post /= post.sum(0)
        for k in range(len(weights)):
            estimate += post[k][:, None] * wiener[k](y)
    return patch_average(estimate + dc)

start = time.perf_counter()
print(f"{args.image} {rows}x{cols}, sigma {args.sigma:g}, K = {len(weights)}, {m}x{m}, mean removed: {removes_mean}")
print(f"corrupted                     {psnr(noisy):.3f} dB")
baseline = {rule: psnr(restore_patches(noisy, args.sigma, rule)) for rule in ("mmse", "map")}
for rule, value in baseline.items():
    print(f"patch-averaged {rule:<4}           {value:.3f} dB")
# EPLL (Zoran and Weiss 2011): at each beta, patch MAP (or --rule mmse) at noise
# 1/sqrt(beta), then x = (y + beta sigma^2 xbar) / (1 + beta sigma^2), the averaged
# weighting of their code; --per-beta alternations at each beta.
x = noisy
for c in args.betas:
    for _ in range(args.per_beta):
        xbar = restore_patches(x, args.sigma / np.sqrt(c), args.rule)
        x = (noisy + c * xbar) / (1 + c)
        print(f"EPLL beta sigma^2 = {c:>5g}      {psnr(x):.3f} dB")
print(f"EPLL minus patch-averaged MMSE {psnr(x) - baseline['mmse']:+.3f} dB, "
      f"minus patch-averaged MAP {psnr(x) - baseline['map']:+.3f} dB ({time.perf_counter() - start:.0f} s)")
