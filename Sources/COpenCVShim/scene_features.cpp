#include "COpenCVSceneFeatures.h"
#include "guarded.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <deque>
#include <vector>

using hcv::guarded;
using hcv::write_error;

namespace {
constexpr int kCrossSpan = 4;         // frames on each side of a cut compared across it (a flash is shorter)
constexpr int kThumbWidth = 32;       // thumbnails: small enough that noise and small motion average out
constexpr int kThumbHeight = 18;
constexpr int kThumbValues = kThumbWidth * kThumbHeight * 3;
constexpr int kHueBins = 30, kSatBins = 16, kValBins = 16;

double mean_abs_diff(const std::vector<float> &a, const std::vector<float> &b) {
    double sum = 0;
    for (size_t i = 0; i < a.size(); ++i) sum += std::fabs(a[i] - b[i]);
    return sum / static_cast<double>(a.size());
}

/// What is kept of one frame: its immediate features and its thumbnail.
struct Held {
    hcv_scene_frame record;
    std::vector<float> thumb;
};
}

struct hcv_scene_analyzer {
    int width, height;
    int halfWidths[HCV_SCENE_WINDOWS];
    int delay;                        // a record waits for this many later frames (its windows, the cross span)
    int reach;                        // and needs this many earlier ones
    int64_t pushed = 0;
    int64_t emitted = 0;
    cv::Mat previousHSV, previousEdges;
    std::array<float, kHueBins + kSatBins + kValBins> previousHistogram{};
    uint64_t previousHash = 0;
    std::deque<Held> held;            // frames emitted - reach … pushed - 1 (those still needed)
    int64_t heldFirst = 0;            // frame number of held.front()
    cv::Mat hsv, gray, edges, dilated, small, dctInput, dct;
    cv::Mat dilateKernel = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3));

    const Held &at(int64_t frame) const { return held[static_cast<size_t>(frame - heldFirst)]; }

    void analyse(const cv::Mat &bgr, hcv_scene_frame &r, std::vector<float> &thumb) {
        r.frame = pushed;
        cv::cvtColor(bgr, hsv, cv::COLOR_BGR2HSV);
        cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
        cv::Scalar mean = cv::mean(bgr);
        r.intensity = (mean[0] + mean[1] + mean[2]) / 3.0;

        // Edges with thresholds from the median luma, as PySceneDetect does.
        std::array<int, 256> counts{};
        for (int y = 0; y < gray.rows; ++y) {
            const uint8_t *row = gray.ptr<uint8_t>(y);
            for (int x = 0; x < gray.cols; ++x) counts[row[x]]++;
        }
        int half = gray.rows * gray.cols / 2, seen = 0, median = 0;
        for (; median < 255; ++median) { seen += counts[median]; if (seen > half) break; }
        const double sigma = 1.0 / 3.0;
        cv::Canny(gray, edges, std::max(0.0, (1.0 - sigma) * median), std::min(255.0, (1.0 + sigma) * median));
        cv::dilate(edges, dilated, dilateKernel);

        std::array<float, kHueBins + kSatBins + kValBins> histogram{};
        const float pixels = static_cast<float>(hsv.rows * hsv.cols);
        for (int y = 0; y < hsv.rows; ++y) {
            const uint8_t *row = hsv.ptr<uint8_t>(y);
            for (int x = 0; x < hsv.cols; ++x) {
                histogram[std::min(kHueBins - 1, row[3 * x] * kHueBins / 180)] += 1.0f / pixels;
                histogram[kHueBins + row[3 * x + 1] * kSatBins / 256] += 1.0f / pixels;
                histogram[kHueBins + kSatBins + row[3 * x + 2] * kValBins / 256] += 1.0f / pixels;
            }
        }

        // 64-bit perceptual hash: the 8×8 lowest frequencies of a 32×32 DCT against their median.
        cv::resize(gray, small, cv::Size(32, 32), 0, 0, cv::INTER_AREA);
        small.convertTo(dctInput, CV_32F);
        cv::dct(dctInput, dct);
        std::array<float, 64> low{};
        for (int y = 0; y < 8; ++y) for (int x = 0; x < 8; ++x) low[y * 8 + x] = dct.at<float>(y, x);
        std::array<float, 64> sorted = low;
        std::nth_element(sorted.begin(), sorted.begin() + 32, sorted.end());
        uint64_t hash = 0;
        for (int i = 0; i < 64; ++i) if (low[i] > sorted[32]) hash |= (uint64_t{1} << i);

        cv::Mat thumbMat;
        cv::resize(bgr, thumbMat, cv::Size(kThumbWidth, kThumbHeight), 0, 0, cv::INTER_AREA);
        thumb.resize(kThumbValues);
        for (int y = 0; y < kThumbHeight; ++y) {
            const uint8_t *row = thumbMat.ptr<uint8_t>(y);
            for (int x = 0; x < kThumbWidth * 3; ++x) thumb[y * kThumbWidth * 3 + x] = row[x];
        }

        if (pushed == 0) {
            r.hsv_delta[0] = r.hsv_delta[1] = r.hsv_delta[2] = -1;
            r.edge_delta = r.histogram_distance = r.hash_distance = r.step_distance = -1;
        } else {
            cv::Mat diff;
            cv::absdiff(hsv, previousHSV, diff);
            cv::Scalar d = cv::mean(diff);
            r.hsv_delta[0] = d[0]; r.hsv_delta[1] = d[1]; r.hsv_delta[2] = d[2];
            cv::absdiff(dilated, previousEdges, diff);
            r.edge_delta = cv::mean(diff)[0];
            double overlap = 0;
            for (size_t i = 0; i < histogram.size(); ++i) overlap += std::min(histogram[i], previousHistogram[i]);
            r.histogram_distance = std::max(0.0, 1.0 - overlap / 3.0);
            r.hash_distance = __builtin_popcountll(hash ^ previousHash) / 64.0;
            r.step_distance = mean_abs_diff(thumb, held.back().thumb);
        }
        r.cross_distance = -1;
        for (int i = 0; i < HCV_SCENE_WINDOWS; ++i) r.window_change[i] = r.window_residual[i] = -1;
        hsv.copyTo(previousHSV);
        dilated.copyTo(previousEdges);
        previousHistogram = histogram;
        previousHash = hash;
    }

    /// Fills in the window features of frame `c` from the held thumbnails that exist.
    void complete(int64_t c, hcv_scene_frame &out) const {
        out = at(c).record;
        if (c >= 1) {
            double best = -1;
            for (int64_t i = std::max<int64_t>({0, c - kCrossSpan, heldFirst}); i < c; ++i) {
                for (int64_t j = c; j < c + kCrossSpan && j < pushed; ++j) {
                    double d = mean_abs_diff(at(i).thumb, at(j).thumb);
                    if (best < 0 || d < best) best = d;
                }
            }
            out.cross_distance = best;
        }
        const std::vector<float> &mid = at(c).thumb;
        for (int i = 0; i < HCV_SCENE_WINDOWS; ++i) {
            int w = halfWidths[i];
            if (c - w < heldFirst || c - w < 0 || c + w >= pushed) continue;
            const std::vector<float> &a = at(c - w).thumb, &b = at(c + w).thumb;
            double change = 0, residual = 0;
            for (size_t j = 0; j < mid.size(); ++j) {
                change += std::fabs(a[j] - b[j]);
                residual += std::fabs(mid[j] - 0.5f * (a[j] + b[j]));
            }
            out.window_change[i] = change / mid.size();
            out.window_residual[i] = residual / mid.size();
        }
    }

    void forget() {
        while (!held.empty() && heldFirst < emitted - reach) { held.pop_front(); ++heldFirst; }
    }
};

