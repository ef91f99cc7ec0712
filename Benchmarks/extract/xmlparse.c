/* The floor for any libxml2-based extractor: Debian's libxml2 parses each file's bytes into a tree and frees it,
 * nothing else (no extraction, no output). Same options as Herald: RECOVER | NOERROR | NOWARNING | NONET, UTF-8.
 *   gcc -O2 xmlparse.c $(pkg-config --cflags --libs libxml-2.0) -o xmlparse; ./xmlparse FILE... */
#include <stdio.h>
#include <stdlib.h>
#include <libxml/HTMLparser.h>

static void quiet(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }

int main(int argc, char **argv) {
    xmlSetGenericErrorFunc(NULL, quiet);
    int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET;
    long nodes = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) { perror(argv[i]); return 1; }
        fseek(f, 0, SEEK_END);
        long size = ftell(f);
        fseek(f, 0, SEEK_SET);
        char *bytes = malloc(size);
        if (fread(bytes, 1, size, f) != (size_t)size) { perror(argv[i]); return 1; }
        fclose(f);
        htmlDocPtr doc = htmlReadMemory(bytes, (int)size, argv[i], "UTF-8", options);
        if (!doc) { fprintf(stderr, "%s: no document\n", argv[i]); return 1; }
        xmlNodePtr root = xmlDocGetRootElement(doc);
        if (root) nodes += xmlChildElementCount(root);
        xmlFreeDoc(doc);
        free(bytes);
    }
    printf("%d files parsed (%ld top-level elements)\n", argc - 1, nodes);
    return 0;
}
