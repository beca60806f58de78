// A plain C API over the few OpenCV (C++) operations heaters needs.
// Why a compiled shim: a C++ exception crossing into Swift aborts the process, and Swift's
// C++ interop needs many workarounds with OpenCV's headers. Every function here catches
// all exceptions and reports them through an error buffer instead.
#ifndef HEATERS_COPENCVSHIM_H
#define HEATERS_COPENCVSHIM_H

#include <stddef.h>
#include <stdint.h>

#include "COpenCVImageModel.h"
#include "COpenCVSceneFeatures.h"
#include "COpenCVVisualDescriptor.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Writes OpenCV's version string ("4.6.0") into buf.
void hcv_version(char *buf, size_t size);

/// Mean absolute difference of the H, S and V channels between two BGR24 images of the
/// same size (rows `stride` bytes apart). Writes the three means into out[0..2].
/// Returns 0 on success, -1 on failure with a message in err.
int hcv_hsv_mean_abs_diff(const uint8_t *bgr_a, const uint8_t *bgr_b,
                          int width, int height, int stride,
                          double out[3], char *err, size_t err_size);

#ifdef __cplusplus
}
#endif

#endif
