// zlib for Swift: a streaming gunzip whose read callback has libxml2's xmlInputReadCallback shape, so a gzip'd
// sitemap is inflated chunk by chunk while libxml2's reader walks it (memory stays flat however big it inflates).
#ifndef HERALD_CZLIB_SHIM_H
#define HERALD_CZLIB_SHIM_H

#include <string.h>
#include <zlib.h>

typedef struct herald_gunzip {
    z_stream stream;
    unsigned long long limit;  // most bytes it may inflate to (a gzip bomb stops here, as an error)
    int finished;
    int failed;
} herald_gunzip;

// Starts inflating `count` bytes (gzip or zlib framing, detected). The bytes must outlive the stream. 0 = ready.
static inline int herald_gunzip_begin(herald_gunzip *g, const unsigned char *bytes, size_t count,
                                      unsigned long long limit) {
    memset(g, 0, sizeof *g);
    g->stream.next_in = (Bytef *)bytes;
    g->stream.avail_in = (uInt)count;
    g->limit = limit;
    return inflateInit2(&g->stream, 15 + 32) == Z_OK ? 0 : -1;
}

// xmlInputReadCallback: fills `buffer` with up to `length` inflated bytes; 0 at the end, -1 on corrupt input or
// when the limit is passed. Concatenated gzip members are read one after another, as gunzip does.
static inline int herald_gunzip_read(void *context, char *buffer, int length) {
    herald_gunzip *g = (herald_gunzip *)context;
    if (g->finished || length <= 0) return g->failed ? -1 : 0;
    g->stream.next_out = (Bytef *)buffer;
    g->stream.avail_out = (uInt)length;
    while (g->stream.avail_out > 0) {
        int status = inflate(&g->stream, Z_NO_FLUSH);
        if (status == Z_STREAM_END) {
            if (g->stream.avail_in > 0 && inflateReset(&g->stream) == Z_OK) continue;
            g->finished = 1;
            break;
        }
        if (status != Z_OK) {  // Z_BUF_ERROR with no input left: the stream was cut off
            g->finished = 1;
            g->failed = 1;
            break;
        }
    }
    if (g->stream.total_out > g->limit) {
        g->finished = 1;
        g->failed = 1;
    }
    int produced = length - (int)g->stream.avail_out;
    return (g->failed && produced == 0) ? -1 : produced;
}

static inline int herald_gunzip_failed(const herald_gunzip *g) { return g->failed; }

static inline void herald_gunzip_end(herald_gunzip *g) { inflateEnd(&g->stream); }

#endif
