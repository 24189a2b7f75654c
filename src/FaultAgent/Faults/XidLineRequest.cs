using FaultAgent.Gpus;

namespace FaultAgent.Faults;

/// <summary>What the line planner needs to compose one Xid injection for a discovered GPU.</summary>
public sealed record XidLineRequest(int Xid, GpuInfo Gpu, string? Message, bool CompanionLines, string? ProcessName, long Pid);
