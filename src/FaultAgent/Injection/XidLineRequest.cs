using FaultAgent.Drivers;
using FaultAgent.Gpus;

namespace FaultAgent.Injection;

/// <summary>Everything that decides the records of one Xid, as <see cref="XidLineBuilder.BuildXid"/> takes it.</summary>
public sealed record XidLineRequest
{
    public required int Xid { get; init; }

    public required GpuInfo Gpu { get; init; }

    /// <summary>The driver branch whose format is written.</summary>
    public DriverProfile Driver { get; init; } = DriverProfile.Newest;

    /// <summary>The body after <c>"&lt;xid&gt;, "</c>; empty: the catalog's.</summary>
    public string? Message { get; init; }

    /// <summary>0: no process (the driver's unknown-process form).</summary>
    public long Pid { get; init; }

    /// <summary>The process's comm (at most 15 characters); with <see cref="Pid"/> only.</summary>
    public string? ProcessName { get; init; }

    /// <summary>Replaces the channel of a catalog body that prints <c>Ch %08x</c>.</summary>
    public uint? Channel { get; init; }

    /// <summary>Xid 45 from 570.123.01: <c> caused by previous Xid N</c>; 0: none.</summary>
    public int PreviousXid { get; init; }

    public int? GpuInstance { get; init; }

    public int? ComputeInstance { get; init; }

    /// <summary>The driver has not yet printed this GPU's <c>GPU at PCI</c> / board serial preamble in this boot.</summary>
    public bool Preamble { get; init; }

    /// <summary>The board serial and PCI id; null: not looked up (nothing needs them).</summary>
    public GpuBoardInfo? Board { get; init; }

    /// <summary>Xid 79: also the probe-time multi-line "fallen off the bus and is not responding to commands" record.</summary>
    public bool FallenOffBusProbe { get; init; }

    /// <summary>Only the Xid line: no preamble, no follow-up lines.</summary>
    public bool OmitCompanionRecords { get; init; }
}
