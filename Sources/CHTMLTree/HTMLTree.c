// libxml2's HTML parser with its own tree builder: the SAX callbacks below build exactly the tree libxml2's
// (SAX2.c, 2.9.14) builds for HTML, but every node, attribute and string lives in one arena per document that is
// freed at once.
//
// Why: on Herald's generic extraction of real pages, libxml2 2.9.14 building its tree (a malloc per node, per
// attribute, per name and per text, and `xmlFreeDoc` walking it all again to free) was about a third of libxml2's
// time, and libxml2 about half of all the time (docs/extraction.md). The tokenizer, the HTML recovery rules and
// the element stack stay libxml2's: only the callbacks that create nodes are replaced, so the tree's shape is the
// one libxml2 builds (checked byte for byte on 1,032 real pages).
//
// Each callback below names the libxml2 function it mirrors. What they leave out, and why it is safe:
// - DTD validation and namespaces: off for HTML in libxml2 too (`ctxt->html`, no DTD attribute declarations);
// - node registration callbacks (`xmlRegisterNodeDefault`): Herald registers none;
// - `xmlAddRef`: never for HTML documents.
// The document node, its DTD and its ID table stay libxml2's (malloc'd) and `xmlFreeDoc` frees them; the arena's
// nodes are unlinked from the document first.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/SAX2.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/valid.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "HTMLTree.h"

// ---- the arena ------------------------------------------------------------------------------------------------

typedef struct Chunk {
    struct Chunk *next;
    size_t size;
    size_t used;
    max_align_t data[];
} Chunk;

typedef struct Arena {
    Chunk *chunks;
    int failed;  // an allocation failed: the parse is stopped and the document discarded
    // The runs of text moved out of the page (herald_html_read), during the parse only.
    const unsigned char *texts;
    const int *textEnds;
    int textCount;
    // The start of a marker that libxml2 reported at the end of one characters() call (its 1,000-byte buffer was
    // full), completed by the next.
    unsigned char pending[32];
    int pendingLength;
    xmlElementType pendingType;
    // Number the generic profile's `_h` marker attributes (herald_html_read), and how many were numbered.
    int numbersMarkers;
    int markerCount;
    // U+E002 in text stands for one space (herald_html_read).
    int spaceMarkers;
    // The parser's dictionary, kept as long as the tree: element and attribute names point into it, as in trees
    // libxml2 builds with a dictionary (speed: a copy of every name was a tenth of building the tree).
    xmlDictPtr dict;
} Arena;

enum { FIRST_CHUNK = 32 * 1024, LARGEST_CHUNK = 1024 * 1024 };

static void *arena_alloc(Arena *arena, size_t size) {
    size = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
    Chunk *chunk = arena->chunks;
    if (chunk == NULL || chunk->size - chunk->used < size) {
        size_t next = chunk == NULL ? FIRST_CHUNK : chunk->size * 2;
        if (next > LARGEST_CHUNK) next = LARGEST_CHUNK;
        if (next < size) next = size;
        Chunk *fresh = malloc(sizeof(Chunk) + next);
        if (fresh == NULL) {
            arena->failed = 1;
            return NULL;
        }
        fresh->size = next;
        fresh->used = 0;
        fresh->next = chunk;
        arena->chunks = fresh;
        chunk = fresh;
    }
    void *result = (char *)chunk->data + chunk->used;
    chunk->used += size;
    return result;
}

static void arena_free(Arena *arena) {
    if (arena->dict != NULL) xmlDictFree(arena->dict);
    Chunk *chunk = arena->chunks;
    while (chunk != NULL) {
        Chunk *next = chunk->next;
        free(chunk);
        chunk = next;
    }
    free(arena);
}

static xmlChar *arena_strndup(Arena *arena, const xmlChar *text, size_t length) {
    xmlChar *copy = arena_alloc(arena, length + 1);
    if (copy == NULL) return NULL;
    memcpy(copy, text, length);
    copy[length] = 0;
    return copy;
}

