import os
import gzip, json, sys, re, urllib.parse
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(s):
        super().__init__(convert_charrefs=True); s.links=[]; s.cur=None; s.base=None; s.canon=None
    def handle_starttag(s, t, a):
        a=dict(a)
        if t=="a" and a.get("href"): s.cur=[a["href"], ""]; s.links.append(s.cur)
        if t=="base" and a.get("href") and not s.base: s.base=a["href"]
        if t=="link" and (a.get("rel") or "").lower()=="canonical": s.canon=a.get("href")
        if t=="img" and s.cur is not None and a.get("alt"): s.cur[1]+=" [img:"+a["alt"][:20]+"]"
    def handle_endtag(s,t):
        if t=="a": s.cur=None
    def handle_data(s,d):
        if s.cur is not None: s.cur[1]+=d
def site(h):
    h=(h or "").lower()
    for p in ("www.","m."):
        if h.startswith(p): h=h[len(p):]
    return h
def reg(h):
    parts=(h or '').lower().split('.')
    if len(parts)>=3 and len(parts[-1])==2 and parts[-2] in ('co','com','net','org','gov','edu','ac','or','ne'): return '.'.join(parts[-3:])
    return '.'.join(parts[-2:])
def same(a,b):
    return reg(a)==reg(b)
def links(pid, url):
    raw=gzip.open(f"" + os.path.join(os.path.dirname(os.path.abspath(__file__)), "pages", pid + ".html.gz") + "").read()
    m=re.search(rb'charset=["\']?([\w-]+)', raw[:5000]); enc=(m.group(1).decode() if m else "utf-8")
    try: text=raw.decode(enc, errors="replace")
    except LookupError: text=raw.decode("utf-8","replace")
    p=P(); p.feed(text)
    base=urllib.parse.urljoin(url, p.base) if p.base else url
    out={}
    for h,t in p.links:
        u=urllib.parse.urljoin(base, h.strip()); u=u.split("#")[0]
        s=urllib.parse.urlsplit(u)
        if s.scheme not in ("http","https") or not same(s.hostname, urllib.parse.urlsplit(url).hostname): continue
        t=" ".join(t.split())
        if u not in out or len(t)>len(out[u]): out[u]=t
    return out, p.canon
if __name__=="__main__":
    meta={m["id"]:m for m in json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "pages.json")))}
    pid=sys.argv[1]; out,c=links(pid, meta[pid]["url"])
    print("canonical:", c, "n", len(out))
    for u,t in out.items(): print(urllib.parse.unquote(u)[:110], "|", t[:50])
