// The built-in visual descriptor ("heaters-descriptor-v1"); the layout of its 256 values is
// documented in COpenCVVisualDescriptor.h. Changing anything that alters the values (sizes,
// scales, weights, binning) makes a new model: bump the name on the Swift side.
#include "COpenCVVisualDescriptor.h"
#include "guarded.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>  // IMREAD_COLOR only: the decoder is loaded lazily
#include "lazy_imdecode.hpp"
#include <opencv2/imgproc.hpp>
#include <algorithm>
#include <array>
#include <climits>
#include <cmath>

using hcv::guarded;
using hcv::write_error;

namespace {
constexpr int kSide = 128;                        // every image is resized to kSide × kSide
constexpr int kHueBins = 8, kSatBins = 4, kValBins = 4;
constexpr int kGrid = 4;                          // layout and edge-density grid: kGrid × kGrid cells
constexpr int kOrientationGrid = 2;               // orientation histograms: per quadrant
constexpr int kOrientationBins = 8;               // unsigned, 22.5° apart

constexpr int kColourOffset = 0;
constexpr int kColourCount = kHueBins * kSatBins * kValBins;                 // 128
constexpr int kLabOffset = kColourOffset + kColourCount;                     // 128
constexpr int kLabCount = kGrid * kGrid * 3;                                 // 48
constexpr int kTextureOffset = kLabOffset + kLabCount;                       // 176
constexpr int kTextureCount = kGrid * kGrid;                                 // 16
constexpr int kDensityOffset = kTextureOffset + kTextureCount;               // 192
constexpr int kDensityCount = kGrid * kGrid;                                 // 16
constexpr int kOrientationOffset = kDensityOffset + kDensityCount;           // 208
constexpr int kOrientationCount = kOrientationGrid * kOrientationGrid * kOrientationBins;  // 32
constexpr int kReservedOffset = kOrientationOffset + kOrientationCount;      // 240
static_assert(kReservedOffset <= HCV_VISUAL_DESCRIPTOR_DIMENSION, "descriptor blocks overflow the dimension");

constexpr double kEdgeHalf = 0.25;                // mean magnitude that maps to density 0.5
constexpr double kLayoutFloor = 1.0;              // group norms below these are not scaled up
constexpr double kEdgeFloor = 1.0;

using Descriptor = std::array<double, HCV_VISUAL_DESCRIPTOR_DIMENSION>;

/// Splits `position` (in bins, bin i centred on i) between its two nearest bins of a
/// non-circular axis of `bins`, clamping at the ends.
inline void linear_bins(double position, int bins, int &lo, int &hi, double &hiWeight) {
    if (position <= 0) { lo = hi = 0; hiWeight = 0; return; }
    if (position >= bins - 1) { lo = hi = bins - 1; hiWeight = 0; return; }
    lo = static_cast<int>(std::floor(position));
    hi = lo + 1;
    hiWeight = position - lo;
}

/// The same on a circular axis (hue, orientation).
inline void circular_bins(double position, int bins, int &lo, int &hi, double &hiWeight) {
    double f = std::floor(position);
    hiWeight = position - f;
    int k = static_cast<int>(f) % bins;
    if (k < 0) k += bins;
    lo = k;
    hi = (k + 1) % bins;
}

double density(double meanMagnitude) { return meanMagnitude / (meanMagnitude + kEdgeHalf); }

/// Scales out[offset, offset + count) by weight / max(norm, floor).
void normalise_group(Descriptor &d, int offset, int count, double floor, double weight) {
    double sum = 0;
    for (int i = offset; i < offset + count; ++i) sum += d[i] * d[i];
    double norm = std::max(std::sqrt(sum), floor);
    if (norm <= 0) return;
    for (int i = offset; i < offset + count; ++i) d[i] *= weight / norm;
}

void describe(const cv::Mat &bgr, float *out) {
    cv::Mat small, image, hsv, lab, gray, dx, dy, magnitude, angle;
    cv::resize(bgr, small, cv::Size(kSide, kSide), 0, 0, cv::INTER_AREA);
    small.convertTo(image, CV_32FC3, 1.0 / 255.0);
    cv::cvtColor(image, hsv, cv::COLOR_BGR2HSV);     // H 0…360, S and V 0…1
    cv::cvtColor(image, lab, cv::COLOR_BGR2Lab);     // L 0…100, a and b about −127…127
    cv::cvtColor(image, gray, cv::COLOR_BGR2GRAY);   // 0…1
    cv::Sobel(gray, dx, CV_32F, 1, 0, 3);
    cv::Sobel(gray, dy, CV_32F, 0, 1, 3);
    cv::cartToPolar(dx, dy, magnitude, angle, true);

    Descriptor d{};

    // Colour: soft HSV histogram over the whole image, then Hellinger.
    double colourTotal = 0;
    for (int y = 0; y < kSide; ++y) {
        const cv::Vec3f *row = hsv.ptr<cv::Vec3f>(y);
        for (int x = 0; x < kSide; ++x) {
            int h0, h1, s0, s1, v0, v1;
            double hw, sw, vw;
            circular_bins(row[x][0] / (360.0 / kHueBins) - 0.5, kHueBins, h0, h1, hw);
            linear_bins(row[x][1] * kSatBins - 0.5, kSatBins, s0, s1, sw);
            linear_bins(row[x][2] * kValBins - 0.5, kValBins, v0, v1, vw);
            const int hs[2] = {h0, h1}, ss[2] = {s0, s1}, vs[2] = {v0, v1};
            const double hws[2] = {1 - hw, hw}, sws[2] = {1 - sw, sw}, vws[2] = {1 - vw, vw};
            for (int a = 0; a < 2; ++a)
                for (int b = 0; b < 2; ++b)
                    for (int c = 0; c < 2; ++c) {
                        double w = hws[a] * sws[b] * vws[c];
                        if (w == 0) continue;
                        d[kColourOffset + (hs[a] * kSatBins + ss[b]) * kValBins + vs[c]] += w;
                        colourTotal += w;
                    }
        }
    }
    for (int i = 0; i < kColourCount; ++i) d[kColourOffset + i] = std::sqrt(d[kColourOffset + i] / colourTotal);

    // Layout: per cell mean Lab, lightness spread, edge density.
    constexpr int cell = kSide / kGrid;
    for (int gy = 0; gy < kGrid; ++gy) {
        for (int gx = 0; gx < kGrid; ++gx) {
            cv::Rect roi(gx * cell, gy * cell, cell, cell);
            int index = gy * kGrid + gx;
            cv::Scalar mean, stddev;
            cv::meanStdDev(lab(roi), mean, stddev);
            d[kLabOffset + index * 3 + 0] = mean[0] / 50.0 - 1.0;
            d[kLabOffset + index * 3 + 1] = mean[1] / 64.0;
            d[kLabOffset + index * 3 + 2] = mean[2] / 64.0;
            d[kTextureOffset + index] = std::min(stddev[0] / 50.0, 1.0);
            d[kDensityOffset + index] = density(cv::mean(magnitude(roi))[0]);
        }
    }

    // Edges: magnitude-weighted orientation histogram per quadrant.
    constexpr int quadrant = kSide / kOrientationGrid;
    for (int qy = 0; qy < kOrientationGrid; ++qy) {
        for (int qx = 0; qx < kOrientationGrid; ++qx) {
            std::array<double, kOrientationBins> bins{};
            double total = 0;
            for (int y = qy * quadrant; y < (qy + 1) * quadrant; ++y) {
                const float *m = magnitude.ptr<float>(y);
                const float *a = angle.ptr<float>(y);
                for (int x = qx * quadrant; x < (qx + 1) * quadrant; ++x) {
                    if (m[x] <= 0) continue;
                    double unsignedAngle = std::fmod(static_cast<double>(a[x]), 180.0);
                    int lo, hi;
                    double hiWeight;
                    circular_bins(unsignedAngle / (180.0 / kOrientationBins), kOrientationBins, lo, hi, hiWeight);
                    bins[lo] += m[x] * (1 - hiWeight);
                    bins[hi] += m[x] * hiWeight;
                    total += m[x];
                }
            }
            if (total <= 0) continue;
            double scale = std::sqrt(density(total / (quadrant * quadrant)));
            int base = kOrientationOffset + (qy * kOrientationGrid + qx) * kOrientationBins;
            for (int k = 0; k < kOrientationBins; ++k) d[base + k] = std::sqrt(bins[k] / total) * scale;
        }
    }

    // Weigh the groups equally, then the whole vector to unit length.
    const double weight = 1.0 / std::sqrt(3.0);
    normalise_group(d, kColourOffset, kColourCount, 0.0, weight);
    normalise_group(d, kLabOffset, kLabCount + kTextureCount, kLayoutFloor, weight);
    normalise_group(d, kDensityOffset, kDensityCount + kOrientationCount, kEdgeFloor, weight);
    double sum = 0;
    for (double v : d) sum += v * v;
    double norm = std::sqrt(sum);
    for (int i = 0; i < HCV_VISUAL_DESCRIPTOR_DIMENSION; ++i) {
        out[i] = norm > 0 && std::isfinite(norm) ? static_cast<float>(d[i] / norm) : 0.0f;
    }
}
}  // namespace

