import Testing
@testable import Queue

@Suite struct JobLifecycleTests {
    let policy = BackoffPolicy(base: .seconds(2), maximum: .seconds(60), jitter: 0.1)

    @Test func delaysGrowExponentiallyUpToTheMaximum() {
        let delays = (1...8).map { policy.delay(afterAttempt: $0, random: 0.5) }
        #expect(delays[0] == .seconds(2))
        #expect(delays[1] == .seconds(4))
        #expect(delays[2] == .seconds(8))
        #expect(delays[4] == .seconds(32))
        #expect(delays[5] == .seconds(60))
        #expect(delays[7] == .seconds(60))
    }

    @Test func jitterStaysWithinItsFraction() {
        #expect(policy.delay(afterAttempt: 3, random: 0) == .seconds(8) * 0.9)
        #expect(policy.delay(afterAttempt: 3, random: 0.999_999) > .seconds(8) * 1.0999)
        #expect(policy.delay(afterAttempt: 3, random: 0.999_999) < .seconds(8) * 1.1)
    }

    @Test func theLastAttemptDiscards() {
        #expect(JobLifecycle.afterFailure(attempt: 1, maxAttempts: 3, policy: policy, random: 0.5) == .retry(after: .seconds(2)))
        #expect(JobLifecycle.afterFailure(attempt: 2, maxAttempts: 3, policy: policy, random: 0.5) == .retry(after: .seconds(4)))
        #expect(JobLifecycle.afterFailure(attempt: 3, maxAttempts: 3, policy: policy, random: 0.5) == .discard)
    }
}
