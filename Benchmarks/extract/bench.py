#!/usr/bin/env python3
"""Extraction: herald parse vs trafilatura vs libxml2's bare parse (and lxml's), same pages, alternating.

Each run executes every side once over all PAGES in one process, in a rotating order, so machine noise hits all
sides alike and cancels in the ratios. Start-up (herald --version, python importing trafilatura or lxml, the C
program with no file) is measured in the same rotation and subtracted to get the per-page cost.

    bench.py --herald BIN --xmlparse BIN --python VENV_PYTHON --site SITE --pages 200 --runs 5 --out DIR
"""
import argparse, difflib, json, os, re, sys, unicodedata
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from measure import run, median, load

ap = argparse.ArgumentParser()
ap.add_argument("--herald", required=True)
ap.add_argument("--herald-bench")
ap.add_argument("--xmlparse", required=True)
ap.add_argument("--python", required=True)
ap.add_argument("--site", required=True)
ap.add_argument("--pages", type=int, default=200)
ap.add_argument("--runs", type=int, default=5)
ap.add_argument("--out", required=True)
a = ap.parse_args()
a.herald, a.python, a.xmlparse = (os.path.abspath(p) for p in (a.herald, a.python, a.xmlparse))
here = os.path.dirname(os.path.abspath(__file__))
os.makedirs(a.out, exist_ok=True)

manifest = json.load(open(os.path.join(a.site, "expected", "manifest.json")))
index = [x for x in manifest["article_index"] if x["kind"] == "article"][: a.pages]
files = [os.path.join(a.site, x["file"]) for x in index]
expected = [json.load(open(os.path.join(a.site, "expected", x["content_id"] + ".json"))) for x in index]
n = len(files)
avg_kb = sum(os.path.getsize(f) for f in files) / n / 1024

sides = {
    "herald": ([a.herald, "parse", "--profile", "rfi", "--json", *files], [a.herald, "--version"]),
    "trafilatura": ([a.python, os.path.join(here, "trafilatura_run.py"), *files],
                    [a.python, os.path.join(here, "trafilatura_run.py")]),
    "libxml2": ([a.xmlparse, *files], [a.xmlparse]),
    "lxml": ([a.python, os.path.join(here, "lxml_run.py"), *files], [a.python, os.path.join(here, "lxml_run.py")]),
}
names = list(sides)
results = {name: {"full": [], "start": []} for name in names}
loads = [load()]
for r in range(a.runs):
    order = names[r % len(names):] + names[: r % len(names)]
    for name in order:
        full_cmd, start_cmd = sides[name]
        with open(os.path.join(a.out, f"{name}.jsonl"), "wb") as out:
            m = run(full_cmd, stdout=out, stderr=open(os.path.join(a.out, f"{name}.err"), "wb"))
        if m["rc"] != 0:
            sys.exit(f"{name} failed (exit {m['rc']}), see {a.out}/{name}.err")
        results[name]["full"].append(m)
        results[name]["start"].append(run(start_cmd))
    loads.append(load())
    print(f"  run {r + 1}/{a.runs} done, load {loads[-1]}", file=sys.stderr)

in_process = None
if a.herald_bench:
    import subprocess
    in_process = subprocess.run([a.herald_bench, "extract", "--repeat", "5", *files], capture_output=True,
                                text=True, check=True).stdout.strip()

# Agreement with the fixture's expected body_text: normalised (NFKC, whitespace removed) similarity per page.
def norm(text):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))

def agreement(name, field):
    lines = open(os.path.join(a.out, f"{name}.jsonl"), encoding="utf-8").read().splitlines()
    sims, exact, titles, dates = [], 0, 0, 0
    for line, exp in zip(lines, expected):
        got = json.loads(line) if line.strip() else {}
        want = norm(exp["body_text"])
        have = norm(got.get(field))
        exact += have == want
        sims.append(difflib.SequenceMatcher(None, want, have, autojunk=False).ratio() if have else 0.0)
        titles += (got.get("title") or "").strip() == exp["title"]
        date = got.get("published") or got.get("date") or ""
        dates += date == exp["published"] if name == "herald" else date == exp["published"][:10]
    sims.sort()
    return {"pages": len(lines), "exact": exact, "median_similarity": median(sims), "min_similarity": sims[0],
            "titles": titles, "dates": dates}

