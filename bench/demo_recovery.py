#!/usr/bin/python3
"""How well a `syncact run` found the planted networks of a `syncact demo`.

Usage: demo_recovery.py DATASET DERIVATIVES
  e.g. syncact demo --out /tmp/demo
       syncact run /tmp/demo --model builtin:democnn --layer conv3 --arch ica
       bench/demo_recovery.py /tmp/demo /tmp/demo/derivatives/syncact
Per planted network: the FBN whose map matches the planted map best
(spatial |r| over the brain, and the next best), whether its peak lies in
the planted AAL region and whether another network shares it, and the
planted pair's r and p_fwer in either direction's table (the same rule as
tests/cli/test-cli-e2e.c); then the significant pairs of both runs.
Needs nibabel and numpy (Debian's python3).
"""
import json, sys, os, csv, numpy as np, nibabel as nib
root, derivs = sys.argv[1], sys.argv[2]
T = json.load(open(f"{root}/code/truth/truth.json"))
maps = nib.load(f"{root}/code/truth/planted_maps.nii.gz").get_fdata()
aal = nib.load(f"{root}/code/truth/aal.nii.gz").get_fdata()
mask = nib.load(f"{root}/code/truth/brain_mask.nii.gz").get_fdata() > 0
comps = nib.load(f"{derivs}/group_desc-FBN_components.nii.gz").get_fdata()
m = comps.shape[3]
def rd(task, d):
    p = f"{derivs}/task-{task}_run-1_model-democnn_layer-conv3_desc-{d}_pairs.tsv"
    return list(csv.DictReader(open(p), delimiter="\t"))
pm = {d: rd("movie", d) for d in ("fbn2filter", "filter2fbn")}
pc = {d: rd("control", d) for d in ("fbn2filter", "filter2fbn")}
P = maps[mask]; Cm = comps[mask]
P = (P - P.mean(0)) / P.std(0); Cz = (Cm - Cm.mean(0)) / Cm.std(0)
R = np.abs(P.T @ Cz / P.shape[0])
print("max_filter_r %.2f common %.2f" % (T["max_filter_correlation"], T.get("common_factor_share", 0)))
best = R.argmax(1)
rec = 0
for k, n in enumerate(T["networks"]):
    j = best[k]; c = comps[..., j]
    pk = np.unravel_index(np.argmax(np.abs(c)), c.shape)
    inreg = int(round(aal[pk])) == n["aal_index"]
    fbn = "fbn-%03d" % (j + 1)
    pf = min([float(r["p_fwer"]) for d in pm for r in pm[d] if r["fbn"] == fbn and int(r["filter"]) == n["filter"]] + [1])
    rr = [float(r["r"]) for d in pm for r in pm[d] if r["fbn"] == fbn and int(r["filter"]) == n["filter"]]
    alone = (best == j).sum() == 1
    ok = R[k, j] >= .5 and inreg and alone and pf < .05
    rec += ok
    print(f"  net{k+1} f{n['filter']:3d} {n['region']:16s} uniq {n.get('unique_share',0):.2f} load {n.get('common_factor_loading',0):.2f} -> {fbn} sr {R[k,j]:.2f} 2nd {np.sort(R[k])[-2]:.2f} inreg {inreg} alone {alone} r {rr[:1]} p {pf:.3f} {'OK' if ok else 'MISS'}")
print("recovered %d/%d" % (rec, len(T["networks"])))
for d in pc:
    ps = np.array([float(r["p_fwer"]) for r in pc[d]])
    print(f"  control {d}: {(ps<.05).sum()}/{len(ps)} sig, min p {ps.min():.3f}, bonf {(ps<.05/len(ps)).sum()}")
for d in pm:
    ps = np.array([float(r["p_fwer"]) for r in pm[d]])
    print(f"  movie {d}: {(ps<.05).sum()}/{len(ps)} sig")
