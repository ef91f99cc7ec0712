// libxml2 for Swift. Debian's headers pull in ICU, whose types clash with Foundation's own ICU
// ("'UErrorCode' has different definitions in different modules"): switch the ICU part off
// before any other libxml2 header is read.
#ifndef HERALD_CLIBXML2_SHIM_H
#define HERALD_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>

// xmlFree is a global function pointer (not concurrency-safe in Swift 6); call it through a function.
static inline void herald_xml_free(void *p) { xmlFree(p); }

// xmlXPathNodeSetGetLength / xmlXPathNodeSetItem are macros.
static inline int herald_xpath_nodeset_count(xmlNodeSetPtr set) { return set ? set->nodeNr : 0; }
static inline xmlNodePtr herald_xpath_nodeset_item(xmlNodeSetPtr set, int i) {
    return (set && i >= 0 && i < set->nodeNr) ? set->nodeTab[i] : NULL;
}

// A structured error handler that drops everything: encoding errors reach stderr even with
// HTML_PARSE_NOERROR otherwise.
static void herald_xml_silent_error(void *ctx, xmlErrorPtr error) { (void)ctx; (void)error; }
static void herald_xml_silent_generic(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static inline void herald_xml_silence_errors(void) {
    xmlSetStructuredErrorFunc(NULL, herald_xml_silent_error);
    xmlSetGenericErrorFunc(NULL, herald_xml_silent_generic);
}

#endif
