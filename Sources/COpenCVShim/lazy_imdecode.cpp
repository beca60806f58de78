#include "lazy_imdecode.hpp"

#include <dlfcn.h>
#include <mutex>
#include <stdexcept>
#include <string>

namespace hcv {

namespace {

using Imdecode = cv::Mat (*)(const cv::_InputArray &, int);

// Debian's soname: libopencv_imgcodecs.so.<major><minor as two digits>: .so.406 for 4.6.
const std::string library = "libopencv_imgcodecs.so." + std::to_string(CV_VERSION_MAJOR)
                            + (CV_VERSION_MINOR < 10 ? "0" : "") + std::to_string(CV_VERSION_MINOR);
// The mangled name of cv::imdecode(cv::_InputArray const&, int).
constexpr const char *symbol = "_ZN2cv8imdecodeERKNS_11_InputArrayEi";

Imdecode resolve() {
    // Debian's soname first; then the development link (libopencv-dev, which the build needs
    // anyway) for OpenCV builds that name their sonames otherwise.
    void *handle = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) handle = dlopen("libopencv_imgcodecs.so", RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        const char *why = dlerror();
        throw std::runtime_error(std::string("cannot load ") + library + " (install OpenCV's imgcodecs library, "
                                 "e.g. apt install libopencv-dev): " + (why ? why : "?"));
    }
    void *function = dlsym(handle, symbol);
    if (function == nullptr) throw std::runtime_error(library + " has no cv::imdecode");
    return reinterpret_cast<Imdecode>(function);
}

}  // namespace

cv::Mat lazy_imdecode(const cv::Mat &encoded, int flags) {
    static std::once_flag once;
    static Imdecode imdecode = nullptr;
    static std::string failure;
    std::call_once(once, [] {
        try {
            imdecode = resolve();
        } catch (const std::exception &error) {
            failure = error.what();
        }
    });
    if (imdecode == nullptr) throw std::runtime_error(failure);
    return imdecode(encoded, flags);
}

}  // namespace hcv
