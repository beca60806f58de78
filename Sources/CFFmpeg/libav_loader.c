// Opens libav* on the first media call. Linked the usual way, libavcodec alone brings ~130
// shared libraries (every codec Debian's FFmpeg is built with) whose symbol lookups cost each
// heaters process ~40 ms before main; `heaters status` or `clip list` need none of them.
// libav_trampolines.c (generated) forwards each libav function heaters calls to the address
// found here. The sonames come from the headers' major versions, so the ABI is the one compiled
// against.
#include "libav_loader.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <libavcodec/version.h>
#include <libavformat/version.h>
#include <libavutil/macros.h>
#include <libavutil/version.h>
#include <libswresample/version.h>
#include <libswscale/version.h>

#define SONAME(lib, major) "lib" lib ".so." AV_STRINGIFY(major)

static const char *const libraries[] = {
    SONAME("avformat", LIBAVFORMAT_VERSION_MAJOR), SONAME("avcodec", LIBAVCODEC_VERSION_MAJOR),
    SONAME("avutil", LIBAVUTIL_VERSION_MAJOR), SONAME("swscale", LIBSWSCALE_VERSION_MAJOR),
    SONAME("swresample", LIBSWRESAMPLE_VERSION_MAJOR),
};
#define LIBRARY_COUNT (sizeof libraries / sizeof libraries[0])

static void *handles[LIBRARY_COUNT];
static char failure[1024];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void *find(const char *name) {
    for (size_t i = 0; i < LIBRARY_COUNT; i++) {
        void *address = dlsym(handles[i], name);
        if (address != NULL) return address;
    }
    return NULL;
}

static void load(void) {
    for (size_t i = 0; i < LIBRARY_COUNT; i++) {
        handles[i] = dlopen(libraries[i], RTLD_LAZY | RTLD_LOCAL);
        if (handles[i] == NULL) {
            const char *why = dlerror();
            snprintf(failure, sizeof failure, "cannot load %s (%s)", libraries[i], why ? why : "unknown reason");
            return;
        }
    }
    // All at once: a libav of the right sonames that lacks one is refused now, not when a
    // job first needs that function.
    for (const char *const *name = heaters_libav_functions; *name != NULL; name++) {
        if (find(*name) == NULL) {
            snprintf(failure, sizeof failure, "cannot use libav: it has no %s (not the FFmpeg heaters was built against)", *name);
            return;
        }
    }
}

const char *heaters_libav_load_failure(void) {
    pthread_once(&once, load);
    return failure[0] ? failure : NULL;
}

void *heaters_libav_symbol(const char *name) {
    const char *why = heaters_libav_load_failure();
    if (why == NULL) {
        void *address = find(name);
        if (address != NULL) return address;
    }
    if (why != NULL) {
        fprintf(stderr, "heaters: %s: %s\n", why, HEATERS_LIBAV_FIX);
    } else {
        fprintf(stderr, "heaters: libav has no %s: install the FFmpeg heaters was built against (scripts/bootstrap)\n", name);
    }
    exit(69); /* EX_UNAVAILABLE */
}
