// libxml2's HTML parser with the tree's nodes built in one arena (see HTMLTree.c for why).
//
// The types are `void *` on purpose: CLibXML2 is the module that declares libxml2's types to Swift, and a second
// module including the same headers would give Swift two distinct `xmlDoc` types.
#ifndef HERALD_HTML_TREE_H
#define HERALD_HTML_TREE_H

/// Parses `length` bytes of UTF-8 HTML as `htmlReadMemory(bytes, length, NULL, "UTF-8", options)` does, and returns
/// the same tree (an `xmlDocPtr`), or NULL where it returns NULL. Free it with `herald_html_free`, never
/// `xmlFreeDoc`. The tree must not be modified (no node may be added, removed or freed).
///
/// `texts` holds `textCount` runs of text moved out of the bytes (run k ends at `textEnds[k]`, each starts where
/// the previous ends); where the text of the page holds a marker (U+E000, k in decimal, U+E001) the tree gets run k
/// instead, in text and in a script's text alike. `texts` may be NULL when `textCount` is 0; it is read only during
/// the call.
///
/// With `markers` > 0, the bytes hold that many value-less `_h` attributes (the generic profile's stripper's
/// markers): the n-th one's `_private`, and its element's, is set to n (1-based). NULL when libxml2 reported another
/// number of them.
///
/// With `spaceMarkers`, U+E002 in text stands for one space.
void *herald_html_read(
    const char *bytes, int length, int options, const unsigned char *texts, const int *textEnds, int textCount,
    int markers, int spaceMarkers);

/// Frees a document `herald_html_read` returned.
void herald_html_free(void *document);

#endif
