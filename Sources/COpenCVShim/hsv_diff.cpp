#include "COpenCVShim.h"
#include "guarded.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

using hcv::guarded;
using hcv::write_error;

extern "C" void hcv_version(char *buf, size_t size) {
    write_error(buf, size, CV_VERSION);
}

extern "C" int hcv_hsv_mean_abs_diff(const uint8_t *bgr_a, const uint8_t *bgr_b,
                                     int width, int height, int stride,
                                     double out[3], char *err, size_t err_size) {
    return guarded(err, err_size, -1, [&]() -> int {
        if (bgr_a == nullptr || bgr_b == nullptr || width <= 0 || height <= 0 || stride < width * 3) {
            write_error(err, err_size, "invalid image geometry");
            return -1;
        }
        // The Mats only borrow the caller's pixels; OpenCV does not write through them.
        cv::Mat a(height, width, CV_8UC3, const_cast<uint8_t *>(bgr_a), static_cast<size_t>(stride));
        cv::Mat b(height, width, CV_8UC3, const_cast<uint8_t *>(bgr_b), static_cast<size_t>(stride));
        cv::Mat hsvA, hsvB, diff;
        cv::cvtColor(a, hsvA, cv::COLOR_BGR2HSV);
        cv::cvtColor(b, hsvB, cv::COLOR_BGR2HSV);
        cv::absdiff(hsvA, hsvB, diff);
        cv::Scalar mean = cv::mean(diff);
        out[0] = mean[0];
        out[1] = mean[1];
        out[2] = mean[2];
        return 0;
    });
}
