// JPEG decoding through OpenCV's imgcodecs, loaded on first use rather than linked.
//
// Why: libopencv_imgcodecs pulls GDAL, Poppler, HDF5, NetCDF, MariaDB and more into the
// process, and loading them with their static constructors costs ~140 ms before main in
// every heaters process — `heaters status` and `heaters --help` included — while only the
// embed stage ever decodes a JPEG here. dlopen by the soname OpenCV was built with keeps the
// cost where the work is.
#ifndef HEATERS_COPENCVSHIM_LAZY_IMDECODE_HPP
#define HEATERS_COPENCVSHIM_LAZY_IMDECODE_HPP

#include <opencv2/core.hpp>
#include <string>

namespace hcv {

/// cv::imdecode(encoded, flags) from imgcodecs loaded on first call; an empty Mat when the
/// data cannot be decoded. Throws std::runtime_error (naming the library and dlerror's text)
/// when imgcodecs cannot be loaded.
cv::Mat lazy_imdecode(const cv::Mat &encoded, int flags);

}  // namespace hcv

#endif
