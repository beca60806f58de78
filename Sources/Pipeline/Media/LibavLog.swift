import CFFmpeg

/// libav prints its own messages (encoder statistics, warnings about the input) to stderr.
/// On a server that stream is the log; under the review station it would draw over the
/// screen, so there it is silenced. Errors still reach heaters as thrown `MediaError`s.
public enum LibavLog {
    public static func showErrorsOnly() { av_log_set_level(AV_LOG_ERROR) }
    public static func silence() { av_log_set_level(AV_LOG_QUIET) }
}
