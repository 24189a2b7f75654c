using Google.Protobuf;

namespace FaultAgent.Tests.Compatibility;

/// <summary>
/// One injection of <see cref="MonitorCodeTests"/>: its request, the driver form it asks for (<see cref="Form"/>, the key
/// of a monitor's blind spots), the device and code it means, and the real sample lines it reproduces (for each record
/// kind at most one: <see cref="RealFor"/>).
/// </summary>
internal sealed record MonitorCase(string Label, string Form, IMessage Request, string Driver, int Code, string Device, IReadOnlyList<string> Reals)
{
    /// <summary>The real sample line of the same kind as <paramref name="driverText"/> (Xid line, preamble, follow-up, probe, SXid line, ...), if the case reproduces one.</summary>
    public string? RealFor(string driverText) => Reals.FirstOrDefault(r => MonitorRecordKind.Of(r) == MonitorRecordKind.Of(driverText));
}
