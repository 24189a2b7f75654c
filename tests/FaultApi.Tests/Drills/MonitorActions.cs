namespace FaultApi.Tests.Drills;

/// <summary>What the <see cref="StandInHealthMonitor"/> does, in this order, once it sees its Xid.</summary>
[Flags]
public enum MonitorActions
{
    None = 0,
    Condition = 1,
    Cordon = 2,
    Drain = 4,
    Reboot = 8,
    Recover = 16,
    All = Condition | Cordon | Drain | Reboot | Recover,
}
