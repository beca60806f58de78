// An ONNX image-embedding network run by OpenCV's dnn module; the preprocessing is described
// in COpenCVImageModel.h.
#include "COpenCVImageModel.h"
#include "guarded.hpp"

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgcodecs.hpp>  // IMREAD_COLOR only: the decoder is loaded lazily
#include "lazy_imdecode.hpp"
#include <opencv2/imgproc.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <sys/stat.h>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstring>
#include <regex>
#include <string>

using hcv::guarded;
using hcv::write_error;

struct hcv_image_model {
    cv::dnn::Net net;
    hcv_image_model_config config;
};

namespace {
/// OpenCV's message without its source locations: what() reads "OpenCV(4.6.0) ./modules/…
/// .cpp:1040: error: (-2:Unspecified error) … in function 'handleNode'", and the ONNX importer
/// nests a node's error inside another such text. What is left names the node and the cause.
std::string readable(const char *what) {
    static const std::regex unspecified(R"(OpenCV\([^)]*\) \S+:[0-9]+: error: \(-?[0-9]+:Unspecified error\) ?)");
    static const std::regex located(R"(OpenCV\([^)]*\) \S+:[0-9]+: error: \(-?[0-9]+:([^)]*)\) ?)");
    static const std::regex function(R"( ?in function '[^']*')");
    static const std::regex quoted(R"((^|\n)> ?)");
    static const std::regex spaces(R"(\s+)");
    std::string text = std::regex_replace(what, unspecified, "");
    text = std::regex_replace(text, located, "$1: ");
    text = std::regex_replace(text, function, "");
    text = std::regex_replace(text, quoted, "$1");
    text = std::regex_replace(text, spaces, " ");
    size_t first = text.find_first_not_of(' ');
    size_t last = text.find_last_not_of(' ');
    return first == std::string::npos ? std::string(what) : text.substr(first, last - first + 1);
}

bool valid(const hcv_image_model_config &c) {
    if (c.input_width <= 0 || c.input_height <= 0 || c.dimension <= 0) return false;
    for (int i = 0; i < 3; ++i) {
        if (!std::isfinite(c.mean[i]) || !std::isfinite(c.std[i]) || !(c.std[i] > 0)) return false;
    }
    return true;
}

/// Runs the network on a decoded BGR image; see the header for the statuses.
int embed(hcv_image_model &model, const cv::Mat &bgr, float *out, size_t *actual, char *err, size_t err_size) {
    const hcv_image_model_config &c = model.config;
    cv::Mat ordered, resized, image;
    if (c.rgb) cv::cvtColor(bgr, ordered, cv::COLOR_BGR2RGB);
    else ordered = bgr;
    cv::resize(ordered, resized, cv::Size(c.input_width, c.input_height), 0, 0, cv::INTER_LINEAR);
    resized.convertTo(image, CV_32FC3, 1.0 / 255.0);
    // mean and std come in RGB order; the image's planes are in the network's order.
    cv::Scalar mean = c.rgb ? cv::Scalar(c.mean[0], c.mean[1], c.mean[2]) : cv::Scalar(c.mean[2], c.mean[1], c.mean[0]);
    cv::Scalar stddev = c.rgb ? cv::Scalar(c.std[0], c.std[1], c.std[2]) : cv::Scalar(c.std[2], c.std[1], c.std[0]);
    cv::subtract(image, mean, image);
    cv::divide(image, stddev, image);
    // Already ordered, sized and scaled: blobFromImage only repacks HWC into 1×3×H×W.
    cv::Mat blob = cv::dnn::blobFromImage(image, 1.0, cv::Size(), cv::Scalar(), false, false, CV_32F);
    model.net.setInput(blob);
    cv::Mat output = model.net.forward();
    if (output.total() != static_cast<size_t>(c.dimension)) {
        if (actual != nullptr) *actual = output.total();
        std::string message = "the model's output has " + std::to_string(output.total()) + " values, expected " +
                              std::to_string(c.dimension);
        write_error(err, err_size, message.c_str());
        return HCV_IMAGE_MODEL_WRONG_DIMENSION;
    }
    cv::Mat values;
    output.reshape(1, 1).convertTo(values, CV_32F);
    std::memcpy(out, values.ptr<float>(0), sizeof(float) * static_cast<size_t>(c.dimension));
    return 0;
}

/// `guarded` with OpenCV's message made readable.
template <typename Body>
int guarded_readable(char *err, size_t err_size, Body body) {
    return guarded(err, err_size, -1, [&]() -> int {
        try {
            return body();
        } catch (const std::exception &e) {
            write_error(err, err_size, readable(e.what()).c_str());
            return -1;
        }
    });
}
}  // namespace

