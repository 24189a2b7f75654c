using System.Net;
using System.Text;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// A TCP relay in front of an agent's gRPC (HTTP/2, prior knowledge) port that keeps an answer in flight on demand: the
/// first request whose message carries <see cref="HoldAnswerTo"/>'s bytes reaches the agent whole, and when the agent
/// starts answering it (its HEADERS frame on that stream) the relay stops passing that connection's answers on until
/// <see cref="Release"/> (or its disposal). <see cref="Held"/> completes then: the agent has done the work and answered,
/// the API's call is still waiting. Or, with <see cref="DropAnswersTo"/>, it resets the connection at every answer to a
/// request carrying the marker (the agent did the work, the answer is lost, again on every retry) until
/// <see cref="StopDropping"/>. Everything else, and every other connection, passes straight through.
/// </summary>
public sealed class AnswerHoldingHttp2Relay : Http2FrameRelay
{
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[]? _marker;
    private byte[]? _dropMarker;
    private int _dropped;

    /// <summary>A relay accepting on <paramref name="listen"/> (an agent pod's address and the agents' port) for the agent at <paramref name="target"/>.</summary>
    public AnswerHoldingHttp2Relay(IPEndPoint target, IPEndPoint listen)
        : base(target, listen) => Start();

    /// <summary>Completes when the agent's answer to the marked request reached the relay and is being held.</summary>
    public Task Held => _held.Task;

    /// <summary>Holds the answer to the first request whose message contains <paramref name="marker"/> (ASCII).</summary>
    public void HoldAnswerTo(string marker) => Volatile.Write(ref _marker, Encoding.ASCII.GetBytes(marker));

    /// <summary>Resets the connection at the agent's answer to every request whose message contains <paramref name="marker"/> (ASCII), until <see cref="StopDropping"/>.</summary>
    public void DropAnswersTo(string marker) => Volatile.Write(ref _dropMarker, Encoding.ASCII.GetBytes(marker));

    /// <summary>Passes every answer on again.</summary>
    public void StopDropping() => Volatile.Write(ref _dropMarker, null);

    /// <summary>How many answers were dropped (each to a request the agent answered).</summary>
    public int Dropped => Volatile.Read(ref _dropped);

    /// <summary>Passes the held answer on (to a connection that may be gone by then).</summary>
    public void Release() => _released.TrySetResult();

    protected override void OnStopping() => Release();

    /// <summary>Marks the stream carrying the marker and holds at the answer to it; resets at every answer to a request carrying the drop marker.</summary>
    protected override async ValueTask<bool> OnFrameAsync(RelayedConnection connection, Http2Frame frame)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.FromClient && frame.Type == DataFrame && Volatile.Read(ref _dropMarker) is { } drop && frame.Payload.AsSpan().IndexOf(drop) >= 0)
        {
            connection.DroppedStream = frame.Stream;
        }
        else if (IsAnswerOn(frame, connection.DroppedStream) && Volatile.Read(ref _dropMarker) is not null)
        {
            // The agent answered: the connection goes down before the answer reaches the API.
            Interlocked.Increment(ref _dropped);
            connection.Reset();
            return false;
        }

        if (TakesMarker(ref _marker, frame))
        {
            connection.MarkedStream = frame.Stream;
        }
        else if (IsAnswerOn(frame, connection.MarkedStream))
        {
            _held.TrySetResult();
            await _released.Task;
        }

        return true;
    }
}
