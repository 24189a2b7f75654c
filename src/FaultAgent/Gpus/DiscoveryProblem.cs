namespace FaultAgent.Gpus;

/// <summary>An entry that could not be read or parsed, reported with its path instead of failing discovery.</summary>
public sealed record DiscoveryProblem(string Path, string Message);
