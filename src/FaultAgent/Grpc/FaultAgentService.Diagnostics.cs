using FaultAgent.BugReports;
using FaultAgent.Paging;
using Grpc.Core;
using Proto = FaultInjection.Agent.V1;

namespace FaultAgent.Grpc;

/// <summary>
/// The telemetry (nvidia-smi) and bug-report (nvidia-bug-report.sh) RPCs: thin calls into <c>GpuTelemetryService</c> and
/// <see cref="BugReportCollector"/>; their exceptions carry the status (see <see cref="FaultErrorInterceptor"/>).
/// </summary>
public sealed partial class FaultAgentService
{
    public async Task<Proto.GpuTelemetry> GetGpuTelemetry(Proto.GetGpuTelemetryRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        return (await telemetry.GetTelemetryAsync(request.Refresh, context.CancellationToken).ConfigureAwait(false)).ToProto();
    }

    public async Task<Proto.GpuProcesses> ListGpuProcesses(Proto.ListGpuProcessesRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        return (await telemetry.GetProcessesAsync(request.IncludePmon, context.CancellationToken).ConfigureAwait(false)).ToProto();
    }

    /// <summary>Starts a report recorded with the authenticated caller (<c>&lt;token-name&gt;[/&lt;x-fault-caller&gt;]</c>), or returns the running one.</summary>
    public async Task<Proto.StartBugReportResponse> StartBugReport(Proto.StartBugReportRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        return (await bugReports.StartAsync(request.Trigger, Caller(context), context.CancellationToken).ConfigureAwait(false)).ToProto();
    }

    public Task<Proto.ListBugReportsResponse> ListBugReports(Proto.ListBugReportsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var violations = new List<Faults.FaultFieldViolation>();
        var page = PageRequest.FromPageSize(request.PageSize, request.PageToken, violations);
        Faults.FaultRequestValidator.ThrowIfAny(violations);
        return Task.FromResult(bugReports.List(page).ToProto());
    }

    public Task<Proto.BugReport> GetBugReport(Proto.GetBugReportRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.FromResult(bugReports.Get(request.ReportId).ToProto());
    }

    /// <summary>
    /// Streams the finished archive from its file, one chunk buffer at a time (never the whole file in memory). A caller
    /// that takes no chunk for <c>Agent:BugReports:DownloadIdleTimeout</c> loses the download: its place and file are freed
    /// at once, then the call ends ABORTED (see <see cref="StalledStreamEnding"/>).
    /// </summary>
    public async Task DownloadBugReport(Proto.DownloadBugReportRequest request, IServerStreamWriter<Proto.BugReportChunk> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var download = bugReports.OpenRead(request.ReportId);
        BugReportDownloadIdleException? idle = null;
        await using (download.ConfigureAwait(false))
        {
            try
            {
                await BugReportChunks.WriteAsync(download, responseStream, context.CancellationToken).ConfigureAwait(false);
            }
            catch (BugReportDownloadIdleException e)
            {
                idle = e;
            }
        }

        if (idle is not null)
        {
            // The download is disposed (place and file freed); the unsent chunk still waits in the stream's output.
            // The caller gets the idle timeout once more to read the rest and hear why; then the stream is reset.
            bugReports.RecordIdleDownload(idle);
            await StalledStreamEnding.EndAsync(context, FaultErrorStatuses.BugReportDownloadIdle(idle), idle.IdleTimeout, download.Time).ConfigureAwait(false);
            // Ended with the stream (taken, or failed by the reset): observed, never awaited.
            _ = idle.PendingWrite?.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            bugReports.RecordIdleDownloadReset(idle);
        }
    }
}
