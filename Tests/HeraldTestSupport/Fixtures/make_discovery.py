#!/usr/bin/env python3
"""Fixture sites for adding a source by its address alone (issue 11): homepages of the URL families real news sites
use, a site listed only by a sitemap index and a gzip'd Google News sitemap, a site with only a feed link, and an
OPML file as feed readers export it.

Deterministic, standard library only, no network. Every site uses a made-up https origin (``https://<name>.example``)
so tests fetch it through a config mirror (``"mirrors": {"https://sitemap.example": "http://127.0.0.1:PORT"}``).

    python3 make_discovery.py --out DIR

Layout of DIR:
  families/<family>.html          one homepage per URL family; expected/families.json lists its page URL and the
                                  article URLs it links (everything else on it: navigation, topics, tags, authors,
                                  login, paging, footer)
  sitemap-site/                   https://sitemap.example: robots.txt (Sitemap: line), sitemap_index.xml →
                                  sitemaps/news.xml.gz (Google News, the 10 newest) + sitemaps/archive.xml (20 older),
                                  a homepage without feed, and the 30 article pages
  feed-site/                      https://feed.example: a homepage whose only listing is <link rel=alternate> to
                                  /feed.xml (RSS, 8 items) and /world/feed.xml (Atom, 4 of them), the 8 article pages
  feeds.opml                      an OPML 2.0 export naming both feeds of feed.example, nested in a folder
  expected/discovery.json         what each site must yield (article URLs, newest first for the sitemap)
"""
import argparse
import datetime as dt
import gzip
import io
import json
import os
import random
import shutil
from html import escape

UTC = dt.timezone.utc
BASE_TIME = dt.datetime(2024, 6, 3, 12, 0, tzinfo=UTC)

EN_WORDS = ["minister", "council", "budget", "talks", "river", "storm", "election", "court", "trade", "summit",
            "energy", "market", "strike", "vaccine", "bridge", "port", "harvest", "drought", "league", "final"]
EN_VERBS = ["approves", "delays", "rejects", "unveils", "questions", "backs", "halts", "expands", "reviews", "opens"]
ZH_SUBJECTS = ["国务院", "欧盟委员会", "法国政府", "联合国安理会", "台湾陆委会", "香港立法会", "日本内阁", "世卫组织"]
ZH_ACTIONS = ["宣布新一轮关税措施", "推迟南海巡逻计划", "审议年度预算草案", "批准半导体出口管制新规", "暂停人权对话安排",
              "公布气候谈判成果", "启动港口投资项目", "否认相关报道内容"]
ZH_TAILS = ["各方表示关切", "专家称影响有限", "市场反应平淡", "反对党强烈批评", "外界担忧局势升温"]


def en_title(rng):
    words = rng.sample(EN_WORDS, 3)
    return "%s %s %s as %s %s" % (words[0].capitalize(), rng.choice(EN_VERBS), words[1], words[2], rng.choice(
        ["talks resume", "deadline nears", "crowds gather", "prices climb", "tensions ease"]))


def zh_title(rng):
    return "%s%s %s" % (rng.choice(ZH_SUBJECTS), rng.choice(ZH_ACTIONS), rng.choice(ZH_TAILS))


def slug(title):
    return "-".join(w.lower() for w in title.replace(",", "").split())


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


# --- homepages of each URL family ------------------------------------------------------------------------------------

def page(title, head_extra, nav, main, footer, lang="en"):
    return """<!DOCTYPE html>
<html lang="%s">
<head>
<meta charset="utf-8">
<title>%s</title>
%s
</head>
<body>
<header class="site-header">
  <a class="logo" href="/">%s</a>
  <nav class="main-nav"><ul>
%s  </ul></nav>
  <div class="account"><a href="/login">Sign in</a> <a href="/account/register">Register</a></div>
</header>
<main>
%s
</main>
<footer class="site-footer"><ul>
%s</ul></footer>
</body>
</html>
""" % (lang, escape(title), head_extra, escape(title), nav, main, footer)


def li_links(links):
    return "".join('    <li><a href="%s">%s</a></li>\n' % (escape(h, True), escape(t)) for h, t in links)


