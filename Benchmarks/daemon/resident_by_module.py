#!/usr/bin/env python3
"""Which parts of Herald's (static) binary are resident in a running process, in MB per module.

Reads /proc/PID/pagemap (root only) for every page of the binary's mappings, maps each present page back to the
ELF symbol that covers it, and names the module from the symbol (Swift mangling prefix, ICU, CoreFoundation, the
Swift runtime). Pages without a covering symbol (.eh_frame, .rodata tables, .data) count as "other C/C++".

    resident_by_module.py PID BINARY
"""
import sys, re, bisect, struct, subprocess, collections
pid, binary = sys.argv[1], sys.argv[2]
# ELF segments: file offset -> vaddr
segs = []
for line in subprocess.run(["readelf", "-lW", binary], capture_output=True, text=True).stdout.splitlines():
    p = line.split()
    if p and p[0] == "LOAD":
        segs.append((int(p[1], 16), int(p[2], 16), int(p[4], 16)))  # offset, vaddr, filesz
syms = []
for line in subprocess.run(["nm", "-n", "--defined-only", binary], capture_output=True, text=True).stdout.splitlines():
    p = line.split(" ", 2)
    if len(p) == 3 and p[1] in "tTrRdDbBvVwW":
        syms.append((int(p[0], 16), p[2]))
addrs = [a for a, _ in syms]
def module(name):
    for prefix, mod in [("$s20FoundationEssentials", "FoundationEssentials"), ("$s26FoundationInternationalization", "FoundationInternationalization"),
                        ("$s10Foundation", "Foundation"), ("$s14ArgumentParser", "ArgumentParser"), ("$s7Logging", "swift-log"),
                        ("$s6Herald", "Herald"), ("$s11Herald", "Herald"), ("$s10Herald", "Herald"), ("$s12Herald", "Herald"), ("$s13Herald", "Herald"), ("$s6herald", "Herald"),
                        ("$ss", "Swift stdlib"), ("$sS", "Swift stdlib"), ("$s17_StringProcessing", "_StringProcessing"), ("$s8Dispatch", "Dispatch"),
                        ("$s15Synchronization", "Synchronization"), ("$s12_RegexParser", "_RegexParser"), ("$s14FoundationNetworking", "FoundationNetworking")]:
        if name.startswith(prefix): return mod
    if "icu" in name.lower() or name.startswith("u_") or name.startswith("ucol") or name.startswith("ubrk") or name.startswith("uloc") or name.startswith("ures") or name.startswith("_ZN6icu"): return "ICU"
    if name.startswith("_ZN5swift") or name.startswith("swift_") or name.startswith("_swift"): return "Swift runtime"
    if name.startswith("CF") or name.startswith("__CF") or name.startswith("_CF") or name.startswith("kCF"): return "CoreFoundation"
    if name.startswith("dispatch") or name.startswith("_dispatch"): return "libdispatch"
    if name.startswith("$s"):
        m = re.match(r"\$s(\d+)([A-Za-z_]+)", name)
        if m: return "swift:" + m.group(2)[:int(m.group(1))]
    return "other C/C++"
count = collections.Counter()
pm = open(f"/proc/{pid}/pagemap", "rb")
for line in open(f"/proc/{pid}/maps"):
    p = line.split()
    if len(p) < 6 or not p[5].endswith("/herald"): continue
    start, end = (int(x, 16) for x in p[0].split("-")); off = int(p[2], 16)
    for va in range(start, end, 4096):
        pm.seek(va // 4096 * 8)
        entry = struct.unpack("<Q", pm.read(8))[0]
        if not entry >> 63 & 1: continue
        foff = va - start + off
        ev = next((v + foff - o for o, v, sz in segs if o <= foff < o + sz), None)
        if ev is None: count["(no segment)"] += 1; continue
        i = bisect.bisect_right(addrs, ev) - 1
        count[module(syms[i][1]) if i >= 0 else "?"] += 1
total = sum(count.values())
for k, v in count.most_common(25): print(f"{v*4/1024:6.2f} MB  {k}")
print(f"{total*4/1024:6.2f} MB  total resident pages of the binary")
