using System.Globalization;
using FaultCtl.Output;
using FaultInjection.Client.Faults;

namespace FaultCtl.Faults;

/// <summary>Faults as rows: what injection, listing and clearing print.</summary>
public static class FaultTable
{
    /// <summary>Injections: id, node, target, status, the kernel's sequence number of the line, expiry, the line.</summary>
    public static void WriteInjected(TextWriter writer, IEnumerable<Fault> faults)
    {
        var table = new Table("FAULT", "NODE", "TARGET", "STATUS", "SEQ", "EXPIRES", "LINE");
        foreach (var fault in faults)
        {
            var record = fault.Records.FirstOrDefault(r => r.Text.Contains(fault.Line, StringComparison.Ordinal) && fault.Line.Length > 0) ?? (fault.Records.Count > 0 ? fault.Records[0] : null);
            var status = fault.Replayed ? $"{fault.Status} (replayed)" : fault.Status;
            if (!string.IsNullOrEmpty(fault.BugReportId))
            {
                status += $" bug-report:{fault.BugReportId}";
            }

            table.Add(fault.FaultId, fault.NodeName, fault.Target, status, record?.Sequence.ToString(CultureInfo.InvariantCulture), Time(fault.ExpiresAt), fault.Line);
        }

        table.WriteTo(writer);
    }

    /// <summary>Records: id, node, target, Xid/SXid, state, injected, ended (or expiry), caller, how it ended.</summary>
    public static void WriteRecords(TextWriter writer, IEnumerable<Fault> faults)
    {
        var table = new Table("FAULT", "NODE", "TARGET", "CODE", "STATE", "INJECTED", "ENDS", "CALLER", "ENDED BY");
        foreach (var fault in faults)
        {
            table.Add(
                fault.FaultId,
                fault.NodeName,
                fault.Target,
                string.Create(CultureInfo.InvariantCulture, $"{fault.Kind} {fault.Code}"),
                fault.State,
                Time(fault.InjectedAt),
                Time(fault.EndedAt ?? fault.ExpiresAt),
                fault.Caller,
                fault.EndedBy is null ? null : $"{fault.EndedBy}: {fault.EndedReason}");
        }

        table.WriteTo(writer);
    }

    /// <summary>A time as UTC to the second (<c>2026-01-31T12:00:00Z</c>).</summary>
    public static string? Time(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
