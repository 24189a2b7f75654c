using System.Net;
using System.Text;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// A TCP relay on loopback (port 0) in front of an agent's gRPC (HTTP/2, prior knowledge) port, standing for a network
/// that fails at the worst moment: the first request whose message carries <see cref="DropAnswerTo"/>'s bytes reaches
/// the agent whole, and when the agent starts answering it (its HEADERS frame on that stream), the relay resets both
/// connections instead of passing the answer on. The API then holds a call whose write may have happened but whose
/// answer it never saw. Everything else, and every later connection, passes straight through.
/// </summary>
public sealed class AnswerDroppingHttp2Relay : Http2FrameRelay
{
    private byte[]? _marker;
    private int _dropped;

    public AnswerDroppingHttp2Relay(IPEndPoint target)
        : base(target) => Start();

    /// <summary>How many answers the relay dropped (at most one).</summary>
    public int Dropped => Volatile.Read(ref _dropped);

    /// <summary>Drops the answer to the first request whose message contains <paramref name="marker"/> (ASCII).</summary>
    public void DropAnswerTo(string marker) => Volatile.Write(ref _marker, Encoding.ASCII.GetBytes(marker));

    /// <summary>Marks the stream carrying the marker, resets on the answer to it.</summary>
    protected override ValueTask<bool> OnFrameAsync(RelayedConnection connection, Http2Frame frame)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (TakesMarker(ref _marker, frame))
        {
            connection.MarkedStream = frame.Stream;
        }
        else if (IsAnswerOn(frame, connection.MarkedStream))
        {
            Interlocked.Increment(ref _dropped);
            connection.Reset();
            return ValueTask.FromResult(false);
        }

        return ValueTask.FromResult(true);
    }
}