static xmlChar *arena_strdup(Arena *arena, const xmlChar *text) {
    return arena_strndup(arena, text, strlen((const char *)text));
}

// ---- building -------------------------------------------------------------------------------------------------

static Arena *arena_of(xmlParserCtxtPtr ctxt) { return ctxt->_private; }

static void flush_pending(xmlParserCtxtPtr ctxt);

/// Stops the parse after an allocation failed; `herald_html_read` then returns NULL.
static void fail(xmlParserCtxtPtr ctxt) {
    arena_of(ctxt)->failed = 1;
    xmlStopParser(ctxt);
}

static xmlNodePtr new_node(xmlParserCtxtPtr ctxt, xmlElementType type, const xmlChar *name) {
    xmlNodePtr node = arena_alloc(arena_of(ctxt), sizeof(xmlNode));
    if (node == NULL) {
        fail(ctxt);
        return NULL;
    }
    memset(node, 0, sizeof(xmlNode));
    node->type = type;
    node->name = name;
    node->doc = ctxt->myDoc;
    if (ctxt->linenumbers && ctxt->input != NULL)
        node->line = ctxt->input->line < USHRT_MAX ? (unsigned short)ctxt->input->line : USHRT_MAX;
    return node;
}

/// `xmlAddChild` for a node that is not text to merge (elements, comments, PIs, and text whose merge
/// `xmlSAX2Text` has already ruled out).
static void add_child(xmlNodePtr parent, xmlNodePtr node) {
    node->parent = parent;
    if (parent->children == NULL) {
        parent->children = node;
    } else {
        node->prev = parent->last;
        parent->last->next = node;
    }
    parent->last = node;
}

/// `xmlAddSibling` for a node that is not text: appended after the last sibling of `sibling`.
static void add_sibling(xmlNodePtr sibling, xmlNodePtr node) {
    xmlNodePtr last = sibling;
    if (sibling->parent != NULL && sibling->parent->children != NULL && sibling->parent->last != NULL &&
        sibling->parent->last->next == NULL) {
        last = sibling->parent->last;
    } else {
        while (last->next != NULL) last = last->next;
    }
    node->prev = last;
    node->next = NULL;
    node->parent = last->parent;
    last->next = node;
    if (last->parent != NULL) last->parent->last = node;
}

/// Where `xmlSAX2Comment` and `xmlSAX2ProcessingInstruction` put a node.
static void add_outside_text(xmlParserCtxtPtr ctxt, xmlNodePtr node) {
    xmlNodePtr parent = ctxt->node;
    if (ctxt->inSubset != 0) return;  // inside a DTD's internal subset: never in HTML
    if (parent == NULL)
        add_child((xmlNodePtr)ctxt->myDoc, node);
    else if (parent->type == XML_ELEMENT_NODE)
        add_child(parent, node);
    else
        add_sibling(parent, node);
}

