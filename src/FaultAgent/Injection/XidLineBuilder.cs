using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FaultAgent.Faults;
using FaultAgent.Gpus;
using FaultAgent.Xids;

namespace FaultAgent.Injection;

/// <summary>
/// Builds the kernel-log records of one injection exactly as the NVIDIA driver prints them (NVIDIA
/// open-gpu-kernel-modules): the Xid line of <c>krcReportXid</c> (<c>src/nvidia/src/kernel/gpu/rc/kernel_rc.c</c>) in the
/// chosen driver branch's form, with its MIG attribution and process; the once-per-GPU preamble of
/// <c>_krcLogUuidOnce</c>; Xid 79's follow-up lines of <c>osHandleGpuLost</c> (<c>osinit.c</c>) and the probe-time
/// message of <c>RmInitAdapter</c>'s lost-GPU check (<c>osapi.c</c>); the SXid line of <c>NVSWITCH_PRINT_SXID</c>
/// (<c>common_nvswitch.h</c>, <c>intr_nvswitch.h</c>) and its Severity/Data lines (<c>error_nvswitch.c</c>). Every NVRM
/// record is printed by <c>nv_printf</c> without a <c>KERN_</c> level, so it lands at the default level 4; SXid records
/// are <c>KERN_ERR</c> (3). Every caller value is checked against the driver's own limits first
/// (<see cref="InvalidRequestException"/>, naming the field and the limit): nothing is built from a bad request.
/// </summary>
public sealed partial class XidLineBuilder(XidCatalog catalog)
{
    /// <summary>The body's limit: the driver formats it into a <c>MAX_ERROR_STRING</c> (512) buffer with its NUL.</summary>
    public const int MaxBodyLength = 511;

    /// <summary>The kernel's comm: <c>TASK_COMM_LEN</c> 16 with its NUL (<c>os_get_current_process_name</c>).</summary>
    public const int MaxProcessNameLength = 15;

    /// <summary>The kernel's <c>PID_MAX_LIMIT</c> on 64-bit (4 * 1024 * 1024).</summary>
    public const long MaxPid = 4_194_304;

    /// <summary>GPU instances gi0-gi14 and compute instances ci0-ci7 (<c>kernel-open/nvidia/nv-caps.c</c>).</summary>
    public const int MaxGpuInstance = 14;

    public const int MaxComputeInstance = 7;

    /// <summary><c>NVSWITCH_MAX_NUM_LINKS</c> is 100: links 0-99, printed <c>%02d</c>.</summary>
    public const int MaxLink = 99;

    /// <summary>Data words of the SXid follow-up lines: flags and data[0..15].</summary>
    public const int MaxSxidDataWords = 17;

    /// <summary>The level of every NVRM record (nv_printf adds none: the console default, warning).</summary>
    public const int XidLevel = 4;

    /// <summary>The level of every SXid record (<c>nvswitch_os_print</c> with <c>NVSWITCH_DBG_LEVEL_ERROR</c>: KERN_ERR).</summary>
    public const int SxidLevel = 3;

