// An image-embedding model from an ONNX file, run by OpenCV's dnn module (CPU backend).
// Why in the C++ shim: the network, decoding and resizing are OpenCV's C++ API.
//
// Preprocessing of every image, in this order: decode (JPEG) to BGR; swap to RGB when
// config.rgb is set; resize to input_width × input_height (bilinear, aspect ratio not kept);
// scale to 0…1; subtract mean[c] and divide by std[c] per channel; pack as a 1×3×H×W float
// blob (NCHW). mean and std are always given in RGB order (as model cards state them);
// the shim reorders them for a BGR model. The output is the network's default output,
// raw (not normalised): exactly `dimension` floats are expected.
//
// A handle is not thread-safe (cv::dnn::Net keeps state between calls): calls on one handle
// must not overlap. The Swift wrapper (Vision's ImageModel) serialises them.
#ifndef HEATERS_COPENCVIMAGEMODEL_H
#define HEATERS_COPENCVIMAGEMODEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Statuses besides 0 (success) and -1 (any other OpenCV failure); each comes with a message in err.
#define HCV_IMAGE_MODEL_BAD_INPUT (-2)         ///< the image is empty, not a JPEG, or undecodable
#define HCV_IMAGE_MODEL_FILE_MISSING (-3)      ///< no regular file at the model path
#define HCV_IMAGE_MODEL_UNREADABLE (-4)        ///< OpenCV cannot read or build the network
#define HCV_IMAGE_MODEL_WRONG_DIMENSION (-5)   ///< the output does not have `dimension` values

/// How images are prepared for the network and what it returns.
typedef struct hcv_image_model_config {
    int input_width;
    int input_height;
    float mean[3];   ///< RGB order, in 0…1 units
    float std[3];    ///< RGB order, positive
    int rgb;         ///< nonzero: the network takes RGB planes; zero: BGR
    int dimension;   ///< values the network outputs per image
} hcv_image_model_config;

/// An opened network and its configuration.
typedef struct hcv_image_model hcv_image_model;

/// Reads the ONNX file at `path` (cv::dnn::readNetFromONNX) for the CPU backend. Returns the
/// handle, or NULL with *status set (HCV_IMAGE_MODEL_FILE_MISSING, HCV_IMAGE_MODEL_UNREADABLE,
/// HCV_IMAGE_MODEL_BAD_INPUT for an invalid config, or -1) and a message in err.
hcv_image_model *hcv_image_model_open(const char *path, const hcv_image_model_config *config, int *status,
                                      char *err, size_t err_size);

/// Runs the network on a JPEG (`size` bytes at `data`) and writes config.dimension floats into
/// out. Returns 0; HCV_IMAGE_MODEL_BAD_INPUT for an image that cannot be read;
/// HCV_IMAGE_MODEL_WRONG_DIMENSION with the output's element count in *actual (nothing written
/// to out); or -1 (also when the network fails to run, e.g. on its first pass).
int hcv_image_model_embed_jpeg(hcv_image_model *model, const uint8_t *data, size_t size, float *out,
                               size_t *actual, char *err, size_t err_size);

/// The same on a uniform mid-grey image (every channel 128) of the input size: one forward
/// pass that needs no image, to check a freshly opened model. Returns as above.
int hcv_image_model_embed_grey(hcv_image_model *model, float *out, size_t *actual, char *err, size_t err_size);

/// Releases the network. NULL is ignored.
void hcv_image_model_free(hcv_image_model *model);

#ifdef __cplusplus
}
#endif

#endif