/// `xmlSAX2AttributeInternal` for HTML: the attribute, its value as one text child, the ID registered.
static void add_attribute(xmlParserCtxtPtr ctxt, xmlNodePtr element, const xmlChar *name, const xmlChar *value) {
    Arena *arena = arena_of(ctxt);
    // `<option selected>` reads as selected="selected". The first letter first: every value-less `_h<n>` marker of
    // the generic profile came here, and htmlIsBooleanAttr compares with its thirteen names one by one.
    if (value == NULL && strchr("cdimnrsCDIMNRS", name[0]) != NULL && name[0] != 0 && htmlIsBooleanAttr(name))
        value = name;
    xmlAttrPtr attribute = arena_alloc(arena, sizeof(xmlAttr));
    if (attribute == NULL) {
        fail(ctxt);
        return;
    }
    memset(attribute, 0, sizeof(xmlAttr));
    attribute->type = XML_ATTRIBUTE_NODE;
    attribute->name = name;  // the dictionary's (see Arena.dict)
    attribute->parent = element;
    attribute->doc = ctxt->myDoc;
    // The stripper's marker (`_h`, no value): the n-th one the page holds is element n - 1 of its AttributeTable.
    // The number goes in the application's field, so the tree (and its serialisation) stays libxml2's.
    // The element gets the number too, so a lookup of its moved values need not walk its attributes.
    if (value == NULL && arena->numbersMarkers && name[0] == '_' && name[1] == 'h' && name[2] == 0) {
        attribute->_private = (void *)(intptr_t)(++arena->markerCount);
        element->_private = attribute->_private;
    }
    if (element->properties == NULL) {
        element->properties = attribute;
    } else {
        xmlAttrPtr last = element->properties;
        while (last->next != NULL) last = last->next;
        last->next = attribute;
        attribute->prev = last;
    }
    if (value == NULL) return;
    xmlNodePtr text = new_node(ctxt, XML_TEXT_NODE, xmlStringText);
    if (text == NULL) return;
    text->line = 0;  // xmlNewDocText sets none
    text->content = arena_strdup(arena, value);
    if (text->content == NULL) {
        fail(ctxt);
        return;
    }
    text->parent = (xmlNodePtr)attribute;
    attribute->children = text;
    attribute->last = text;
    // As libxml2 does for HTML documents (xmlIsID): `id`, and `name` on `<a>`, go in the document's ID table.
    if (xmlIsID(ctxt->myDoc, element, attribute)) xmlAddID(&ctxt->vctxt, ctxt->myDoc, value, attribute);
}

/// `xmlSAX2StartElement` for HTML.
static void start_element(void *context, const xmlChar *fullname, const xmlChar **attributes) {
    xmlParserCtxtPtr ctxt = context;
    flush_pending(ctxt);
    if (fullname == NULL || ctxt->myDoc == NULL) return;
    Arena *arena = arena_of(ctxt);
    xmlNodePtr parent = ctxt->node;

    // The tag name as xmlSplitQName leaves it (`o:p` is an element named `p` in HTML, its prefix dropped). Names
    // are the dictionary's (see Arena.dict) or, for elements libxml2 implies, its constant strings.
    const xmlChar *name;
    if (strchr((const char *)fullname, ':') == NULL) {
        name = fullname;
    } else {
        xmlChar *prefix = NULL;
        xmlChar *local = xmlSplitQName(ctxt, fullname, &prefix);
        name = local == NULL ? NULL : arena_strdup(arena, local);
        xmlFree(local);
        xmlFree(prefix);
    }
    if (name == NULL) {
        fail(ctxt);
        return;
    }
    xmlNodePtr element = new_node(ctxt, XML_ELEMENT_NODE, name);
    if (element == NULL) return;

    int isRoot = ctxt->myDoc->children == NULL;
    if (isRoot)
        add_child((xmlNodePtr)ctxt->myDoc, element);
    else if (parent == NULL)
        parent = ctxt->myDoc->children;
    ctxt->nodemem = -1;
    if (nodePush(ctxt, element) < 0) {  // too deep: libxml2 stops the parse
        if (isRoot) {
            ctxt->myDoc->children = NULL;
            ctxt->myDoc->last = NULL;
        }
        return;
    }
    if (parent != NULL) {
        if (parent->type == XML_ELEMENT_NODE)
            add_child(parent, element);
        else
            add_sibling(parent, element);
    }
    if (attributes == NULL) return;
    for (int i = 0; attributes[i] != NULL; i += 2) add_attribute(ctxt, element, attributes[i], attributes[i + 1]);
}

/// `xmlSAX2EndElement`.
static void end_element(void *context, const xmlChar *name) {
    (void)name;
    xmlParserCtxtPtr ctxt = context;
    flush_pending(ctxt);
    ctxt->nodemem = -1;
    nodePop(ctxt);
}