extern "C" int hcv_visual_descriptor_jpeg(const uint8_t *data, size_t size, float *out, char *err, size_t err_size) {
    return guarded(err, err_size, -1, [&]() -> int {
        if (out == nullptr) {
            write_error(err, err_size, "no output buffer");
            return -1;
        }
        if (data == nullptr || size == 0) {
            write_error(err, err_size, "empty image data");
            return HCV_VISUAL_DESCRIPTOR_BAD_INPUT;
        }
        if (size < 3 || data[0] != 0xFF || data[1] != 0xD8 || data[2] != 0xFF) {
            write_error(err, err_size, "not a JPEG (no SOI marker)");
            return HCV_VISUAL_DESCRIPTOR_BAD_INPUT;
        }
        if (size > static_cast<size_t>(INT_MAX)) {
            write_error(err, err_size, "JPEG data too large");
            return HCV_VISUAL_DESCRIPTOR_BAD_INPUT;
        }
        // The Mat only borrows the caller's bytes; imdecode does not write through it.
        cv::Mat encoded(1, static_cast<int>(size), CV_8UC1, const_cast<uint8_t *>(data));
        cv::Mat bgr = hcv::lazy_imdecode(encoded, cv::IMREAD_COLOR);
        if (bgr.empty() || bgr.type() != CV_8UC3) {
            write_error(err, err_size, "JPEG could not be decoded");
            return HCV_VISUAL_DESCRIPTOR_BAD_INPUT;
        }
        describe(bgr, out);
        return 0;
    });
}

extern "C" int hcv_visual_descriptor_bgr(const uint8_t *bgr, int width, int height, int stride, float *out,
                                         char *err, size_t err_size) {
    return guarded(err, err_size, -1, [&]() -> int {
        if (out == nullptr) {
            write_error(err, err_size, "no output buffer");
            return -1;
        }
        if (bgr == nullptr || width <= 0 || height <= 0 || stride / 3 < width) {
            write_error(err, err_size, "invalid image geometry");
            return HCV_VISUAL_DESCRIPTOR_BAD_INPUT;
        }
        // Borrowed, read-only, as above.
        cv::Mat image(height, width, CV_8UC3, const_cast<uint8_t *>(bgr), static_cast<size_t>(stride));
        describe(image, out);
        return 0;
    });
}
