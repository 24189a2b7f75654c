using FaultAgent.Registry;

namespace FaultAgent.Faults;

/// <summary>The fault as recorded (or, on a dry run, as it would be: records carry sequence 0 and nothing was written).</summary>
public sealed record FaultInjectionResult(FaultRecord Fault, bool Replayed, bool DryRun);
