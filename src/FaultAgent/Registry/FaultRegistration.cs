namespace FaultAgent.Registry;

/// <summary>The recorded fault, and whether it is the stored result of an earlier identical request.</summary>
public sealed record FaultRegistration(FaultRecord Fault, bool Replayed);
