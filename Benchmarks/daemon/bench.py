#!/usr/bin/env python3
"""Daemon at work and at rest: `herald run` with 50 sources against the loopback site, sampled from /proc.

At work: 50 sources (50 listing pages of the site), each on a second-scale interval, for --seconds (600 for the
report). The server answers every listing with 200 and the full page (no ETag/Last-Modified: Benchmarks/run starts
nginx so), so every pass fetches ~600 KB, parses it and checks its links against the database: real work, not 304s.
At rest: the same 50 sources on a 1 h interval; after their first pass, --idle-seconds of sampling.
Every --every seconds: RSS (VmRSS), CPU (utime+stime delta), threads, open descriptors.

    bench.py --herald BIN --site DIR --origin http://127.0.0.1:8089 --seconds 600 --idle-seconds 120 --out DIR
"""
import argparse, json, os, signal, socket, subprocess, sys, time
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from measure import median, load

ap = argparse.ArgumentParser()
ap.add_argument("--herald", required=True)
ap.add_argument("--site", required=True)
ap.add_argument("--origin", required=True)
ap.add_argument("--sources", type=int, default=50)
ap.add_argument("--interval", default="5s")
ap.add_argument("--seconds", type=int, default=600)
ap.add_argument("--idle-seconds", type=int, default=120)
ap.add_argument("--every", type=float, default=5)
ap.add_argument("--phases", default="work,rest")
ap.add_argument("--out", required=True)
a = ap.parse_args()
a.herald = os.path.abspath(a.herald)
os.makedirs(a.out, exist_ok=True)
tick = os.sysconf("SC_CLK_TCK")
page = os.sysconf("SC_PAGE_SIZE")

listings = json.load(open(os.path.join(a.site, "expected", "listings.json")))
paths = sorted(p for p in listings if p.startswith("/cn/") and p != "/cn/")[: a.sources]


def sample(pid):
    stat = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    cpu = (int(stat[11]) + int(stat[12])) / tick
    status = dict(line.split(":", 1) for line in open(f"/proc/{pid}/status") if ":" in line)
    rss_mb = int(status["VmRSS"].split()[0]) / 1024
    anon_mb = int(status["RssAnon"].split()[0]) / 1024
    threads = int(status["Threads"])
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    return cpu, rss_mb, anon_mb, threads, fds