def story_items(stories, with_time=True, cls="story"):
    out = []
    for i, (href, title, when) in enumerate(stories):
        img = '<a href="%s" class="thumb"><img src="/img/%d.jpg" alt=""></a>' % (escape(href, True), i)
        time = '<time datetime="%s">%s</time>' % (iso(when), when.strftime("%d %b %H:%M")) if with_time else ""
        out.append('  <article class="%s">%s<h3><a href="%s">%s</a></h3>%s</article>\n'
                   % (cls, img if i % 2 == 0 else "", escape(href, True), escape(title), time))
    return "".join(out)


def family_pages(rng):
    """(name, page URL, html, article URLs) for each family."""
    fams = []

    # 1. /articles/<id>/<variant> (BBC 中文): ids are generated letters and digits, the variant a fixed word.
    def bbc_id():
        return "c" + "".join(rng.choice("0123456789abcdefghjklmnpqrstvwxyz") for _ in range(11))
    origin = "https://www.bbc.example"
    stories = [(origin + "/zhongwen/articles/%s/simp" % bbc_id(), zh_title(rng), BASE_TIME - dt.timedelta(hours=i))
               for i in range(14)]
    nav = li_links([("/zhongwen/simp", "主页"), ("/zhongwen/simp/topics/c83plve5vmjt", "国际"),
                    ("/zhongwen/simp/topics/c9wpm0en9jdt", "中国"), ("/zhongwen/simp/topics/cq8nqywy37yt", "财经"),
                    ("/zhongwen/simp/popular/read", "热读")])
    main = ('<section class="top-stories"><h2>头条新闻</h2>\n' + story_items(stories[:6]) + "</section>\n"
            + '<section class="more"><h2>更多新闻</h2><ul class="promo-list">\n'
            + "".join('<li class="promo"><a href="%s">%s</a></li>\n' % (h, escape(t)) for h, t, _ in stories[6:])
            + "</ul></section>\n"
            + '<section class="topics"><h2>话题</h2><a href="/zhongwen/simp/topics/cxyz1234abcd">气候变化</a> '
              '<a href="/zhongwen/simp/topics/cabc9876wxyz">中美关系</a></section>\n')
    footer = li_links([("/zhongwen/simp/institutional-49283195", "为什么你可以信赖BBC新闻"),
                       ("/zhongwen/simp/institutional-51359584", "编辑方针"), ("/usingthebbc/terms", "使用条款"),
                       ("/zhongwen/simp/send/u50853489", "联系BBC")])
    fams.append(("articles-id-variant", origin + "/zhongwen/simp",
                 page("BBC 中文", "", nav, main, footer, "zh-Hans"), [s[0] for s in stories]))

    # 2. /section/slug-1234567 (most newspaper CMSes).
    origin = "https://www.daily.example"
    stories = []
    for i in range(16):
        t = en_title(rng)
        section = rng.choice(["world/europe", "business", "politics", "uk-news", "world/asia"])
        stories.append((origin + "/%s/%s-%d" % (section, slug(t), 68000000 + rng.randrange(999999)), t,
                        BASE_TIME - dt.timedelta(minutes=37 * i)))
    nav = li_links([("/world", "World"), ("/world/europe", "Europe"), ("/business", "Business"),
                    ("/politics", "Politics"), ("/live/weather-forecast", "Weather")])
    main = ('<div class="lead">\n' + story_items(stories[:1]) + "</div>\n<div class=\"grid\">\n"
            + story_items(stories[1:12], cls="card") + "</div>\n"
            + '<div class="tags"><a href="/topic/climate-change">Climate change</a> '
              '<a href="/topic/cost-of-living-crisis">Cost of living crisis</a> '
              '<a href="/author/jane-mary-smith">Jane Mary Smith</a></div>\n'
            + '<aside class="most-read"><h2>Most read</h2><ol>\n'
            + "".join('<li><a href="%s">%s</a></li>\n' % (h, escape(t)) for h, t, _ in stories[12:]) + "</ol></aside>\n"
            + '<div class="pager"><a href="/news?page=2">More stories</a></div>\n')
    footer = li_links([("/about-us", "About us"), ("/help/contact-the-newsroom", "Contact the newsroom"),
                       ("/privacy", "Privacy"), ("/newsletters/morning-briefing-signup", "Morning briefing")])
    fams.append(("section-slug-id", origin + "/", page("The Daily", "", nav, main, footer), [s[0] for s in stories]))

    # 3. /2024/06/03/slug/ (WordPress permalinks).
    origin = "https://blog.example"
    stories = []
    for i in range(10):
        t = en_title(rng)
        when = BASE_TIME - dt.timedelta(hours=9 * i)
        stories.append((origin + when.strftime("/%Y/%m/%d/") + slug(t) + "/", t, when))
    nav = li_links([("/category/politics/", "Politics"), ("/category/local-news/", "Local news"),
                    ("/about/", "About")])
    main = (story_items(stories, cls="post")
            + '<div class="widget"><a href="/2024/06/">June 2024</a> <a href="/2024/05/">May 2024</a> '
              '<a href="/tag/city-council-meeting/">city council meeting</a></div>\n'
            + '<nav class="navigation pagination"><a class="next page-numbers" href="/page/2/">Older posts</a></nav>\n')
    footer = li_links([("/wp-login.php", "Log in"), ("/feed/", "Entries feed"), ("/comments/feed/", "Comments feed")])
    fams.append(("date-folders-slug", origin + "/", page("A blog", "", nav, main, footer), [s[0] for s in stories]))

    # 4. ?p=123 (WordPress without permalinks).
    origin = "http://plain.example"
    stories = [(origin + "/?p=%d" % (4000 - 17 * i), en_title(rng), BASE_TIME - dt.timedelta(hours=5 * i))
               for i in range(9)]
    nav = li_links([("/?page_id=2", "About"), ("/?cat=3", "News"), ("/?cat=7", "Sport")])
    main = (story_items(stories, cls="hentry")
            + '<div class="nav-links"><a href="/?paged=2">Older entries</a></div>\n')
    footer = li_links([("/wp-login.php", "Log in"), ("/?feed=rss2", "Entries RSS")])
    fams.append(("query-p", origin + "/", page("Plain", "", nav, main, footer), [s[0] for s in stories]))

    # 5. /news/123.html (regional portals).
    origin = "https://www.portal.example"
    stories = [(origin + "/news/%d.html" % (7811000 + 13 * i), en_title(rng), BASE_TIME - dt.timedelta(hours=i))
               for i in range(12)]
    nav = li_links([("/news/", "News"), ("/sports/index.html", "Sports"), ("/life/index.html", "Life")])
    main = ('<ul class="news-list">\n'
            + "".join('<li><span class="date">06-03</span><a href="%s">%s</a></li>\n' % (h, escape(t))
                      for h, t, _ in stories)
            + "</ul>\n<div class=\"pages\"><a href=\"/news/list_2.html\">2</a> <a href=\"/news/list_3.html\">3</a></div>\n")
    footer = li_links([("/about.html", "About"), ("/contact.html", "Contact")])
    fams.append(("news-number-html", origin + "/", page("Portal", "", nav, main, footer), [s[0] for s in stories]))

    # 6. numeric .shtml / .htm under date folders (Chinese portals).
    origin = "https://news.portal-cn.example"
    stories = []
    for i in range(14):
        when = BASE_TIME - dt.timedelta(hours=2 * i)
        if i % 2:
            href = origin + when.strftime("/c/%Y-%m-%d/") + "doc-inaxk%07d.shtml" % (3000000 + i * 7)
        else:
            href = origin + when.strftime("/n1/%Y/%m%d/") + "c1002-%d.html" % (40249000 + i)
        stories.append((href, zh_title(rng), when))
    nav = li_links([("/china/", "国内"), ("/world/index.shtml", "国际"), ("/roll/index.d.html", "滚动"),
                    ("/society/", "社会")])
    main = ('<div class="blk-news"><ul>\n'
            + "".join('<li><a href="%s" target="_blank">%s</a> <span class="time">%s</span></li>\n'
                      % (h, escape(t), w.strftime("%H:%M")) for h, t, w in stories)
            + "</ul></div>\n"
            + '<div class="hot-words"><a href="/zt/2024/lianghui.shtml">两会</a> '
              '<a href="/zt_d/keji/index.shtml">科技专题</a></div>\n')
    footer = li_links([("/about/aboutus.html", "关于我们"), ("/about/contactus.html", "联系我们"),
                       ("/help/", "帮助")])
    fams.append(("cn-portal-dated", origin + "/", page("新闻中心", "", nav, main, footer, "zh-Hans"),
                 [s[0] for s in stories]))
    return fams