/// `xmlSAX2Text`: text and CDATA (a `<script>`'s content), merged into the last child when it is the same kind, with
/// libxml2's `nodelen`/`nodemem` bookkeeping (the length and capacity of that child's content).
static void add_text(xmlParserCtxtPtr ctxt, const xmlChar *text, int length, xmlElementType type) {
    xmlNodePtr parent = ctxt->node;
    if (parent == NULL) return;
    Arena *arena = arena_of(ctxt);
    xmlNodePtr last = parent->last;
    int coalesce = last != NULL && last->type == type && (type != XML_TEXT_NODE || last->name == xmlStringText);
    if (last != NULL && coalesce && ctxt->nodemem != 0) {
        if ((size_t)ctxt->nodelen + (size_t)length > XML_MAX_TEXT_LENGTH && (ctxt->options & XML_PARSE_HUGE) == 0)
            return;  // libxml2 drops the rest of a text over 10 MB ("huge text node")
        if (ctxt->nodelen + length >= ctxt->nodemem) {
            size_t size = ((size_t)ctxt->nodemem + (size_t)length) * 2;
            xmlChar *grown = arena_alloc(arena, size);
            if (grown == NULL) {
                fail(ctxt);
                return;
            }
            memcpy(grown, last->content, (size_t)ctxt->nodelen);
            last->content = grown;
            ctxt->nodemem = (int)size;
        }
        memcpy(&last->content[ctxt->nodelen], text, (size_t)length);
        ctxt->nodelen += length;
        last->content[ctxt->nodelen] = 0;
        return;
    }
    if (last != NULL && coalesce) {  // xmlTextConcat: no capacity known
        size_t had = strlen((const char *)last->content);
        xmlChar *joined = arena_alloc(arena, had + (size_t)length + 1);
        if (joined == NULL) {
            fail(ctxt);
            return;
        }
        memcpy(joined, last->content, had);
        memcpy(joined + had, text, (size_t)length);
        joined[had + (size_t)length] = 0;
        last->content = joined;
        ctxt->nodelen = (int)(had + (size_t)length);
        ctxt->nodemem = ctxt->nodelen + 1;
        return;
    }
    // A new node: xmlSAX2TextNode (its line number) or xmlNewCDataBlock (none).
    xmlNodePtr node = new_node(ctxt, type, type == XML_TEXT_NODE ? xmlStringText : NULL);
    if (node == NULL) return;
    if (type != XML_TEXT_NODE) node->line = 0;
    node->content = arena_strndup(arena, text, (size_t)length);
    if (node->content == NULL) {
        fail(ctxt);
        return;
    }
    add_child(parent, node);
    ctxt->nodelen = length;
    ctxt->nodemem = length + 1;
}

// ---- moved text ------------------------------------------------------------------------------------------------

enum { MARKER_LENGTH_MAX = 3 + 9 + 3 };  // U+E000, up to nine digits, U+E001

static int is_marker_start(const xmlChar *text, int length) {
    return text[0] == 0xEE && (length < 2 || text[1] == 0x80) && (length < 3 || text[2] == 0x80);
}

/// The length of the whole marker at `text` (which starts like one) and its number; 0 when the bytes are not a
/// marker, -1 when they could be the start of one that `length` cuts off.
static int read_marker(const xmlChar *text, int length, int *number) {
    static const xmlChar terminator[3] = {0xEE, 0x80, 0x81};
    if (length < 3) return -1;
    int i = 3;
    long value = 0;
    while (i < length && i < 3 + 9 && text[i] >= '0' && text[i] <= '9') value = value * 10 + (text[i++] - '0');
    if (i == length) return -1;
    if (i == 3) return 0;
    for (int k = 0; k < 3; k++) {
        if (i + k == length) return -1;
        if (text[i + k] != terminator[k]) return 0;
    }
    *number = (int)value;
    return i + 3;
}

