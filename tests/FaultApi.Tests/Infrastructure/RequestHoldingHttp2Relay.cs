using System.Net;
using System.Text;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// A TCP relay in front of an agent's gRPC (HTTP/2, prior knowledge) port that keeps one request on its way, standing for
/// a slow network under one call: the message of the first request carrying <see cref="HoldRequestTo"/>'s bytes (its
/// DATA frame) is kept from the agent, and with it what that connection sends after it, until <see cref="Release"/> (or
/// the relay's disposal). <see cref="Held"/> completes then: the API's call is under way, the agent has not seen its
/// message. Answers, and every other connection (another API replica's), pass straight through.
/// </summary>
public sealed class RequestHoldingHttp2Relay : Http2FrameRelay
{
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[]? _marker;

    /// <summary>A relay accepting on <paramref name="listen"/> (an agent pod's address and the agents' port) for the agent at <paramref name="target"/>.</summary>
    public RequestHoldingHttp2Relay(IPEndPoint target, IPEndPoint listen)
        : base(target, listen) => Start();

    /// <summary>Completes when the marked request's message reached the relay and is being held.</summary>
    public Task Held => _held.Task;

    /// <summary>Holds the first request whose message contains <paramref name="marker"/> (ASCII).</summary>
    public void HoldRequestTo(string marker) => Volatile.Write(ref _marker, Encoding.ASCII.GetBytes(marker));

    /// <summary>Passes the held request on (to an agent connection that may be gone by then).</summary>
    public void Release() => _released.TrySetResult();

    protected override void OnStopping() => Release();

    protected override async ValueTask<bool> OnFrameAsync(RelayedConnection connection, Http2Frame frame)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(frame);
        if (TakesMarker(ref _marker, frame))
        {
            connection.MarkedStream = frame.Stream;
            _held.TrySetResult();
            await _released.Task;
        }

        return true;
    }
}
