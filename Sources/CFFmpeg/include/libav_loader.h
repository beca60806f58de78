// libav* is loaded on the first media call, not when heaters starts (libav_loader.c says why).
#ifndef HEATERS_LIBAV_LOADER_H
#define HEATERS_LIBAV_LOADER_H

/// Loads libav* if not yet loaded. NULL when loaded; else why not (a static string), so
/// that `heaters doctor` can say so instead of the process exiting.
const char *heaters_libav_load_failure(void);

/// The address of the libav function `name`, loading the libraries first. A libav that cannot
/// be loaded, or lacks the function, ends the process with a message saying what to install:
/// the media call that needed it has no way to go on (the trampolines call this).
void *heaters_libav_symbol(const char *name);

#endif
