namespace FaultAgent.Drivers;

/// <summary>How a fault's lines were written: which driver's format, its MIG attribution, and what could not be exact.</summary>
/// <param name="DriverVersion">The version whose format was written; empty when none was known.</param>
/// <param name="VersionSource"><c>node</c>, <c>request</c> or <c>default</c>.</param>
/// <param name="LineForm"><c>r565</c>, <c>r570</c>, <c>r575</c>, or <c>nvswitch</c> for SXids.</param>
/// <param name="Notes">What was left out or could not be done as the driver would, and why.</param>
public sealed record DriverLineFacts(
    string DriverVersion,
    string VersionSource,
    string LineForm,
    int? GpuInstance,
    int? ComputeInstance,
    IReadOnlyList<string> Notes);