/// Adds `text` (libxml2's characters, or a script's CDATA) to the tree with each marker replaced by the run of text
/// it stands for.
static void add_text_with_markers(xmlParserCtxtPtr ctxt, const xmlChar *text, int length, xmlElementType type) {
    Arena *arena = arena_of(ctxt);
    int plain = 0;
    int i = 0;
    while (i < length) {
        const xmlChar *lead = memchr(text + i, 0xEE, (size_t)(length - i));
        if (lead == NULL) break;
        i = (int)(lead - text);
        if (arena->spaceMarkers && length - i >= 3 && text[i + 1] == 0x80 && text[i + 2] == 0x82) {
            if (i > plain) add_text(ctxt, text + plain, i - plain, type);
            add_text(ctxt, (const xmlChar *)" ", 1, type);
            i += 3;
            plain = i;
            continue;
        }
        if (!is_marker_start(text + i, length - i)) {
            i += 1;
            continue;
        }
        int number = 0;
        int markerLength = read_marker(text + i, length - i, &number);
        if (markerLength < 0 && length - i <= MARKER_LENGTH_MAX) {  // cut off: completed by the next call
            if (i > plain) add_text(ctxt, text + plain, i - plain, type);
            memcpy(arena->pending, text + i, (size_t)(length - i));
            arena->pendingLength = length - i;
            arena->pendingType = type;
            return;
        }
        if (markerLength <= 0 || number >= arena->textCount) {
            i += 1;
            continue;
        }
        if (i > plain) add_text(ctxt, text + plain, i - plain, type);
        int start = number == 0 ? 0 : arena->textEnds[number - 1];
        add_text(ctxt, arena->texts + start, arena->textEnds[number] - start, type);
        i += markerLength;
        plain = i;
    }
    if (length > plain) add_text(ctxt, text + plain, length - plain, type);
}

/// The bytes of a cut-off marker that no call completed go in as they are (never with Herald's stripper: a marker
/// holds no `<` or `&`, so libxml2 reports it whole except at its buffer's end, and the next call continues it).
static void flush_pending(xmlParserCtxtPtr ctxt) {
    Arena *arena = arena_of(ctxt);
    if (arena->pendingLength == 0) return;
    int length = arena->pendingLength;
    arena->pendingLength = 0;
    add_text(ctxt, arena->pending, length, arena->pendingType);
}

/// Text or CDATA from libxml2, markers replaced (see add_text_with_markers).
static void add_reported_text(xmlParserCtxtPtr ctxt, const xmlChar *text, int length, xmlElementType type) {
    Arena *arena = arena_of(ctxt);
    if (arena->textCount == 0 && !arena->spaceMarkers) {
        add_text(ctxt, text, length, type);
        return;
    }
    if (arena->pendingLength == 0 || arena->pendingType != type) {
        flush_pending(ctxt);
        add_text_with_markers(ctxt, text, length, type);
        return;
    }
    // A marker was cut off: its start and this call's bytes, read as one.
    int joinedLength = arena->pendingLength + length;
    xmlChar *joined = malloc((size_t)joinedLength);
    if (joined == NULL) {
        fail(ctxt);
        return;
    }
    memcpy(joined, arena->pending, (size_t)arena->pendingLength);
    memcpy(joined + arena->pendingLength, text, (size_t)length);
    arena->pendingLength = 0;
    add_text_with_markers(ctxt, joined, joinedLength, type);
    free(joined);
}

static void characters(void *context, const xmlChar *text, int length) {
    add_reported_text(context, text, length, XML_TEXT_NODE);
}

/// A script's text (the generic profile's stripper moves the text of a JSON-LD script out too).
static void cdata_block(void *context, const xmlChar *text, int length) {
    add_reported_text(context, text, length, XML_CDATA_SECTION_NODE);
}

/// `xmlSAX2Comment`.
static void comment(void *context, const xmlChar *value) {
    xmlParserCtxtPtr ctxt = context;
    flush_pending(ctxt);
    xmlNodePtr node = new_node(ctxt, XML_COMMENT_NODE, xmlStringComment);
    if (node == NULL) return;
    node->content = arena_strdup(arena_of(ctxt), value);
    if (node->content == NULL) {
        fail(ctxt);
        return;
    }
    add_outside_text(ctxt, node);
}