    private readonly XidCatalog _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));

    /// <summary>Builds the records of one Xid (see <see cref="XidLineRequest"/>); validates everything first.</summary>
    public InjectionLines BuildXid(XidLineRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var gpu = request.Gpu;
        var xid = request.Xid;
        if (xid is < 1 or > 999)
        {
            throw new InvalidRequestException("xid", $"Xid {xid} is not a valid Xid number (1 to 999).");
        }

        var entry = _catalog.FindXid(xid);
        var custom = !string.IsNullOrEmpty(request.Message);
        var body = custom ? request.Message! : entry?.DefaultMessage
            ?? throw new InvalidRequestException("message", $"Xid {xid} is not in the Xid catalog; give the message body the driver would print for it.");
        KernelLogText.ValidateCharacters("message", body);
        if (body.Length > MaxBodyLength)
        {
            throw new InvalidRequestException("message",
                $"the body is {body.Length} characters, more than the driver's limit of {MaxBodyLength} (MAX_ERROR_STRING 512 with its NUL).");
        }

        body = ApplyChannel(request, body, custom);
        var process = ProcessFields(request);
        var rootCause = RootCause(request);
        var attribution = MigAttribution(request);

        var monitorLine = string.Create(CultureInfo.InvariantCulture, $"NVRM: Xid (PCI:{gpu.XidPci}{attribution}): {xid}, {process}{body}{rootCause}");
        var records = new List<KernelLogLine>(6);
        var notes = new List<string>();
        var board = request.Board;
        var serialNoted = false;
        if (request.Preamble && !request.OmitCompanionRecords)
        {
            if (string.IsNullOrEmpty(gpu.Uuid))
            {
                notes.Add($"The GPU's UUID is unknown ({gpu.SourcePath} has no GPU UUID): the 'NVRM: GPU at PCI:{gpu.XidPci}: GPU-<uuid>' line is left out.");
            }
            else
            {
                var uuid = gpu.Uuid.StartsWith("GPU-", StringComparison.Ordinal) ? gpu.Uuid : "GPU-" + gpu.Uuid;
                records.Add(Nvrm($"{GpuPreambleRecords.UuidLinePrefix}{gpu.XidPci}: {uuid}"));
            }

            if (board?.Serial is { } serial)
            {
                records.Add(Nvrm(GpuPreambleRecords.SerialLinePrefix + serial));
            }
            else
            {
                notes.Add(SerialNote(board, "'NVRM: GPU Board Serial Number: <serial>' line"));
                serialNoted = true;
            }
        }

        var mainIndex = records.Count;
        records.Add(Nvrm(monitorLine));
        if (xid == 79 && !request.OmitCompanionRecords)
        {
            records.Add(Nvrm($"NVRM: GPU {gpu.PciBusId}: GPU has fallen off the bus."));
            if (board?.Serial is { } serial)
            {
                records.Add(Nvrm($"NVRM: GPU {gpu.PciBusId}: GPU serial number is {serial}."));
            }
            else if (!serialNoted)
            {
                notes.Add(SerialNote(board, $"'NVRM: GPU {gpu.PciBusId}: GPU serial number is <serial>.' line"));
            }
        }

        if (request.FallenOffBusProbe)
        {
            if (xid != 79)
            {
                throw new InvalidRequestException("fallen_off_bus_probe", "the probe-time 'fallen off the bus' record goes with Xid 79 only.");
            }

            if (board?.PciId is not { } pciId)
            {
                throw new InvalidRequestException("fallen_off_bus_probe",
                    $"the record prints the GPU's PCI ID, which is unknown here ({board?.UnavailableReason ?? "not looked up"}); it is never invented.");
            }

            records.Add(Nvrm(
                $"NVRM: The NVIDIA GPU {gpu.PciBusId}\nNVRM: (PCI ID: {pciId}) installed in this system has\nNVRM: fallen off the bus and is not responding to commands."));
        }

        foreach (var record in records)
        {
            KernelLogText.ValidateRecordSize(custom ? "message" : "xid", record.Level, record.Text);
        }

        return new InjectionLines(monitorLine, body, records, mainIndex) { Notes = notes };
    }

    /// <summary>Builds the records of one SXid (see <see cref="SxidLineRequest"/>); validates everything first.</summary>
    public InjectionLines BuildSxid(SxidLineRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sxid = request.Sxid;
        if (sxid is < 1 or > 99999)
        {
            throw new InvalidRequestException("sxid", $"SXid {sxid} is not a valid SXid number (1 to 99999, printed %05d).");
        }

        if (request.NvSwitch < 0)
        {
            throw new InvalidRequestException("nvswitch", $"NVSwitch instance {request.NvSwitch} is negative.");
        }

        if (request.Link is < 0 or > MaxLink)
        {
            throw new InvalidRequestException("link", $"link {request.Link} is outside 0 to {MaxLink} (NVSWITCH_MAX_NUM_LINKS 100).");
        }

        if (!PciAddress.TryParse(request.PciBusId, out var address) || !address.HasFunction)
        {
            throw new InvalidRequestException("pci_bus_id", $"'{request.PciBusId}' is not a PCI address of the form dddd:bb:dd.f.");
        }

        if (request.Data.Count > MaxSxidDataWords)
        {
            throw new InvalidRequestException("data", $"{request.Data.Count} data words, more than the {MaxSxidDataWords} the driver prints (flags and data[0..15]).");
        }

        var entry = _catalog.FindSxid(sxid);
        var custom = !string.IsNullOrEmpty(request.Message);
        var text = custom ? request.Message! : entry?.DefaultMessage
            ?? throw new InvalidRequestException("message", $"SXid {sxid} is not in the SXid catalog; give the text the driver would print for it.");
        KernelLogText.ValidateCharacters("message", text);
        var errorClass = ErrorClass(request.ErrorClass, entry);

        var prefix = string.Create(CultureInfo.InvariantCulture, $"nvidia-nvswitch{request.NvSwitch}: SXid (PCI:{address.BusId}): {sxid:D5}, ");
        var body = string.Create(CultureInfo.InvariantCulture, $"{errorClass}, Link {request.Link:D2} {text}{(request.First ? " (First)" : "")}");
        var monitorLine = prefix + body;
        var records = new List<KernelLogLine>(4) { Sxid(monitorLine) };
        if (!request.OmitCompanionRecords)
        {
            var severity = errorClass == "Fatal" ? 1 : 0;
            records.Add(Sxid(string.Create(CultureInfo.InvariantCulture, $"{prefix}Severity {severity} Engine instance {request.Link:D2} Sub-engine instance 00")));
            var words = new uint[MaxSxidDataWords];
            for (var i = 0; i < request.Data.Count; i++)
            {
                words[i] = request.Data[i];
            }

            records.Add(Sxid(prefix + "Data {" + string.Join(", ", words[..9].Select(Hex)) + "}"));
            if (words[9..].Any(w => w != 0))
            {
                records.Add(Sxid(prefix + "Data {" + string.Join(", ", words[9..].Select(Hex)) + "}"));
            }
        }

        foreach (var record in records)
        {
            KernelLogText.ValidateRecordSize(custom ? "message" : "sxid", record.Level, record.Text);
        }

        return new InjectionLines(monitorLine, body, records, 0);
    }

    /// <summary>The class a request names, or the catalog's; an SXid outside the catalog defaults to Non-fatal.</summary>
    private static string ErrorClass(string? requested, SxidCatalogEntry? entry)
    {
        if (string.IsNullOrEmpty(requested))
        {
            return entry?.ErrorClass ?? "Non-fatal";
        }

        foreach (var known in (string[])["Fatal", "Non-fatal", "Correctable"])
        {
            if (string.Equals(requested, known, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        throw new InvalidRequestException("error_class", $"'{requested}' is not a class the driver prints: Fatal, Non-fatal or Correctable.");
    }

    private static string Hex(uint word) => string.Create(CultureInfo.InvariantCulture, $"0x{word:x8}");

    /// <summary><c>pid=%s, name=%s, </c>, the unknown-process form (up to 565), or nothing (570 and later without a process).</summary>
    private static string ProcessFields(XidLineRequest request)
    {
        var name = request.ProcessName ?? "";
        if (request.Pid is < 0 or > MaxPid)
        {
            throw new InvalidRequestException("pid", string.Create(CultureInfo.InvariantCulture, $"pid {request.Pid} is outside 1 to {MaxPid} (the kernel's PID_MAX_LIMIT); give 0 for no process."));
        }

        KernelLogText.ValidateCharacters("process_name", name);
        if (name.Length > MaxProcessNameLength)
        {
            throw new InvalidRequestException("process_name",
                $"the process name is {name.Length} characters long; the kernel's comm holds at most {MaxProcessNameLength} (TASK_COMM_LEN 16 with its NUL).");
        }

        if (request.Pid > 0 && name.Length == 0)
        {
            throw new InvalidRequestException("process_name", "a pid needs its process name: the driver prints both (pid=%s, name=%s).");
        }

        if (request.Pid == 0 && name.Length > 0)
        {
            throw new InvalidRequestException("pid", "a process name needs its pid: the driver prints both (pid=%s, name=%s).");
        }

        if (request.Pid > 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"pid={request.Pid}, name={name}, ");
        }

        return request.Driver.PrintsUnknownProcess ? "pid='<unknown>', name=<unknown>, " : "";
    }

    /// <summary>Puts the requested channel into a catalog body's <c>Ch %08x</c>.</summary>
    private static string ApplyChannel(XidLineRequest request, string body, bool custom)
    {
        if (request.Channel is not { } channel)
        {
            return body;
        }

        if (custom)
        {
            throw new InvalidRequestException("channel", "channel fills the catalog body's 'Ch %08x'; with your own message, write the channel in it.");
        }

        var match = ChannelPattern().Match(body);
        if (!match.Success)
        {
            throw new InvalidRequestException("channel", string.Create(CultureInfo.InvariantCulture, $"Xid {request.Xid}'s catalog body prints no channel ('Ch %08x'): {body}"));
        }

        return string.Concat(body.AsSpan(0, match.Index), string.Create(CultureInfo.InvariantCulture, $"Ch {channel:x8}"), body.AsSpan(match.Index + match.Length));
    }

    /// <summary>Xid 45 from 570.123.01: <c> caused by previous Xid N</c> (the space is the driver's).</summary>
    private static string RootCause(XidLineRequest request)
    {
        if (request.PreviousXid == 0)
        {
            return "";
        }

        if (request.Xid != 45)
        {
            throw new InvalidRequestException("previous_xid", "only Xid 45 (ROBUST_CHANNEL_PREEMPTIVE_REMOVAL) names a previous Xid as its cause.");
        }

        if (request.PreviousXid is < 1 or > 999)
        {
            throw new InvalidRequestException("previous_xid", string.Create(CultureInfo.InvariantCulture, $"Xid {request.PreviousXid} is not a valid Xid number (1 to 999)."));
        }

        if (!request.Driver.PrintsRootCause)
        {
            throw new InvalidRequestException("previous_xid",
                $"driver {request.Driver.Version?.Text ?? "?"} ({request.Driver.FormName}) does not print 'caused by previous Xid N'; drivers print it from 570.123.01.");
        }

        return string.Create(CultureInfo.InvariantCulture, $" caused by previous Xid {request.PreviousXid}");
    }

    /// <summary><c> GPU-I:%02u</c> and <c> GPU-CI:%02u</c>.</summary>
    private static string MigAttribution(XidLineRequest request)
    {
        if (request.ComputeInstance is not null && request.GpuInstance is null)
        {
            throw new InvalidRequestException("compute_instance", "a compute instance is attributed within a GPU instance: give gpu_instance too.");
        }

        if (request.GpuInstance is not { } gi)
        {
            return "";
        }

        if (gi is < 0 or > MaxGpuInstance)
        {
            throw new InvalidRequestException("gpu_instance", string.Create(CultureInfo.InvariantCulture, $"GPU instance {gi} is outside 0 to {MaxGpuInstance} (gi0-gi14)."));
        }

        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $" GPU-I:{gi:D2}"));
        if (request.ComputeInstance is { } ci)
        {
            if (ci is < 0 or > MaxComputeInstance)
            {
                throw new InvalidRequestException("compute_instance", string.Create(CultureInfo.InvariantCulture, $"compute instance {ci} is outside 0 to {MaxComputeInstance} (ci0-ci7)."));
            }

            text.Append(CultureInfo.InvariantCulture, $" GPU-CI:{ci:D2}");
        }

        return text.ToString();
    }

    private static string SerialNote(GpuBoardInfo? board, string what) =>
        $"The board serial is unknown ({board?.UnavailableReason ?? "not looked up"}): the {what} is left out; a serial is never invented.";

    private static KernelLogLine Nvrm(string line) => new(XidLevel, JournaldIdentifier.ToRecordText(line));

    private static KernelLogLine Sxid(string line) => new(SxidLevel, JournaldIdentifier.ToRecordText(line));

    [GeneratedRegex("Ch [0-9a-f]{8}", RegexOptions.CultureInvariant)]
    private static partial Regex ChannelPattern();
}
