using System.CommandLine;
using System.Globalization;
using FaultCtl.Hosting;
using FaultCtl.Output;
using FaultInjection.Client.BugReports;

namespace FaultCtl.BugReports;

/// <summary>
/// <c>faultctl bug-report --node n [--id id] [--download [path]]</c>: starts nvidia-bug-report.sh on the node (or joins
/// the one running there, or follows <c>--id</c>), waits for it to end, and saves the archive, its SHA-256 checked.
/// </summary>
public static class BugReportCommand
{
    /// <summary>How often a running report's status is read.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>The <c>bug-report</c> command.</summary>
    public static Command Create(CommandActions actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var node = new Option<string>("--node", "-n") { Description = "The node to collect from.", Required = true, HelpName = "node" };
        var id = new Option<string?>("--id") { Description = "An existing report (default: start one, or join the one running on the node).", HelpName = "report-id" };
        var download = new Option<string?>("--download") { Description = "Save the archive (default name: the server's, <node>_<id>_nvidia-bug-report.log.gz, in the current directory); its SHA-256 is checked.", HelpName = "path", Arity = ArgumentArity.ZeroOrOne };
        var noWait = new Option<bool>("--no-wait") { Description = "Print the report as it is now; do not wait for it to end." };
        var command = new Command("bug-report", "Collect nvidia-bug-report.sh from a node and download the archive.") { node, id, download, noWait };
        actions.Set(command, async (context, parse, cancellationToken) =>
        {
            var nodeName = parse.GetRequiredValue(node);
            var reportId = parse.GetValue(id);
            var wantsDownload = parse.GetResult(download) is not null;
            if (wantsDownload && parse.GetValue(noWait))
            {
                throw new UsageException("--download waits for the report to end: it cannot go with --no-wait.");
            }

            BugReport report;
            if (reportId is null)
            {
                report = await context.Client.StartBugReportAsync(nodeName, cancellationToken).ConfigureAwait(false);
                if (!context.Json)
                {
                    context.Error.WriteLine(report.AlreadyRunning == true ? $"joined report {report.Id}, already running on {nodeName}" : $"started report {report.Id} on {nodeName}");
                }
            }
            else
            {
                report = await context.Client.GetBugReportStatusAsync(nodeName, reportId, cancellationToken).ConfigureAwait(false);
            }

            if (!parse.GetValue(noWait))
            {
                while (report.Status == "running")
                {
                    await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
                    report = await context.Client.GetBugReportStatusAsync(nodeName, report.Id, cancellationToken).ConfigureAwait(false);
                }
            }

            if (report.Status is "failed" or "timed_out")
            {
                Write(context, report, null, null);
                throw new OutcomeException($"bug report {report.Id} on {nodeName} {report.Status.Replace('_', ' ')}: {report.Error}");
            }

            if (!wantsDownload)
            {
                Write(context, report, null, null);
                return ExitCodes.Success;
            }

            var path = parse.GetValue(download);
            var (saved, savedTo) = await SaveAsync(context, nodeName, report, path, cancellationToken).ConfigureAwait(false);
            Write(context, report, saved, savedTo);
            return ExitCodes.Success;
        });
        return command;
    }

    // Streams into a temporary file beside the destination and renames it only once the SHA-256 matched, so a broken or
    // corrupt download never leaves a file under the archive's name.
    private static async Task<(BugReportDownload Download, string Path)> SaveAsync(CommandContext context, string node, BugReport report, string? path, CancellationToken cancellationToken)
    {
        var directory = path is not null && Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path ?? "."))!;
        var partial = Path.Combine(directory, $".faultctl-{report.Id}-{Environment.ProcessId}.partial");
        try
        {
            BugReportDownload download;
            var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                download = await context.Client.DownloadBugReportAsync(node, report.Id, file, cancellationToken).ConfigureAwait(false);
            }

            var name = Path.GetFileName(download.FileName ?? report.FileName ?? $"{node}_{report.Id}_nvidia-bug-report.log.gz");
            var destination = path is null || Directory.Exists(path) ? Path.Combine(directory, name) : Path.GetFullPath(path);
            File.Move(partial, destination, overwrite: true);
            return (download, destination);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private static void Write(CommandContext context, BugReport report, BugReportDownload? download, string? path)
    {
        if (context.Json)
        {
            JsonOutput.Write(context.Output, new BugReportResult { Report = report, Download = download, Path = path }, CliJsonContext.Default.BugReportResult);
            return;
        }

        var table = new Table("REPORT", "NODE", "STATUS", "ELAPSED", "SIZE", "SHA256", "TRIGGER");
        table.Add(
            report.Id,
            report.NodeName,
            report.Status,
            string.Create(CultureInfo.InvariantCulture, $"{report.ElapsedSeconds:F1}s"),
            (report.SizeBytes > 0 ? report.SizeBytes : report.BytesWritten).ToString(CultureInfo.InvariantCulture),
            report.Sha256,
            report.Trigger);
        table.WriteTo(context.Output);
        if (download is not null)
        {
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"saved {path} ({download.Bytes} bytes, sha256 {download.Sha256})"));
        }
    }
}