extern "C" hcv_image_model *hcv_image_model_open(const char *path, const hcv_image_model_config *config,
                                                 int *status, char *err, size_t err_size) {
    int ignored = 0;
    int &result = status != nullptr ? *status : ignored;
    hcv_image_model *model = nullptr;
    result = guarded(err, err_size, -1, [&]() -> int {
        if (config == nullptr || !valid(*config)) {
            write_error(err, err_size, "invalid image model configuration");
            return HCV_IMAGE_MODEL_BAD_INPUT;
        }
        if (path == nullptr || path[0] == '\0') {
            write_error(err, err_size, "no model path");
            return HCV_IMAGE_MODEL_FILE_MISSING;
        }
        // Checked here so a missing file is told apart from one OpenCV cannot parse (OpenCV
        // reports both as a generic error).
        struct stat info;
        if (stat(path, &info) != 0) {
            int error = errno;
            write_error(err, err_size, std::strerror(error));
            // Only "not there" is missing; a folder we may not search is a permission problem.
            return error == ENOENT || error == ENOTDIR ? HCV_IMAGE_MODEL_FILE_MISSING : HCV_IMAGE_MODEL_UNREADABLE;
        }
        if (!S_ISREG(info.st_mode)) {
            write_error(err, err_size, "not a regular file");
            return HCV_IMAGE_MODEL_FILE_MISSING;
        }
        // OpenCV's importer logs each failure on stderr, which is the review station's screen;
        // the message reaches the caller through `err` instead. The level is process-wide, and
        // OpenCV is used nowhere else in heaters.
        cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
        cv::dnn::Net net;
        try {
            net = cv::dnn::readNetFromONNX(path);
        } catch (const std::exception &e) {
            write_error(err, err_size, readable(e.what()).c_str());
            return HCV_IMAGE_MODEL_UNREADABLE;
        }
        if (net.empty()) {
            write_error(err, err_size, "the network has no layers");
            return HCV_IMAGE_MODEL_UNREADABLE;
        }
        net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
        model = new hcv_image_model{std::move(net), *config};
        return 0;
    });
    return result == 0 ? model : nullptr;
}

extern "C" int hcv_image_model_embed_jpeg(hcv_image_model *model, const uint8_t *data, size_t size, float *out,
                                          size_t *actual, char *err, size_t err_size) {
    return guarded_readable(err, err_size, [&]() -> int {
        if (model == nullptr || out == nullptr) {
            write_error(err, err_size, "no model or no output buffer");
            return -1;
        }
        if (data == nullptr || size == 0) {
            write_error(err, err_size, "empty image data");
            return HCV_IMAGE_MODEL_BAD_INPUT;
        }
        if (size < 3 || data[0] != 0xFF || data[1] != 0xD8 || data[2] != 0xFF) {
            write_error(err, err_size, "not a JPEG (no SOI marker)");
            return HCV_IMAGE_MODEL_BAD_INPUT;
        }
        if (size > static_cast<size_t>(INT_MAX)) {
            write_error(err, err_size, "JPEG data too large");
            return HCV_IMAGE_MODEL_BAD_INPUT;
        }
        // The Mat only borrows the caller's bytes; imdecode does not write through it.
        cv::Mat encoded(1, static_cast<int>(size), CV_8UC1, const_cast<uint8_t *>(data));
        cv::Mat bgr = hcv::lazy_imdecode(encoded, cv::IMREAD_COLOR);
        if (bgr.empty() || bgr.type() != CV_8UC3) {
            write_error(err, err_size, "JPEG could not be decoded");
            return HCV_IMAGE_MODEL_BAD_INPUT;
        }
        return embed(*model, bgr, out, actual, err, err_size);
    });
}

extern "C" int hcv_image_model_embed_grey(hcv_image_model *model, float *out, size_t *actual, char *err,
                                          size_t err_size) {
    return guarded_readable(err, err_size, [&]() -> int {
        if (model == nullptr || out == nullptr) {
            write_error(err, err_size, "no model or no output buffer");
            return -1;
        }
        cv::Mat grey(model->config.input_height, model->config.input_width, CV_8UC3, cv::Scalar(128, 128, 128));
        return embed(*model, grey, out, actual, err, err_size);
    });
}

extern "C" void hcv_image_model_free(hcv_image_model *model) {
    // Destroying a Net does not throw in practice; guarded all the same, as every entry point is.
    guarded(nullptr, 0, 0, [&]() -> int {
        delete model;
        return 0;
    });
}
