using FaultAgent.HostProcesses;

namespace FaultAgent.Telemetry;

/// <summary>nvidia-smi with some arguments: on the host, or chrooted into the containerised driver's root (<c>Agent:Tools:DriverRoot</c>).</summary>
public static class NvidiaSmiCommand
{
    public static HostCommand Create(HostToolsOptions tools, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(arguments);
        return tools.DriverRoot is { Length: > 0 } root
            ? new HostCommand(tools.ChrootPath, [root, tools.NvidiaSmiPath, .. arguments], timeout)
            : new HostCommand(tools.NvidiaSmiPath, arguments, timeout);
    }
}
