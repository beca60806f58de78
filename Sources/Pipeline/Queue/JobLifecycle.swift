/// The pure rules of a job's life: what follows a failure. The queue performs the outcome.
public enum JobLifecycle {
    public enum AfterFailure: Sendable, Equatable {
        /// Try again once `delay` has passed.
        case retry(after: Duration)
        /// Attempts used up: the job is discarded and its subject marked failed.
        case discard
    }

    public static func afterFailure(attempt: Int, maxAttempts: Int, policy: BackoffPolicy, random: Double) -> AfterFailure {
        attempt >= maxAttempts ? .discard : .retry(after: policy.delay(afterAttempt: attempt, random: random))
    }
}
