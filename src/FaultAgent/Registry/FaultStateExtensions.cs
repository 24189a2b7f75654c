namespace FaultAgent.Registry;

public static class FaultStateExtensions
{
    /// <summary>
    /// Not ended: active, or written with an unknown or partial outcome. An open fault counts as present on the node
    /// (listed by active_only, counted against Agent:Limits:MaxActiveFaults) and ends by clear, duration, stop or reboot.
    /// </summary>
    public static bool IsOpen(this FaultState state) => state is FaultState.Active or FaultState.OutcomeUnknown or FaultState.PartiallyWritten;
}
