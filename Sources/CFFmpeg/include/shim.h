// FFmpeg (libav*) for Swift. Function-like macros cannot be imported, so the few the
// wrappers need are re-exported as static inline functions with a heaters_ prefix.
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/imgutils.h>
#include <libavutil/error.h>
#include <libswscale/swscale.h>
#include <libswresample/swresample.h>

static inline int heaters_AVERROR(int e) { return AVERROR(e); }
static inline int heaters_AVERROR_EOF(void) { return AVERROR_EOF; }
static inline int64_t heaters_AV_NOPTS_VALUE(void) { return AV_NOPTS_VALUE; }
static inline AVRational heaters_AV_TIME_BASE_Q(void) { return AV_TIME_BASE_Q; }

/// av_err2str uses a compound literal; this writes the message into a caller buffer.
static inline const char *heaters_av_err2str(int errnum, char *buf, size_t size) {
    av_strerror(errnum, buf, size);
    return buf;
}

#include <libavutil/display.h>

/// The rotation stored in a stream's display-matrix side data, as av_display_rotation_get
/// reports it (degrees counter-clockwise). Wrapped because the side-data API moved in FFmpeg 6
/// (codecpar->coded_side_data) and the matrix is a raw byte blob Swift should not reinterpret.
/// Returns 1 and writes *degrees when the stream has a display matrix, else 0.
static inline int heaters_stream_display_rotation(const AVStream *st, double *degrees) {
    size_t size = 0;
    const uint8_t *matrix = av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, &size);
    if (matrix == NULL || size < 9 * sizeof(int32_t)) return 0;
    double d = av_display_rotation_get((const int32_t *)matrix);
    if (d != d) return 0; /* NaN: a degenerate matrix carries no rotation */
    *degrees = d;
    return 1;
}

#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>

/// AV_PKT_FLAG_KEY is a macro constant; re-exported so Swift can test packet flags.
static inline int heaters_AV_PKT_FLAG_KEY(void) { return AV_PKT_FLAG_KEY; }

/// Appends all samples of an audio frame to a FIFO of the same format and channel count.
/// Wrapped because the FIFO takes `void **` and a frame's planes are `uint8_t **`.
static inline int heaters_audio_fifo_write_frame(AVAudioFifo *fifo, const AVFrame *frame) {
    return av_audio_fifo_write(fifo, (void **)frame->extended_data, frame->nb_samples);
}

/// Reads `nb_samples` samples from the FIFO into a frame whose format, channel layout and
/// nb_samples are set and whose buffers are allocated (av_frame_get_buffer).
static inline int heaters_audio_fifo_read_frame(AVAudioFifo *fifo, AVFrame *frame, int nb_samples) {
    return av_audio_fifo_read(fifo, (void **)frame->extended_data, nb_samples);
}
