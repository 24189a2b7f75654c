namespace FaultApi.Tests.Suites;

/// <summary>One test case as junitparser reads it: its results are its failure, error or skipped elements.</summary>
public sealed record JUnitParserCase(string? Name, string? Classname, double? Time, IReadOnlyList<JUnitParserResult> Results);
