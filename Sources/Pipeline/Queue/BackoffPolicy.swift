/// How long a failed job waits before its next attempt: exponential in the attempt number,
/// capped, with jitter so that jobs failing together do not retry together.
public struct BackoffPolicy: Sendable, Equatable {
    /// The wait after the first failed attempt.
    public var base: Duration
    /// No wait is longer than this.
    public var maximum: Duration
    /// The fraction of the wait that is randomised (0.1 = ±10 %).
    public var jitter: Double

    public init(base: Duration = .seconds(2), maximum: Duration = .seconds(600), jitter: Double = 0.1) {
        self.base = base
        self.maximum = maximum
        self.jitter = jitter
    }

    /// The wait after failed attempt number `attempt` (1-based); `random` is in [0, 1).
    public func delay(afterAttempt attempt: Int, random: Double) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let raw = base * (1 << exponent)
        let capped = raw < maximum ? raw : maximum
        let factor = 1 + jitter * (2 * random - 1)
        return capped * factor
    }
}
