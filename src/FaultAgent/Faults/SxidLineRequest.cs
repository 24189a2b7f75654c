namespace FaultAgent.Faults;

/// <summary>What the line planner needs to compose one SXid injection for an NVSwitch.</summary>
public sealed record SxidLineRequest(int Sxid, int NvSwitch, string PciBusId, int Link, string? Message);
