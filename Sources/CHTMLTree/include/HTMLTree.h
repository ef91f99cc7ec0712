// libxml2's HTML parser with the tree's nodes built in one arena (see HTMLTree.c for why).
//
// The types are `void *` on purpose: CLibXML2 is the module that declares libxml2's types to Swift, and a second
// module including the same headers would give Swift two distinct `xmlDoc` types.
#ifndef HERALD_HTML_TREE_H
#define HERALD_HTML_TREE_H

/// Parses `length` bytes of UTF-8 HTML as `htmlReadMemory(bytes, length, NULL, "UTF-8", options)` does, and returns
/// the same tree (an `xmlDocPtr`), or NULL where it returns NULL. Free it with `herald_html_free`, never
/// `xmlFreeDoc`. The tree must not be modified (no node may be added, removed or freed).
void *herald_html_read(const char *bytes, int length, int options);

/// Frees a document `herald_html_read` returned.
void herald_html_free(void *document);

#endif
