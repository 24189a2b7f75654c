namespace FaultAgent.Faults;

/// <summary>One bad request field (named as in the proto, snake_case) and what is wrong with it.</summary>
public sealed record FaultFieldViolation(string Field, string Description);