def status_json(sock):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(5)
    s.connect(sock)
    s.sendall(b"GET /status HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    data = b""
    while chunk := s.recv(65536):
        data += chunk
    s.close()
    return json.loads(data.split(b"\r\n\r\n", 1)[1])


def phase(name, interval, jitter, seconds, warm_until_passes):
    work = os.path.join(a.out, name)
    subprocess.call(["rm", "-rf", work]); os.makedirs(work)
    sock = os.path.join(work, "herald.sock")
    sources = [{"name": f"listing-{i}", "listing": a.origin + p, "kind": "html", "profile": "rfi",
                "interval": interval, "jitter": jitter, "maxPages": 1} for i, p in enumerate(paths)]
    config = {"database": os.path.join(work, "herald.db"), "statusSocket": sock, "concurrency": 4,
              "perHost": {"concurrency": 4, "delay": "0s"}, "logLevel": "warning", "sources": sources}
    json.dump(config, open(os.path.join(work, "config.json"), "w"), indent=1)
    log = open(os.path.join(work, "herald.log"), "wb")
    proc = subprocess.Popen([a.herald, "run", "--config", os.path.join(work, "config.json")], stdout=log,
                            stderr=subprocess.STDOUT)
    rows, began = [], time.time()
    last_cpu, last_t = 0.0, began
    warm_at = None
    try:
        while True:
            elapsed = time.time() - began
            if name == "work" and elapsed >= seconds:
                break
            if name == "rest" and (warm_at and time.time() - warm_at >= seconds or elapsed > seconds + 600):
                break
            time.sleep(a.every)
            now = time.time()
            cpu, rss, anon, threads, fds = sample(proc.pid)
            runs = articles = None
            if os.path.exists(sock):
                try:
                    st = status_json(sock)
                    runs = sum(1 for s in st["sources"] if s["last_run"])
                    articles = st["article_count"]
                except (OSError, ValueError):
                    pass
            rows.append({"t": round(now - began, 1), "rss_mb": round(rss, 1), "anon_mb": round(anon, 1), "cpu_pct": round(100 * (cpu - last_cpu) / (now - last_t), 2),
                         "cpu_s": round(cpu, 2), "threads": threads, "fds": fds, "sources_run": runs,
                         "articles": articles})
            last_cpu, last_t = cpu, now
            if warm_at is None and runs is not None and runs >= warm_until_passes:
                warm_at = now
            if proc.poll() is not None:
                sys.exit(f"herald run exited ({proc.returncode}); see {work}/herald.log")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    with open(os.path.join(work, "samples.csv"), "w") as f:
        f.write("t,rss_mb,anon_mb,cpu_pct,cpu_s,threads,fds,sources_run,articles\n")
        for r in rows:
            f.write(",".join(str(r[k]) for k in ("t", "rss_mb", "anon_mb", "cpu_pct", "cpu_s", "threads", "fds", "sources_run", "articles")) + "\n")
    passes = subprocess.run(["sqlite3", os.path.join(work, "herald.db"), "SELECT count(*) FROM crawl_runs"],
                            capture_output=True, text=True).stdout.strip()
    return rows, warm_at - began if warm_at else None, passes


loads = [load()]
phases = a.phases.split(",")
work_rows, work_passes = [{"t": 0, "rss_mb": 0, "anon_mb": 0, "cpu_pct": 0, "threads": 0, "fds": 0}], 0
if "work" in phases:
    work_rows, _, work_passes = phase("work", a.interval, "1s", a.seconds, a.sources)
loads.append(load())
rest_rows, rest_warm = [], None
if "rest" in phases:
    rest_rows, rest_warm, _ = phase("rest", "1h", "1m", a.idle_seconds, a.sources)
loads.append(load())

def minute_table(rows):
    out = []
    for m in range(0, int(rows[-1]["t"] // 60) + 1):
        chunk = [r for r in rows if m * 60 < r["t"] <= (m + 1) * 60]
        if chunk:
            out.append((m + 1, max(r["rss_mb"] for r in chunk), max(r["anon_mb"] for r in chunk),
                        median([r["cpu_pct"] for r in chunk]),
                        max(r["threads"] for r in chunk), max(r["fds"] for r in chunk)))
    return out

summary = {"sources": len(paths), "interval": a.interval, "seconds": a.seconds, "loads": loads,
           "work_passes": work_passes, "work": minute_table(work_rows)}
idle = [r for r in rest_rows if rest_warm and r["t"] > rest_warm + a.every]
summary["rest"] = {"first_pass_done_s": rest_warm, "rss_mb_max": max((r["rss_mb"] for r in idle), default=None),
                   "anon_mb_max": max((r["anon_mb"] for r in idle), default=None),
                   "cpu_pct_median": median([r["cpu_pct"] for r in idle]),
                   "cpu_s_during_idle": (idle[-1]["cpu_s"] - idle[0]["cpu_s"]) if len(idle) > 1 else None,
                   "idle_span_s": (idle[-1]["t"] - idle[0]["t"]) if len(idle) > 1 else None,
                   "threads": max((r["threads"] for r in idle), default=None)}
json.dump(summary, open(os.path.join(a.out, "summary.json"), "w"), indent=1)

print(f"at work: {len(paths)} sources every {a.interval} (±1s) for {a.seconds} s, {work_passes} passes; "
      f"load {loads[0]} … {loads[1]}")
print("| minute | peak RSS | of which anonymous | median CPU | threads | fds |")
print("|---|---|---|---|---|---|")
for m, rss, anon, cpu, th, fd in summary["work"]:
    print(f"| {m} | {rss:.1f} MB | {anon:.1f} MB | {cpu:.1f} % | {th} | {fd} |")
r = summary["rest"]
if r["rss_mb_max"] is not None:
    print(f"at rest: {len(paths)} sources on 1 h intervals, first pass done after {r['first_pass_done_s']:.0f} s; then "
          f"{r['idle_span_s']:.0f} s idle: RSS {r['rss_mb_max']:.1f} MB (target <= 20; anonymous {r['anon_mb_max']:.1f} MB, "
          f"the rest is shared library pages), CPU {r['cpu_s_during_idle']:.2f} s "
          f"({100 * r['cpu_s_during_idle'] / r['idle_span_s']:.3f} %), {r['threads']} threads; load {loads[2]}")
