using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// A TCP relay in front of an agent's gRPC (HTTP/2, prior knowledge) port that moves whole frames, each shown to
/// <see cref="OnFrameAsync"/> before it is passed on (which may hold it, or reset the connection instead). The derived
/// relays decide what a frame means for them: a marked request's stream, the agent's answer to it (its HEADERS frame on
/// that stream), a new request (a HEADERS frame from the API). While a relay says it cuts (<see cref="CutsNow"/>), every
/// new connection and every new request is reset before it reaches the agent, and counted in <see cref="Cuts"/>.
/// </summary>
public abstract class Http2FrameRelay : LoopbackTcpRelay
{
    protected const byte DataFrame = 0x0;
    protected const byte HeadersFrame = 0x1;
    private const int FrameHeaderLength = 9;
    private static readonly byte[] ClientPreface = Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    private int _cuts;

    protected Http2FrameRelay(IPEndPoint target)
        : base(target)
    {
    }

    /// <summary>A relay accepting on <paramref name="listen"/> (an agent pod's address and the agents' port) for the agent at <paramref name="target"/>.</summary>
    protected Http2FrameRelay(IPEndPoint target, IPEndPoint listen)
        : base(target, listen)
    {
    }

    /// <summary>How many new connections or requests were cut (reset before reaching the agent) while <see cref="CutsNow"/> held.</summary>
    public int Cuts => Volatile.Read(ref _cuts);

    /// <summary>While true, new connections and new requests are cut. Never, by default.</summary>
    protected virtual bool CutsNow => false;

    /// <summary>
    /// True when <paramref name="frame"/> is a DATA frame from the API carrying the bytes <paramref name="marker"/> holds,
    /// which are then taken (set to null: only the first such request is marked).
    /// </summary>
    protected static bool TakesMarker(ref byte[]? marker, Http2Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return frame.FromClient && frame.Type == DataFrame && Volatile.Read(ref marker) is { } bytes && frame.Payload.AsSpan().IndexOf(bytes) >= 0
            && Interlocked.CompareExchange(ref marker, null, bytes) == bytes;
    }

    /// <summary>True when <paramref name="frame"/> is the agent's answer (its HEADERS frame) on <paramref name="stream"/>.</summary>
    protected static bool IsAnswerOn(Http2Frame frame, int stream)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return !frame.FromClient && frame.Type == HeadersFrame && frame.Stream != 0 && frame.Stream == stream;
    }

    protected sealed override IEnumerable<Task> RelayAsync(TcpClient client, TcpClient server)
    {
        var connection = new RelayedConnection(client, server);
        return Admits(connection)
            ? [Task.Run(() => PumpAsync(connection, fromClient: true)), Task.Run(() => PumpAsync(connection, fromClient: false))]
            : [];
    }

    /// <summary>
    /// Cuts <paramref name="frame"/>'s connection when the frame starts a new request (a HEADERS frame from the API) while
    /// <see cref="CutsNow"/>: true when it did (the frame must not pass; the request never reaches the agent).
    /// </summary>
    protected bool CutsNewRequest(RelayedConnection connection, Http2Frame frame)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(frame);
        if (!frame.FromClient || frame.Type != HeadersFrame || frame.Stream == 0 || !CutsNow)
        {
            return false;
        }

        Interlocked.Increment(ref _cuts);
        connection.Reset();
        return true;
    }

    /// <summary>Whether a new connection is relayed: not while <see cref="CutsNow"/> (it is reset and counted).</summary>
    private bool Admits(RelayedConnection connection)
    {
        if (!CutsNow)
        {
            return true;
        }

        Interlocked.Increment(ref _cuts);
        connection.Reset();
        return false;
    }

    /// <summary>Sees one whole frame before it is passed on; false when the connection was reset instead (the pump ends).</summary>
    protected abstract ValueTask<bool> OnFrameAsync(RelayedConnection connection, Http2Frame frame);

    /// <summary>Relays whole frames one way (after the API's preface), each through <see cref="OnFrameAsync"/>.</summary>
    private async Task PumpAsync(RelayedConnection connection, bool fromClient)
    {
        var (from, to) = fromClient ? (connection.Client, connection.Server) : (connection.Server, connection.Client);
        try
        {
            var source = from.GetStream();
            var destination = to.GetStream();
            if (fromClient)
            {
                var preface = new byte[ClientPreface.Length];
                await source.ReadExactlyAsync(preface, Stopping.Token);
                await destination.WriteAsync(preface, Stopping.Token);
            }

            var header = new byte[FrameHeaderLength];
            while (true)
            {
                await source.ReadExactlyAsync(header, Stopping.Token);
                var length = (header[0] << 16) | (header[1] << 8) | header[2];
                var stream = (int)(BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(5)) & 0x7FFF_FFFF);
                var payload = new byte[length];
                await source.ReadExactlyAsync(payload, Stopping.Token);
                if (!await OnFrameAsync(connection, new Http2Frame(fromClient, header[3], stream, payload)))
                {
                    return;
                }

                await destination.WriteAsync(header, Stopping.Token);
                await destination.WriteAsync(payload, Stopping.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or EndOfStreamException or InvalidOperationException)
        {
            // The connection ended (closed, reset, the relay stopping, or a held answer released to a socket already gone).
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }
}