# --- the sitemap site ------------------------------------------------------------------------------------------------

def article_page(origin, path, title, when, body_words):
    paragraphs = "".join("<p>%s</p>\n" % escape(p) for p in body_words)
    return """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>%s</title>
<link rel="canonical" href="%s%s">
<meta property="og:title" content="%s">
<meta property="article:published_time" content="%s">
</head><body>
<nav class="main-nav"><a href="/">Home</a> <a href="/world/">World</a></nav>
<article><h1>%s</h1><time datetime="%s">%s</time>
<div class="article-body">
%s</div></article>
<footer class="site-footer"><a href="/about-us">About us</a></footer>
</body></html>
""" % (escape(title), origin, escape(path, True), escape(title, True), iso(when), escape(title), iso(when),
       when.strftime("%d %B %Y"), paragraphs)


def body(rng, n=5):
    return [" ".join(rng.choice(EN_WORDS) for _ in range(40)).capitalize() + "." for _ in range(n)]


def sitemap_site(out, rng):
    origin = "https://sitemap.example"
    root = os.path.join(out, "sitemap-site")
    os.makedirs(os.path.join(root, "news"))
    os.makedirs(os.path.join(root, "sitemaps"))
    articles = []
    for i in range(30):
        title = en_title(rng)
        when = BASE_TIME - dt.timedelta(hours=3 * i)
        path = "/news/%s-%d.html" % (slug(title), 500100 + i)
        articles.append((path, title, when))
        with open(os.path.join(root, path.lstrip("/")), "w", encoding="utf-8") as f:
            f.write(article_page(origin, path, title, when, body(rng)))
    newest, older = articles[:10], articles[10:]
    # Google News sitemap: publication dates, titles, language; no lastmod (as Google's own examples).
    news = ['<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">']
    for path, title, when in newest:
        news.append("<url><loc>%s%s</loc><news:news><news:publication><news:name>Sitemap Example</news:name>"
                    "<news:language>en</news:language></news:publication><news:publication_date>%s"
                    "</news:publication_date><news:title>%s</news:title></news:news></url>"
                    % (origin, escape(path), iso(when), escape(title)))
    news.append("</urlset>\n")
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as g:
        g.write("\n".join(news).encode("utf-8"))
    with open(os.path.join(root, "sitemaps", "news.xml.gz"), "wb") as f:
        f.write(buffer.getvalue())
    archive = ['<?xml version="1.0" encoding="UTF-8"?>',
               '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path, _, when in reversed(older):  # oldest first, as archives often are: the reader sorts
        archive.append("<url><loc>%s%s</loc><lastmod>%s</lastmod><changefreq>never</changefreq></url>"
                       % (origin, escape(path), when.strftime("%Y-%m-%dT%H:%M:%S+00:00")))
    archive.append("</urlset>\n")
    with open(os.path.join(root, "sitemaps", "archive.xml"), "w", encoding="utf-8") as f:
        f.write("\n".join(archive))
    index = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
             "<sitemap><loc>%s/sitemaps/archive.xml</loc><lastmod>%s</lastmod></sitemap>" % (origin, iso(older[0][2])),
             "<sitemap><loc>%s/sitemaps/news.xml.gz</loc><lastmod>%s</lastmod></sitemap>" % (origin, iso(newest[0][2])),
             "</sitemapindex>\n"]
    with open(os.path.join(root, "sitemap_index.xml"), "w", encoding="utf-8") as f:
        f.write("\n".join(index))
    with open(os.path.join(root, "robots.txt"), "w") as f:
        f.write("User-agent: *\nDisallow: /search\n\nSitemap: %s/sitemap_index.xml\n" % origin)
    nav = li_links([("/world/", "World"), ("/business/", "Business"), ("/search", "Search")])
    stories = [(origin + p, t, w) for p, t, w in articles[:12]]
    main = '<div class="latest">\n' + story_items(stories, cls="teaser") + "</div>\n"
    footer = li_links([("/about-us", "About us"), ("/contact", "Contact")])
    with open(os.path.join(root, "index.html"), "w", encoding="utf-8") as f:
        f.write(page("Sitemap Example", "", nav, main, footer))
    return {"origin": origin, "sitemap": origin + "/sitemap_index.xml",
            "articles_newest_first": [origin + p for p, _, _ in articles],
            "homepage_articles": [s[0] for s in stories]}


