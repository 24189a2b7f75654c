namespace FaultApi.Tests.Suites;

/// <summary>A test case's result as junitparser reads it: <c>failure</c>, <c>error</c> or <c>skipped</c>, with its message.</summary>
public sealed record JUnitParserResult(string Kind, string? Message);