extern "C" hcv_scene_analyzer *hcv_scene_analyzer_create(int width, int height, const int half_widths[HCV_SCENE_WINDOWS],
                                                         char *err, size_t err_size) {
    return guarded(err, err_size, static_cast<hcv_scene_analyzer *>(nullptr), [&]() -> hcv_scene_analyzer * {
        if (width < 8 || height < 8) { write_error(err, err_size, "frames must be at least 8x8"); return nullptr; }
        for (int i = 0; i < HCV_SCENE_WINDOWS; ++i) {
            if (half_widths == nullptr || half_widths[i] < 1 || (i > 0 && half_widths[i] <= half_widths[i - 1])) {
                write_error(err, err_size, "window half-widths must be at least 1 and ascending");
                return nullptr;
            }
        }
        auto *analyzer = new hcv_scene_analyzer();
        analyzer->width = width;
        analyzer->height = height;
        std::copy(half_widths, half_widths + HCV_SCENE_WINDOWS, analyzer->halfWidths);
        analyzer->delay = std::max(half_widths[HCV_SCENE_WINDOWS - 1], kCrossSpan - 1);
        analyzer->reach = std::max(half_widths[HCV_SCENE_WINDOWS - 1], kCrossSpan) + 1;
        return analyzer;
    });
}

extern "C" void hcv_scene_analyzer_destroy(hcv_scene_analyzer *analyzer) { delete analyzer; }

extern "C" int hcv_scene_analyzer_push(hcv_scene_analyzer *analyzer, const uint8_t *bgr, int stride,
                                       hcv_scene_frame *out, char *err, size_t err_size) {
    return guarded(err, err_size, -1, [&]() -> int {
        if (analyzer == nullptr || bgr == nullptr || out == nullptr || stride < analyzer->width * 3) {
            write_error(err, err_size, "invalid frame geometry");
            return -1;
        }
        // The Mat only borrows the caller's pixels; nothing writes through it.
        cv::Mat frame(analyzer->height, analyzer->width, CV_8UC3, const_cast<uint8_t *>(bgr), static_cast<size_t>(stride));
        Held next;
        analyzer->analyse(frame, next.record, next.thumb);
        analyzer->held.push_back(std::move(next));
        analyzer->pushed++;
        int64_t ready = analyzer->pushed - 1 - analyzer->delay;  // every window of this frame is now complete
        if (ready < analyzer->emitted) return 0;
        analyzer->complete(ready, *out);
        analyzer->emitted = ready + 1;
        analyzer->forget();
        return 1;
    });
}

extern "C" int hcv_scene_analyzer_finish(hcv_scene_analyzer *analyzer, hcv_scene_frame *out, int capacity,
                                         char *err, size_t err_size) {
    return guarded(err, err_size, -1, [&]() -> int {
        if (analyzer == nullptr || (out == nullptr && capacity > 0)) { write_error(err, err_size, "invalid arguments"); return -1; }
        int written = 0;
        while (analyzer->emitted < analyzer->pushed && written < capacity) {
            analyzer->complete(analyzer->emitted, out[written++]);
            analyzer->emitted++;
        }
        return written;
    });
}
