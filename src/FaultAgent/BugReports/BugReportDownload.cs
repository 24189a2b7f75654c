namespace FaultAgent.BugReports;

/// <summary>An open archive to stream to a caller; dispose it when done.</summary>
public sealed class BugReportDownload : IDisposable, IAsyncDisposable
{
    public BugReportDownload(string reportId, Stream content, string fileName, long totalSize, string sha256)
    {
        ReportId = reportId;
        Content = content;
        FileName = fileName;
        TotalSize = totalSize;
        Sha256 = sha256;
    }

    public string ReportId { get; }

    public Stream Content { get; }

    public string FileName { get; }

    public long TotalSize { get; }

    public string Sha256 { get; }

    public void Dispose() => Content.Dispose();

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
