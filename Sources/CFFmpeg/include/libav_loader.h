// libav* is loaded on the first media call, not when heaters starts (libav_loader.c says why).
#ifndef HEATERS_LIBAV_LOADER_H
#define HEATERS_LIBAV_LOADER_H

/// What to do when libav cannot be loaded (the loader's message, doctor's fix, start-up's refusal).
#define HEATERS_LIBAV_FIX "install FFmpeg's libraries (apt install ffmpeg, or scripts/bootstrap)"

/// Loads libav* if not yet loaded and checks that it has every function heaters calls. NULL
/// when so; else why not (a static string), so that `heaters doctor` and start-up can say so
/// instead of the process exiting at the first media call.
const char *heaters_libav_load_failure(void);

/// The address of the libav function `name`, loading the libraries first. A libav that cannot
/// be loaded, or lacks the function, ends the process with a message saying what to install:
/// the media call that needed it has no way to go on (the trampolines call this).
void *heaters_libav_symbol(const char *name);

/// The functions the trampolines forward, NULL-terminated (generated with them).
extern const char *const heaters_libav_functions[];

#endif
