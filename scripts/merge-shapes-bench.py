#!/usr/bin/env python3
"""Merges the edits.csv files of `ptinv bench shapes` runs over disjoint case ranges (--first-case) into one table.

Usage: scripts/merge-shapes-bench.py RUN_DIR [RUN_DIR ...]  > merged.md

Rates and seconds are weighted by each run's cases, PSNR/SSIM by the cases whose unchanged region was measured
(the `measured_cases` column), so the result equals one run over all the cases. Prints a Markdown table and the merged
CSV (after a blank line).
"""
import csv
import sys
from collections import OrderedDict


def main(dirs):
    acc = OrderedDict()
    for d in dirs:
        with open(f"{d}/edits.csv", newline="") as f:
            rows = list(csv.reader(f))
            header = rows[0]
            for raw in rows[1:]:
                # files written before method labels were quoted: a label's commas split it into extra fields
                extra = len(raw) - len(header)
                r = dict(zip(header, [",".join(raw[:extra + 1])] + raw[extra + 1:]))
                key = (r["method"], r["edit"], r["eta"])
                a = acc.setdefault(key, dict(cases=0, measured=0, success=0.0, psnr=0.0, ssim=0.0, inv=0.0, edit=0.0))
                n, m = int(r["cases"]), int(r["measured_cases"])
                a["cases"] += n
                a["measured"] += m
                a["success"] += float(r["success_rate"]) * n
                a["inv"] += float(r["inversion_s"]) * n
                a["edit"] += float(r["edit_s"]) * n
                if m:
                    a["psnr"] += float(r["unchanged_psnr_db"]) * m
                    a["ssim"] += float(r["unchanged_ssim"]) * m
    print("| method | edit | η | cases | success | unchanged PSNR (dB) | unchanged SSIM | inversion s | edit s |")
    print("|---|---|---|---|---|---|---|---|---|")
    rows = []
    for (method, edit, eta), a in acc.items():
        n, m = a["cases"], a["measured"]
        psnr = a["psnr"] / m if m else float("nan")
        ssim = a["ssim"] / m if m else float("nan")
        row = (method, edit, eta, n, a["success"] / n, psnr, ssim, m, a["inv"] / n, a["edit"] / n)
        rows.append(row)
        print(f"| {method} | {edit} | {eta} | {n} | {100 * row[4]:.0f}% | {psnr:.2f} | {ssim:.4f} | {row[8]:.2f} | {row[9]:.2f} |")
    print()
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["method", "edit", "eta", "cases", "success_rate", "unchanged_psnr_db", "unchanged_ssim", "measured_cases",
                "inversion_s", "edit_s"])
    for r in rows:
        w.writerow([r[0], r[1], r[2], r[3], f"{r[4]:.4f}", f"{r[5]:.3f}", f"{r[6]:.4f}", r[7], f"{r[8]:.3f}", f"{r[9]:.3f}"])


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
