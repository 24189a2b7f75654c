using FaultAgent.Hosting;
using FaultAgent.HostProcesses;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaultAgent.BugReports;

/// <summary>
/// One run of <c>nvidia-bug-report.sh</c> on the host for one report: its command line (the archive written into the
/// host's view of the report's directory, <c>--safe-mode</c> and <c>--extra-system-data</c> as configured, run in that
/// directory), its console kept as <c>console.txt</c>, and its outcome as the report will record it.
/// </summary>
internal sealed class BugReportToolRun(
    IHostCommandRunner runner,
    IOptions<AgentOptions> agent,
    IOptions<HostToolsOptions> tools,
    IOptions<BugReportOptions> options,
    BugReportStore store,
    ILogger logger)
{
    /// <summary>Runs the tool for <paramref name="reportId"/>; never throws (every failure is an outcome).</summary>
    public async Task<(BugReportStatus Status, int? ExitCode, string Error)> RunAsync(string reportId, CancellationToken stopping)
    {
        var settings = options.Value;
        var hostDir = HostReportDirectory(reportId);
        var args = new List<string> { "--output-file", Path.Combine(hostDir, BugReportStore.OutputFileName) };
        if (settings.SafeMode)
        {
            args.Add("--safe-mode");
        }

        if (settings.ExtraSystemData)
        {
            args.Add("--extra-system-data");
        }

        // The script refuses to run unless its working directory is writable: run it in the report's directory.
        var command = new HostCommand(tools.Value.NvidiaBugReportPath, args, settings.Timeout)
        {
            WorkingDirectory = hostDir,
            MaxOutputBytes = 256 * 1024,
        };

        try
        {
            var result = await runner.RunAsync(command, stopping).ConfigureAwait(false);
            await WriteConsoleAsync(reportId, result).ConfigureAwait(false);
            return result.ExitCode == 0
                ? (BugReportStatus.Succeeded, result.ExitCode, "")
                : (BugReportStatus.Failed, result.ExitCode, $"exit code {result.ExitCode}: {LastLine(result)}");
        }
        catch (HostCommandTimeoutException ex)
        {
            return (BugReportStatus.TimedOut, null, ex.Message);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HostCommandStoppedException)
        {
            return (BugReportStatus.Failed, null, BugReportCollector.StoppingError);
        }
        catch (HostCommandException ex)
        {
            return (BugReportStatus.Failed, null, ex.Message);
        }
        catch (Exception ex)
        {
            BugReportsLog.Unexpected(logger, ex, reportId);
            return (BugReportStatus.Failed, null, ex.Message);
        }
    }

    private string HostReportDirectory(string id)
    {
        var hostState = options.Value.HostStateDirectory is { Length: > 0 } dir ? dir : agent.Value.StateDirectory;
        return Path.Combine(hostState, "bug-reports", id);
    }

    private async Task WriteConsoleAsync(string id, HostCommandResult result)
    {
        var text = result.StandardOutput + (result.StandardError.Length > 0 ? "\n--- stderr ---\n" + result.StandardError : "");
        await File.WriteAllTextAsync(Path.Combine(store.ReportDirectory(id), "console.txt"), text).ConfigureAwait(false);
    }

    private static string LastLine(HostCommandResult result)
    {
        var text = result.StandardError.Trim().Length > 0 ? result.StandardError : result.StandardOutput;
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no output";
    }
}
