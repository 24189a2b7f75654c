using System.Net;
using System.Text;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// A TCP relay in front of an agent's gRPC (HTTP/2, prior knowledge) port that keeps one request on its way, standing for
/// a slow network under one call: the message of the first request carrying <see cref="HoldRequestTo"/>'s bytes (its
/// DATA frame) is kept from the agent, and with it what that connection sends after it, until <see cref="Release"/> (or
/// the relay's disposal). <see cref="Held"/> completes then: the API's call is under way, the agent has not seen its
/// message. Answers, and every other connection (another API replica's), pass straight through — unless the hold was
/// asked with <c>cutOthers</c>: then, while the request is held, the agent is unreachable for everything else (a
/// partition that buffered only the held call): every request another connection starts (its HEADERS frame) is cut by
/// resetting that connection, and a connection accepted meanwhile is reset at once. Nothing is timed.
/// </summary>
public sealed class RequestHoldingHttp2Relay : Http2FrameRelay
{
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[]? _marker;
    private int _cutOthers;

    /// <summary>A relay accepting on <paramref name="listen"/> (an agent pod's address and the agents' port) for the agent at <paramref name="target"/>.</summary>
    public RequestHoldingHttp2Relay(IPEndPoint target, IPEndPoint listen)
        : base(target, listen) => Start();

    /// <summary>Completes when the marked request's message reached the relay and is being held.</summary>
    public Task Held => _held.Task;

    /// <summary>Holds the first request whose message contains <paramref name="marker"/> (ASCII); with <paramref name="cutOthers"/>, cuts everything else meanwhile.</summary>
    public void HoldRequestTo(string marker, bool cutOthers = false)
    {
        Volatile.Write(ref _cutOthers, cutOthers ? 1 : 0);
        Volatile.Write(ref _marker, Encoding.ASCII.GetBytes(marker));
    }

    /// <summary>Passes the held request on (to an agent connection that may be gone by then), and everything else again.</summary>
    public void Release() => _released.TrySetResult();

    protected override void OnStopping() => Release();

    protected override async ValueTask<bool> OnFrameAsync(RelayedConnection connection, Http2Frame frame)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(frame);
        if (CutsNewRequest(connection, frame))
        {
            // Another connection's request while one is held: it never reaches the agent.
            return false;
        }

        if (TakesMarker(ref _marker, frame))
        {
            connection.MarkedStream = frame.Stream;
            _held.TrySetResult();
            await _released.Task;
        }

        return true;
    }

    /// <summary>True while the request is held with cutOthers.</summary>
    protected override bool CutsNow => Volatile.Read(ref _cutOthers) == 1 && _held.Task.IsCompleted && !_released.Task.IsCompleted;
}
