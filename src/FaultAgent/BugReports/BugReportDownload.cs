namespace FaultAgent.BugReports;

/// <summary>An open archive to stream to a caller; dispose it when done (that also frees its place among the node's downloads).</summary>
public sealed class BugReportDownload : IDisposable, IAsyncDisposable
{
    private Action? _onEnded;

    public BugReportDownload(string reportId, Stream content, string fileName, long totalSize, string sha256, Action? onEnded = null)
    {
        ReportId = reportId;
        Content = content;
        FileName = fileName;
        TotalSize = totalSize;
        Sha256 = sha256;
        _onEnded = onEnded;
    }

    public string ReportId { get; }

    public Stream Content { get; }

    public string FileName { get; }

    public long TotalSize { get; }

    public string Sha256 { get; }

    /// <summary>The node serving it (named in the idle status).</summary>
    public string NodeName { get; init; } = "";

    /// <summary>How long a write may wait for the caller to take a chunk (<c>Agent:BugReports:DownloadIdleTimeout</c>); infinite: no limit.</summary>
    public TimeSpan IdleTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>The clock of <see cref="IdleTimeout"/> (the agent's <see cref="TimeProvider"/>; a fake one in tests).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public void Dispose()
    {
        Content.Dispose();
        Interlocked.Exchange(ref _onEnded, null)?.Invoke();
    }

    public async ValueTask DisposeAsync()
    {
        await Content.DisposeAsync().ConfigureAwait(false);
        Interlocked.Exchange(ref _onEnded, null)?.Invoke();
    }
}