/// `xmlSAX2ProcessingInstruction`.
static void processing_instruction(void *context, const xmlChar *target, const xmlChar *data) {
    xmlParserCtxtPtr ctxt = context;
    flush_pending(ctxt);
    Arena *arena = arena_of(ctxt);
    if (target == NULL) return;
    xmlChar *name = arena_strdup(arena, target);
    if (name == NULL) {
        fail(ctxt);
        return;
    }
    xmlNodePtr node = new_node(ctxt, XML_PI_NODE, name);
    if (node == NULL) return;
    if (data != NULL) {
        node->content = arena_strdup(arena, data);
        if (node->content == NULL) {
            fail(ctxt);
            return;
        }
    }
    add_outside_text(ctxt, node);
}

// ---- the document ---------------------------------------------------------------------------------------------

/// Unlinks the arena's nodes from `document` and frees both. The DTD node (libxml2's) stays linked for xmlFreeDoc.
static void free_document(xmlDocPtr document, Arena *arena) {
    xmlNodePtr dtd = (xmlNodePtr)document->intSubset;
    if (dtd != NULL) {
        dtd->prev = NULL;
        dtd->next = NULL;
    }
    document->children = dtd;
    document->last = dtd;
    document->_private = NULL;
    xmlFreeDoc(document);
    arena_free(arena);
}

// What htmlReadMemory and htmlDoRead (HTMLparser.c) do, with this file's callbacks in the SAX handler.
void *herald_html_read(
    const char *bytes, int length, int options, const unsigned char *texts, const int *textEnds, int textCount,
    int markers, int spaceMarkers) {
    xmlInitParser();
    Arena *arena = calloc(1, sizeof(Arena));
    if (arena == NULL) return NULL;
    arena->numbersMarkers = markers > 0;
    arena->spaceMarkers = spaceMarkers;
    if (texts != NULL && textEnds != NULL && textCount > 0) {
        arena->texts = texts;
        arena->textEnds = textEnds;
        arena->textCount = textCount;
    }
    xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(bytes, length);
    if (ctxt == NULL) {
        arena_free(arena);
        return NULL;
    }
    htmlDefaultSAXHandlerInit();
    if (ctxt->sax != NULL) {
        memcpy(ctxt->sax, &htmlDefaultSAXHandler, sizeof(xmlSAXHandlerV1));
        ctxt->sax->startElement = start_element;
        ctxt->sax->endElement = end_element;
        ctxt->sax->characters = characters;
        ctxt->sax->cdataBlock = cdata_block;
        ctxt->sax->comment = comment;
        ctxt->sax->processingInstruction = processing_instruction;
    }
    ctxt->_private = arena;
    if (ctxt->dict != NULL) {
        xmlDictReference(ctxt->dict);
        arena->dict = ctxt->dict;
    }
    htmlCtxtUseOptions(ctxt, options);
    ctxt->html = 1;
    xmlCharEncodingHandlerPtr utf8 = xmlFindCharEncodingHandler("UTF-8");
    if (utf8 != NULL) {
        xmlSwitchToEncoding(ctxt, utf8);
        if (ctxt->input->encoding != NULL) xmlFree((xmlChar *)ctxt->input->encoding);
        ctxt->input->encoding = xmlStrdup((const xmlChar *)"UTF-8");
    }
    htmlParseDocument(ctxt);
    flush_pending(ctxt);
    arena->texts = NULL;  // the caller's, valid during the call only
    arena->textEnds = NULL;
    arena->textCount = 0;
    xmlDocPtr document = ctxt->myDoc;
    ctxt->myDoc = NULL;
    xmlFreeParserCtxt(ctxt);
    if (document == NULL) {
        arena_free(arena);
        return NULL;
    }
    // Every marker the stripper wrote must have been numbered, or the numbers could be off (never seen: libxml2
    // drops only misplaced `<html>`, `<head>` and `<body>` tags, which carry none). The caller then parses the page
    // again without moving anything.
    if (arena->failed || (markers > 0 && arena->markerCount != markers)) {
        free_document(document, arena);
        return NULL;
    }
    document->_private = arena;
    return document;
}

void herald_html_free(void *document) {
    if (document == NULL) return;
    xmlDocPtr doc = document;
    free_document(doc, doc->_private);
}
