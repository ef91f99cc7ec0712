"""lxml's bare parse of the same bytes (lxml.html.document_fromstring: a tree, no extraction). lxml wheels bundle
their own, newer libxml2; shown for reference next to Debian's libxml2 (xmlparse.c)."""
import sys
import lxml.html

for path in sys.argv[1:]:
    with open(path, "rb") as f:
        lxml.html.document_fromstring(f.read())
