using System.Threading.Channels;
using FaultInjection.Agent.V1;
using Grpc.Core;

namespace FaultAgent.Tests.BugReports;

/// <summary>A response stream whose writes complete only when the test takes them, as a reader's flow control would.</summary>
internal sealed class HeldStreamWriter : IServerStreamWriter<BugReportChunk>
{
    private readonly Channel<(BugReportChunk Chunk, TaskCompletionSource Taken)> _pending = Channel.CreateUnbounded<(BugReportChunk, TaskCompletionSource)>();

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(BugReportChunk message) => WriteAsync(message, CancellationToken.None);

    public Task WriteAsync(BugReportChunk message, CancellationToken cancellationToken)
    {
        var taken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending.Writer.TryWrite((message, taken));
        return taken.Task;
    }

    /// <summary>Waits for the next write and returns it with the source that completes it when taken.</summary>
    public async Task<(BugReportChunk Chunk, TaskCompletionSource Taken)> NextAsync() =>
        await _pending.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
}