# --- the feed site ---------------------------------------------------------------------------------------------------

def feed_site(out, rng):
    origin = "https://feed.example"
    root = os.path.join(out, "feed-site")
    os.makedirs(os.path.join(root, "stories"))
    os.makedirs(os.path.join(root, "world"))
    articles = []
    for i in range(8):
        title = en_title(rng)
        when = BASE_TIME - dt.timedelta(hours=4 * i)
        path = "/stories/%s-%d.html" % (slug(title), 9100 + i)
        articles.append((path, title, when))
        with open(os.path.join(root, path.lstrip("/")), "w", encoding="utf-8") as f:
            f.write(article_page(origin, path, title, when, body(rng)))
    items = "".join("<item><title>%s</title><link>%s%s</link><pubDate>%s</pubDate></item>\n"
                    % (escape(t), origin, escape(p), w.strftime("%a, %d %b %Y %H:%M:%S +0000")) for p, t, w in articles)
    with open(os.path.join(root, "feed.xml"), "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Feed Example</title>'
                "<link>%s/</link>\n%s</channel></rss>\n" % (origin, items))
    entries = "".join('<entry><title>%s</title><link rel="alternate" href="%s%s"/><id>%s%s</id><updated>%s</updated>'
                      "</entry>\n" % (escape(t), origin, escape(p), origin, escape(p), iso(w))
                      for p, t, w in articles[:4])
    with open(os.path.join(root, "world", "feed.xml"), "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
                "<title>Feed Example: World</title><id>%s/world/</id><updated>%s</updated>\n%s</feed>\n"
                % (origin, iso(articles[0][2]), entries))
    head = ('<link rel="alternate" type="application/rss+xml" title="Feed Example" href="/feed.xml">\n'
            '<link rel="alternate" type="application/atom+xml" title="World" href="/world/feed.xml">')
    main = '<p id="app">Loading…</p><script src="/app.js"></script>\n'
    with open(os.path.join(root, "index.html"), "w", encoding="utf-8") as f:
        f.write(page("Feed Example", head, li_links([("/world/", "World")]), main, li_links([("/about-us", "About")])))
    with open(os.path.join(out, "feeds.opml"), "w", encoding="utf-8") as f:
        f.write("""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Subscriptions exported from a feed reader</title><dateCreated>Mon, 03 Jun 2024 12:00:00 GMT</dateCreated></head>
  <body>
    <outline text="News" title="News">
      <outline type="rss" text="Feed Example" title="Feed Example" xmlUrl="%s/feed.xml" htmlUrl="%s/"/>
      <outline type="rss" text="Feed Example: World &amp; Europe" xmlUrl="%s/world/feed.xml" htmlUrl="%s/world/"/>
    </outline>
    <outline text="Empty folder"/>
  </body>
</opml>
""" % (origin, origin, origin, origin))
    return {"origin": origin, "feeds": [origin + "/feed.xml", origin + "/world/feed.xml"],
            "articles": [origin + p for p, _, _ in articles]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=20240603)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    os.makedirs(os.path.join(args.out, "families"))
    os.makedirs(os.path.join(args.out, "expected"))
    families = {}
    for name, url, html, articles in family_pages(rng):
        with open(os.path.join(args.out, "families", name + ".html"), "w", encoding="utf-8") as f:
            f.write(html)
        families[name] = {"file": "families/%s.html" % name, "url": url, "articles": articles}
    with open(os.path.join(args.out, "expected", "families.json"), "w", encoding="utf-8") as f:
        json.dump(families, f, ensure_ascii=False, indent=1)
    discovery = {"sitemap_site": sitemap_site(args.out, rng), "feed_site": feed_site(args.out, rng)}
    with open(os.path.join(args.out, "expected", "discovery.json"), "w", encoding="utf-8") as f:
        json.dump(discovery, f, ensure_ascii=False, indent=1)
    # The marker FixtureSite's cache looks for.
    with open(os.path.join(args.out, "expected", "manifest.json"), "w") as f:
        json.dump({"generator": "make_discovery.py", "families": sorted(families)}, f)


if __name__ == "__main__":
    main()
