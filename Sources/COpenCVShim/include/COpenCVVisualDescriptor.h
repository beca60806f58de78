// A built-in visual descriptor for clip similarity ("heaters-descriptor-v1"): colour, layout and
// edge statistics of one image as a fixed-length, L2-normalised float vector; no model file.
// Why in the C++ shim: decoding, resizing and the colour conversions are OpenCV's.
//
// Layout of the 256 values (the image is first resized to 128×128 with INTER_AREA):
//   [  0, 128)  colour: HSV histogram, 8 hue × 4 saturation × 4 value bins (index
//               h·16 + s·4 + v), soft (linear) binning, hue circular; normalised to sum 1,
//               then square-rooted (Hellinger), so this block alone has norm 1.
//   [128, 176)  layout: 4×4 grid (row-major) of mean CIELAB colour, 3 values per cell
//               (L, a, b), each centred and scaled to about −1…1.
//   [176, 192)  layout: 4×4 grid of the lightness standard deviation (texture), 0…1.
//   [192, 208)  edges: 4×4 grid of mean Sobel gradient magnitude m, as m / (m + 0.25).
//   [208, 240)  edges: 2×2 grid (row-major) × 8 bins of unsigned gradient orientation
//               (0…180°, bin k centred on k·22.5°), magnitude-weighted, normalised to sum 1,
//               square-rooted and scaled by the square root of that quadrant's edge density.
//   [240, 256)  reserved, always 0 (keeps the dimension when a block is added in a new version).
// The colour, layout and edge groups are each brought to unit norm (the layout and edge
// groups with a floor, so a nearly flat image is not amplified into noise), weighted
// equally (1/√3 each), and the whole vector is L2-normalised. The colour block never
// vanishes, so the result is always a unit vector. Deterministic: no randomness, fixed order.
#ifndef HEATERS_COPENCVVISUALDESCRIPTOR_H
#define HEATERS_COPENCVVISUALDESCRIPTOR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Values in one descriptor.
#define HCV_VISUAL_DESCRIPTOR_DIMENSION 256

/// Returned when the input is not an image we can read (as opposed to -1, an OpenCV failure).
#define HCV_VISUAL_DESCRIPTOR_BAD_INPUT (-2)

/// The descriptor of a JPEG image (`size` bytes at `data`, which must start with the JPEG
/// SOI marker). Writes HCV_VISUAL_DESCRIPTOR_DIMENSION floats into out. Returns 0; or
/// HCV_VISUAL_DESCRIPTOR_BAD_INPUT (not a JPEG, undecodable) or -1, with a message in err.
int hcv_visual_descriptor_jpeg(const uint8_t *data, size_t size, float *out, char *err, size_t err_size);

/// The descriptor of a BGR24 image of `width`×`height` (rows `stride` bytes apart).
/// Returns as hcv_visual_descriptor_jpeg does.
int hcv_visual_descriptor_bgr(const uint8_t *bgr, int width, int height, int stride, float *out,
                              char *err, size_t err_size);

#ifdef __cplusplus
}
#endif

#endif
