// Shared by the shim's C entry points: no C++ exception may cross into Swift (it would
// abort the process), so each entry point runs its body through `guarded`.
#ifndef HEATERS_COPENCVSHIM_GUARDED_HPP
#define HEATERS_COPENCVSHIM_GUARDED_HPP

#include <cstddef>
#include <cstring>
#include <exception>

namespace hcv {

/// Copies `message` into the caller's error buffer (always terminated).
inline void write_error(char *err, size_t size, const char *message) {
    if (err == nullptr || size == 0) return;
    std::strncpy(err, message, size - 1);
    err[size - 1] = '\0';
}

/// Runs `body`; any exception becomes `failure` with its message in err.
template <typename Result, typename Body>
Result guarded(char *err, size_t err_size, Result failure, Body body) {
    try {
        return body();
    } catch (const std::exception &e) {
        write_error(err, err_size, e.what());
        return failure;
    } catch (...) {
        write_error(err, err_size, "unknown OpenCV error");
        return failure;
    }
}

}  // namespace hcv

#endif
