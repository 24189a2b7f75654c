using FaultAgent.BugReports;
using FaultAgent.Grpc;
using Microsoft.Extensions.Time.Testing;

namespace FaultAgent.Tests.BugReports;

/// <summary>
/// <see cref="BugReportChunks.WriteAsync"/>'s idle timeout on the writes a caller must take (<c>Agent:BugReports:DownloadIdleTimeout</c>):
/// each write waits at most that long, so a reader that keeps taking chunks is never cut however long the whole download
/// takes, and one that stops is ended with the write it never took. The clock is a <see cref="FakeTimeProvider"/> and the
/// writes complete only when the test takes them.
/// </summary>
public sealed class BugReportChunksIdleTests
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task WriteAsync_EachChunkTakenWithinTheIdleTimeout_WholeArchiveWrittenOverFarLonger()
    {
        await using var download = Download(50);
        var writer = new HeldStreamWriter();

        var writing = BugReportChunks.WriteAsync(download, writer, CancellationToken.None, chunkSize: 10);
        var taken = new List<byte>();
        for (var i = 0; i < 5; i++)
        {
            var (chunk, take) = await writer.NextAsync();
            _time.Advance(TimeSpan.FromSeconds(29));
            taken.AddRange(chunk.Data);
            take.SetResult();
        }

        await writing;
        Assert.Equal(Content(50), taken);
        Assert.True(_time.GetUtcNow() - Start > IdleTimeout * 4);
    }

    [Fact]
    public async Task WriteAsync_ChunkNotTakenForTheIdleTimeout_EndsIdleNamingTheSettingWithTheWriteStillPending()
    {
        await using var download = Download(50);
        var writer = new HeldStreamWriter();

        var writing = BugReportChunks.WriteAsync(download, writer, CancellationToken.None, chunkSize: 10);
        (await writer.NextAsync()).Taken.SetResult();
        var (_, second) = await writer.NextAsync();
        _time.Advance(IdleTimeout - TimeSpan.FromSeconds(1));
        Assert.False(writing.IsCompleted);

        // Moved on until the write's wait (started just after the write) is past the timeout.
        for (var i = 0; i < 100 && !writing.IsCompleted; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(writing, Task.Delay(20));
        }

        var idle = await Assert.ThrowsAsync<BugReportDownloadIdleException>(() => writing);
        Assert.Contains("Agent:BugReports:DownloadIdleTimeout", idle.Message, StringComparison.Ordinal);
        Assert.Contains("after 10 bytes", idle.Message, StringComparison.Ordinal);
        Assert.Equal("node-a", idle.NodeName);
        Assert.Equal("report-1", idle.ReportId);
        Assert.Equal(IdleTimeout, idle.IdleTimeout);
        Assert.Same(second.Task, idle.PendingWrite);
        Assert.False(second.Task.IsCompleted);
    }

    private static DateTimeOffset Start => new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private static byte[] Content(int length) => Enumerable.Range(0, length).Select(i => (byte)i).ToArray();

    private BugReportDownload Download(int length) =>
        new("report-1", new MemoryStream(Content(length)), "nvidia-bug-report.log.gz", length, "")
        {
            NodeName = "node-a",
            IdleTimeout = IdleTimeout,
            Time = _time,
        };
}
