namespace FaultApi.Suites;

/// <summary>
/// One expectation across a suite: how many of the drills that expect it saw it (<c>passed</c> of <c>total</c>), and the
/// time from the injection to the step, nearest-rank p50 / p95 and the max over the drills that saw it (null when none
/// did); <c>text</c> reads e.g. <c>cordon: 18/18, p50 4.1 s, p95 9.8 s, max 12.0 s</c>.
/// </summary>
public sealed record SuiteExpectationSummary(string Expectation, int Passed, int Total, double? P50Seconds, double? P95Seconds, double? MaxSeconds, string Text);
