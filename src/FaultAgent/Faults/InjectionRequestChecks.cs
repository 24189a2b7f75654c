using System.Text.RegularExpressions;
using FaultAgent.Drivers;
using FaultAgent.Injection;

namespace FaultAgent.Faults;

/// <summary>
/// The field rules of an Xid and an SXid injection request, checked before anything is looked up or written (all
/// violations at once, <see cref="InvalidRequestException"/>); the shared rules are <see cref="FaultRequestValidator"/>'s,
/// the driver's own limits on the composed records <see cref="XidLineBuilder"/>'s.
/// </summary>
public static partial class InjectionRequestChecks
{
    /// <summary>Checks <paramref name="request"/>; returns its surfaces and the driver version it asks for (null: the node's).</summary>
    public static (IReadOnlyList<string> Surfaces, NvidiaDriverVersion? RequestedDriver) CheckXid(XidInjectionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var violations = new List<FaultFieldViolation>();
        if (request.Xid is < 1 or > 999)
        {
            violations.Add(new("xid", "must be an Xid number from 1 to 999"));
        }

        if (request.GpuId < 0)
        {
            violations.Add(new("gpu_id", "must be a Device Minor (0 or more)"));
        }

        if (request.Pid is < 0 or > XidLineBuilder.MaxPid)
        {
            violations.Add(new("pid", $"must be 0 (no process) or a process id from 1 to {XidLineBuilder.MaxPid} (the kernel's PID_MAX_LIMIT)"));
        }

        FaultRequestValidator.CheckFaultId(request.FaultId, violations);
        FaultRequestValidator.CheckIdempotencyKey(request.IdempotencyKey, violations);
        FaultRequestValidator.CheckDuration(request.Duration, violations);
        FaultRequestValidator.CheckText("message", request.Message, XidLineBuilder.MaxBodyLength, violations, "the driver's MAX_ERROR_STRING is 512 with its NUL");
        FaultRequestValidator.CheckText("process_name", request.ProcessName, XidLineBuilder.MaxProcessNameLength, violations, "the kernel's comm: TASK_COMM_LEN 16 with its NUL");
        var surfaces = InjectionSurfaces.Check(request.Surfaces, dcgmTarget: "DCGM_FI_DEV_XID_ERRORS", violations);
        if (request.CompanionLines && !InjectionSurfaces.WritesKernelLog(surfaces))
        {
            violations.Add(new("companion_lines", "are kernel-log records: they need the \"kmsg\" surface"));
        }

        if (request.FallenOffBusProbe && !InjectionSurfaces.WritesKernelLog(surfaces))
        {
            violations.Add(new("fallen_off_bus_probe", "is a kernel-log record: it needs the \"kmsg\" surface"));
        }

        NvidiaDriverVersion? requestedDriver = null;
        if (!string.IsNullOrEmpty(request.DriverVersion) && !NvidiaDriverVersion.TryParse(request.DriverVersion, out requestedDriver))
        {
            violations.Add(new("driver_version", "must be a driver version such as 570.195.03, 535.161.08 or a branch such as 570"));
        }

        FaultRequestValidator.ThrowIfAny(violations);
        return (surfaces, requestedDriver);
    }

    public static void CheckSxid(SxidInjectionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var violations = new List<FaultFieldViolation>();
        if (request.Sxid is < 1 or > 99999)
        {
            violations.Add(new("sxid", "must be an SXid number from 1 to 99999"));
        }

        if (request.NvSwitch < 0)
        {
            violations.Add(new("nvswitch", "must be an NVSwitch instance number (0 or more)"));
        }

        if (request.Link is < 0 or > XidLineBuilder.MaxLink)
        {
            violations.Add(new("link", $"must be a link number from 0 to {XidLineBuilder.MaxLink} (the driver's NVSWITCH_MAX_NUM_LINKS is 100)"));
        }

        if (!string.IsNullOrEmpty(request.PciBusId) && !PciBdfPattern().IsMatch(request.PciBusId))
        {
            violations.Add(new("pci_bus_id", "must be a full PCI BDF: dddd:bb:dd.f"));
        }

        FaultRequestValidator.CheckFaultId(request.FaultId, violations);
        FaultRequestValidator.CheckIdempotencyKey(request.IdempotencyKey, violations);
        FaultRequestValidator.CheckDuration(request.Duration, violations);
        FaultRequestValidator.CheckText("message", request.Message, FaultRequestValidator.MaxMessageLength, violations);
        InjectionSurfaces.Check(request.Surfaces, dcgmTarget: null, violations);
        FaultRequestValidator.ThrowIfAny(violations);
    }

    [GeneratedRegex(@"^[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]\z", RegexOptions.CultureInvariant)]
    private static partial Regex PciBdfPattern();
}
