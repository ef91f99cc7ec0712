"""The Scrapy side of the crawl benchmark: the job `herald crawl` does, written as a Scrapy user would.

Listing pages (following <link rel="next">) -> article links (the same URL pattern as Herald's rfi profile) ->
each article page -> title, published/modified time, lead, body (HTML of the body div, and its text: one line per
p/h2/h3/li block, skipping the ad interstitial and self-promo blocks, whitespace normalised) -> one row per article
in SQLite, one transaction per article (as Herald), WAL mode.

    scrapy runspider rfi_spider.py -a start=URL,URL,... -a db=PATH -s CONCURRENT_REQUESTS=8 ...
"""
import re
import sqlite3

import scrapy

ARTICLE = re.compile(r"^https?://[^/?#]+/cn/(?:%E4%B8%93%E6%A0%8F%E6%A3%80%E7%B4%A2/[^/?#]+|[^/?#]+)/[0-9]{8}-[^/?#]+$")
SPACE = re.compile(r"[ \t\n\f\r]+")
BLOCKS = ("descendant::*[self::p or self::h2 or self::h3 or self::li]"
          "[not(ancestor::*[contains(concat(' ', normalize-space(@class), ' '), ' m-interstitial ')"
          " or contains(concat(' ', normalize-space(@class), ' '), ' o-self-promo ')])]")


def norm(text):
    return SPACE.sub(" ", text).strip(" ")


class RFISpider(scrapy.Spider):
    name = "rfi"

    def __init__(self, start="", db="scrapy.db", **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [u for u in start.split(",") if u]
        self.db_path = db

    def parse(self, response):
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href).split("#", 1)[0]
            if ARTICLE.match(url):
                yield scrapy.Request(url, callback=self.parse_article)
        next_page = response.css('link[rel="next"]::attr(href)').get()
        if next_page:
            yield response.follow(next_page, callback=self.parse)

    def parse_article(self, response):
        body = response.css("div.t-content__body")
        if not body:
            return
        blocks = (norm("".join(b.xpath(".//text()").getall())) for b in body[0].xpath(BLOCKS))
        yield {
            # The link followed, before nginx's 301 to the trailing-slash form (Herald keys articles the same way).
            "url": response.request.meta.get("redirect_urls", [response.url])[0],
            "canonical_url": response.css('link[rel="canonical"]::attr(href)').get(),
            "title": norm("".join(response.css("h1.t-content__title ::text").getall())),
            "published_at": response.css('meta[property="article:published_time"]::attr(content)').get(),
            "modified_at": response.css('meta[property="article:modified_time"]::attr(content)').get(),
            "lead": norm("".join(response.css("p.t-content__chapo ::text").getall())),
            "body_html": body[0].get(),
            "body_text": "\n".join(b for b in blocks if b),
        }


class SQLitePipeline:
    def open_spider(self, spider):
        self.db = sqlite3.connect(spider.db_path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute("""CREATE TABLE IF NOT EXISTS articles (id INTEGER PRIMARY KEY, url TEXT UNIQUE,
            canonical_url TEXT, title TEXT, published_at TEXT, modified_at TEXT, lead TEXT, body_html TEXT,
            body_text TEXT)""")

    def process_item(self, item, spider):
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute("""INSERT OR IGNORE INTO articles (url, canonical_url, title, published_at, modified_at, lead,
            body_html, body_text) VALUES (:url, :canonical_url, :title, :published_at, :modified_at, :lead,
            :body_html, :body_text)""", item)
        self.db.execute("COMMIT")
        return item

    def close_spider(self, spider):
        self.db.close()


RFISpider.custom_settings = {"ITEM_PIPELINES": {SQLitePipeline: 300}}
