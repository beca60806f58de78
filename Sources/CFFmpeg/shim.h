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
