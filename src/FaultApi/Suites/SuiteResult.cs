namespace FaultApi.Suites;

/// <summary>The last finished suite of one name: its verdict and end, and when the last one that passed ended (null if none kept did).</summary>
public sealed record SuiteResult(string Name, SuiteState Verdict, DateTimeOffset EndedAt, DateTimeOffset? LastSuccess);