summary = {"pages": n, "avg_kib": avg_kb, "runs": a.runs, "loads": loads, "sides": {}, "in_process": in_process}
for name in names:
    full, start = results[name]["full"], results[name]["start"]
    wall, cpu = median([m["wall"] for m in full]), median([m["cpu"] for m in full])
    s_wall, s_cpu = median([m["wall"] for m in start]), median([m["cpu"] for m in start])
    per_page_ms = (wall - s_wall) / n * 1000
    summary["sides"][name] = {
        "wall_s": wall, "cpu_s": cpu, "startup_s": s_wall, "per_page_ms": per_page_ms,
        "cpu_per_page_ms": (cpu - s_cpu) / n * 1000, "pages_per_s": 1000 / per_page_ms,
        "pages_per_s_end_to_end": n / wall, "maxrss_mb": median([m["maxrss_kb"] for m in full]) / 1024,
        "per_run_wall_s": [round(m["wall"], 3) for m in full],
    }
summary["agreement"] = {"herald": agreement("herald", "body_text"), "trafilatura": agreement("trafilatura", "text")}
h, t, x = (summary["sides"][k] for k in ("herald", "trafilatura", "libxml2"))
# Ratios per run (same run, both sides), then their median: the noise-cancelling figure.
def per_run_ratio(num, den):
    rs = []
    for fa, sa, fb, sb in zip(results[num]["full"], results[num]["start"], results[den]["full"], results[den]["start"]):
        rs.append((fa["wall"] - sa["wall"]) / (fb["wall"] - sb["wall"]))
    return median(rs)
summary["ratios"] = {"herald_speedup_vs_trafilatura": per_run_ratio("trafilatura", "herald"),
                     "herald_time_vs_libxml2": per_run_ratio("herald", "libxml2"),
                     "herald_time_vs_lxml": per_run_ratio("herald", "lxml")}
json.dump(summary, open(os.path.join(a.out, "summary.json"), "w"), indent=1)

print(f"pages: {n} RFI-like article pages, {avg_kb:.0f} KiB on average; {a.runs} runs, alternating; "
      f"load {loads[0]} … {loads[-1]}")
print(f"| side (one process, all pages) | median wall | start-up | per page | pages/s | CPU per page | peak RSS |")
print("|---|---|---|---|---|---|---|")
for name in names:
    s = summary["sides"][name]
    print(f"| {name} | {s['wall_s']*1000:.0f} ms | {s['startup_s']*1000:.0f} ms | {s['per_page_ms']:.2f} ms | "
          f"{s['pages_per_s']:.0f} | {s['cpu_per_page_ms']:.2f} ms | {s['maxrss_mb']:.0f} MB |")
r = summary["ratios"]
print(f"herald vs trafilatura: {r['herald_speedup_vs_trafilatura']:.1f}x the pages/s (target >= 20x)")
print(f"herald vs libxml2 bare parse: {r['herald_time_vs_libxml2']:.2f}x its time per page (target <= 1.5x); "
      f"vs lxml: {r['herald_time_vs_lxml']:.2f}x")
for name, g in summary["agreement"].items():
    print(f"agreement {name}: body text exact {g['exact']}/{g['pages']}, similarity median {g['median_similarity']:.4f} "
          f"min {g['min_similarity']:.4f}; titles {g['titles']}/{g['pages']}; published {g['dates']}/{g['pages']}"
          + (" (date only)" if name == "trafilatura" else ""))
if in_process:
    print(f"herald in-process (herald-bench, no JSON, no start-up): {in_process}")
