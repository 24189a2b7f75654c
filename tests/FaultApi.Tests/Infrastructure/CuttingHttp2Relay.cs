using System.Net;
using System.Text;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// A TCP relay in front of an agent's gRPC (HTTP/2, prior knowledge) port, standing for an agent that becomes unreachable
/// right after it answered one request: the first request whose message carries <see cref="CutAfterAnswerTo"/>'s bytes
/// reaches the agent whole and its answer reaches the API whole; from the moment the agent starts answering it (its
/// HEADERS frame on that stream), every NEW request the API starts through the relay — on any open connection (its
/// HEADERS frame) or on a new one — is cut before it reaches the agent: the connection is reset, and a connection
/// accepted meanwhile is reset at once, until <see cref="Heal"/>. Frames of requests already under way (and the
/// connections' own frames) still pass. Nothing is timed: the cut is tied to the answer, not to a clock.
/// </summary>
public sealed class CuttingHttp2Relay : Http2FrameRelay
{
    private byte[]? _marker;
    private int _cutting;

    /// <summary>A relay accepting on <paramref name="listen"/> (an agent pod's address and the agents' port) for the agent at <paramref name="target"/>.</summary>
    public CuttingHttp2Relay(IPEndPoint target, IPEndPoint listen)
        : base(target, listen) => Start();

    /// <summary>True from the agent's answer to the marked request until <see cref="Heal"/>.</summary>
    public bool Cutting => Volatile.Read(ref _cutting) == 1;

    /// <summary>Cuts every new request from the agent's answer to the first request whose message contains <paramref name="marker"/> (ASCII) on.</summary>
    public void CutAfterAnswerTo(string marker) => Volatile.Write(ref _marker, Encoding.ASCII.GetBytes(marker));

    /// <summary>Passes every request again (connections cut stay closed; the API opens new ones).</summary>
    public void Heal() => Volatile.Write(ref _cutting, 0);

    protected override bool CutsNow => Cutting;

    /// <summary>Marks the stream carrying the marker, starts cutting at the answer to it, cuts new streams.</summary>
    protected override ValueTask<bool> OnFrameAsync(RelayedConnection connection, Http2Frame frame)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(frame);
        if (CutsNewRequest(connection, frame))
        {
            // A request started after the marked one was answered: it never reaches the agent.
            return ValueTask.FromResult(false);
        }

        if (TakesMarker(ref _marker, frame))
        {
            connection.MarkedStream = frame.Stream;
        }
        else if (IsAnswerOn(frame, connection.MarkedStream))
        {
            // Cutting starts before the answer is passed on: the API can start nothing after it that reaches the agent.
            connection.MarkedStream = -1;
            Volatile.Write(ref _cutting, 1);
        }

        return ValueTask.FromResult(true);
    }
}
