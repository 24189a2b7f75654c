using System.Globalization;
using FaultAgent.Gpus;
using FaultAgent.Xids;

namespace FaultAgent.Injection;

/// <summary>
/// Builds the kernel-log records of one injection exactly as the NVIDIA driver prints them:
/// <c>NVRM: Xid (PCI:%04x:%02x:%02x): %d, pid=%s, name=%s, %s</c> for GPUs and
/// <c>nvidia-nvswitch%d: SXid (PCI:%04x:%02x:%02x.%x): %d, Fatal|Non-fatal, Link %d %s</c> for NVSwitches,
/// plus the companion lines monitors use to attribute the fault. Every caller-supplied text is validated
/// (<see cref="InjectionValidationException"/>) before anything is built.
/// </summary>
public sealed class XidLineBuilder(XidCatalog catalog)
{
    /// <summary>Longest process name accepted (the kernel's comm is 15 characters; some drivers print more).</summary>
    public const int MaxProcessNameLength = 64;

    private const int UnknownXidLevel = 4; // the driver's default level (warning)

    private readonly XidCatalog _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));

    /// <summary>
    /// The records of one Xid on <paramref name="gpu"/>. <paramref name="message"/> empty: the catalog's body
    /// (an Xid outside the catalog needs one). <paramref name="pid"/> 0 and <paramref name="processName"/> empty:
    /// <c>pid='&lt;unknown&gt;', name=&lt;unknown&gt;</c>. With <paramref name="companionLines"/>: first
    /// <c>NVRM: GPU at PCI:dddd:bb:dd: GPU-uuid</c> (when the UUID is known), and for Xid 79 afterwards
    /// <c>NVRM: GPU dddd:bb:dd.f: GPU has fallen off the bus.</c>
    /// </summary>
    public InjectionLines BuildXid(int xid, GpuInfo gpu, string? message = null, long pid = 0, string? processName = null, bool companionLines = false)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        if (xid <= 0)
        {
            throw new InjectionValidationException("xid", $"Xid {xid} is not a valid Xid number (1 or more).");
        }

        var entry = _catalog.FindXid(xid);
        var body = string.IsNullOrEmpty(message) ? entry?.DefaultMessage : message;
        if (body is null)
        {
            throw new InjectionValidationException("message",
                $"Xid {xid} is not in the Xid catalog; give the message body the driver would print for it.");
        }

        KernelLogText.ValidateCharacters("message", body);
        if (pid < 0)
        {
            throw new InjectionValidationException("pid", $"pid {pid} is negative; give 0 for an unknown process.");
        }

        var name = processName ?? "";
        KernelLogText.ValidateCharacters("process_name", name);
        if (name.Length > MaxProcessNameLength)
        {
            throw new InjectionValidationException("process_name", $"the process name is {name.Length} characters long, more than {MaxProcessNameLength}.");
        }

        var comma = name.IndexOf(',', StringComparison.Ordinal);
        if (comma >= 0 || name.Contains(' ', StringComparison.Ordinal))
        {
            var at = comma >= 0 ? comma : name.IndexOf(' ', StringComparison.Ordinal);
            throw new InjectionValidationException("process_name",
                $"character '{name[at]}' at position {at} is not allowed in a process name: monitors split the line's fields on it.");
        }

        var pidText = pid > 0 ? pid.ToString(CultureInfo.InvariantCulture) : "'<unknown>'";
        var nameText = name.Length > 0 ? name : "<unknown>";
        var level = entry?.Level ?? UnknownXidLevel;
        var monitorLine = string.Create(CultureInfo.InvariantCulture, $"NVRM: Xid (PCI:{gpu.XidPci}): {xid}, pid={pidText}, name={nameText}, {body}");
        var recordText = JournaldIdentifier.ToRecordText(monitorLine);
        KernelLogText.ValidateRecordSize(string.IsNullOrEmpty(message) ? "xid" : "message", level, recordText);

        var records = new List<KernelLogLine>(3);
        if (companionLines && !string.IsNullOrEmpty(gpu.Uuid))
        {
            var uuid = gpu.Uuid.StartsWith("GPU-", StringComparison.Ordinal) ? gpu.Uuid : "GPU-" + gpu.Uuid;
            records.Add(new KernelLogLine(level, JournaldIdentifier.ToRecordText($"NVRM: GPU at PCI:{gpu.XidPci}: {uuid}")));
        }

        var mainIndex = records.Count;
        records.Add(new KernelLogLine(level, recordText));
        if (companionLines && xid == 79)
        {
            records.Add(new KernelLogLine(level, JournaldIdentifier.ToRecordText($"NVRM: GPU {gpu.PciBusId}: GPU has fallen off the bus.")));
        }

        return new InjectionLines(monitorLine, body, records, mainIndex);
    }

    /// <summary>
    /// The record of one SXid on NVSwitch <paramref name="nvswitchInstance"/> at <paramref name="pciBusId"/> (full BDF).
    /// <paramref name="message"/> empty: the catalog's text (an SXid outside the catalog needs one).
    /// Fatal SXids are written at err (3), the others at warning (4).
    /// </summary>
    public InjectionLines BuildSxid(int sxid, int nvswitchInstance, string pciBusId, int link, string? message = null)
    {
        if (sxid <= 0)
        {
            throw new InjectionValidationException("sxid", $"SXid {sxid} is not a valid SXid number (1 or more).");
        }

        if (nvswitchInstance < 0)
        {
            throw new InjectionValidationException("nvswitch", $"NVSwitch instance {nvswitchInstance} is negative.");
        }

        if (link < 0)
        {
            throw new InjectionValidationException("link", $"link {link} is negative.");
        }

        if (!PciAddress.TryParse(pciBusId, out var address) || !address.HasFunction)
        {
            throw new InjectionValidationException("pci_bus_id", $"'{pciBusId}' is not a PCI address of the form dddd:bb:dd.f.");
        }

        var entry = _catalog.FindSxid(sxid);
        var text = string.IsNullOrEmpty(message) ? entry?.DefaultMessage : message;
        if (text is null)
        {
            throw new InjectionValidationException("message",
                $"SXid {sxid} is not in the SXid catalog; give the text the driver would print for it.");
        }

        KernelLogText.ValidateCharacters("message", text);
        var fatal = entry?.Fatal ?? false;
        var level = fatal ? 3 : 4;
        var body = string.Create(CultureInfo.InvariantCulture, $"{(fatal ? "Fatal" : "Non-fatal")}, Link {link} {text}");
        var monitorLine = string.Create(CultureInfo.InvariantCulture, $"nvidia-nvswitch{nvswitchInstance}: SXid (PCI:{address.BusId}): {sxid}, {body}");
        var recordText = JournaldIdentifier.ToRecordText(monitorLine);
        KernelLogText.ValidateRecordSize(string.IsNullOrEmpty(message) ? "sxid" : "message", level, recordText);
        return new InjectionLines(monitorLine, body, [new KernelLogLine(level, recordText)], 0);
    }
}
