// Per-frame features for scene detection, computed in one pass over small BGR frames.
// Why in the C++ shim: the pixel work (HSV conversion, Canny, histograms, a DCT hash and
// comparisons of thumbnails across a window of frames) is OpenCV's, and done per frame at
// hundreds of frames per second it must not cross into Swift pixel by pixel.
#ifndef HEATERS_COPENCVSCENEFEATURES_H
#define HEATERS_COPENCVSCENEFEATURES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// How many windows (of different half-widths) the gradual-transition features look across.
#define HCV_SCENE_WINDOWS 4

/// What one frame looks like next to its neighbours. Differences use a 0…255 scale (mean
/// absolute difference of 8-bit values) unless said otherwise; -1 means "not defined here"
/// (the first frame has no previous one, a window that reaches past either end).
typedef struct hcv_scene_frame {
    int64_t frame;                 ///< 0-based frame number these values describe
    double hsv_delta[3];           ///< mean |Δ| of hue (OpenCV's 0…180), saturation, value vs the previous frame
    double edge_delta;             ///< mean |Δ| of the dilated Canny edge masks (0/255) vs the previous frame
    double histogram_distance;     ///< 1 − intersection of the normalised H, S and V histograms (0…1) vs the previous frame
    double hash_distance;          ///< Hamming distance of 64-bit DCT hashes / 64 (0…1) vs the previous frame
    double intensity;              ///< mean of all B, G and R values (0…255)
    double step_distance;          ///< thumbnail distance to the previous frame
    double cross_distance;         ///< min thumbnail distance between any of the 4 frames before and any of the 4 from this one on (small when a flash ends)
    double window_change[HCV_SCENE_WINDOWS];   ///< thumbnail distance between frame − w and frame + w
    double window_residual[HCV_SCENE_WINDOWS]; ///< distance of this frame's thumbnail from the mean of those two (0 for a linear blend)
} hcv_scene_frame;

typedef struct hcv_scene_analyzer hcv_scene_analyzer;

/// An analyzer for frames of `width`×`height` BGR24 whose windows have `half_widths`
/// (in frames as pushed, ascending, at least 1). Returns NULL with a message in err.
hcv_scene_analyzer *hcv_scene_analyzer_create(int width, int height, const int half_widths[HCV_SCENE_WINDOWS],
                                              char *err, size_t err_size);
void hcv_scene_analyzer_destroy(hcv_scene_analyzer *analyzer);

/// Adds the next frame (rows `stride` bytes apart). The window features of a frame need
/// the frames after it, so records come out delayed: writes at most one record (of an
/// earlier frame) to `out` and returns how many, or -1 with a message in err.
int hcv_scene_analyzer_push(hcv_scene_analyzer *analyzer, const uint8_t *bgr, int stride,
                            hcv_scene_frame *out, char *err, size_t err_size);

/// After the last frame: writes the records still held back (at most `capacity`) and
/// returns how many, or -1.
int hcv_scene_analyzer_finish(hcv_scene_analyzer *analyzer, hcv_scene_frame *out, int capacity,
                              char *err, size_t err_size);

#ifdef __cplusplus
}
#endif

#endif
