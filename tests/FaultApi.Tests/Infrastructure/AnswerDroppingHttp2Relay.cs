using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// A TCP relay on loopback (port 0) in front of an agent's gRPC (HTTP/2, prior knowledge) port, standing for a network
/// that fails at the worst moment: the first request whose message carries <see cref="DropAnswerTo"/>'s bytes reaches
/// the agent whole, and when the agent starts answering it (its HEADERS frame on that stream), the relay resets both
/// connections instead of passing the answer on. The API then holds a call whose write may have happened but whose
/// answer it never saw. Everything else, and every later connection, passes straight through.
/// </summary>
public sealed class AnswerDroppingHttp2Relay : LoopbackTcpRelay
{
    private const int FrameHeaderLength = 9;
    private const byte DataFrame = 0x0;
    private const byte HeadersFrame = 0x1;
    private static readonly byte[] ClientPreface = Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    private byte[]? _marker;
    private int _dropped;

    public AnswerDroppingHttp2Relay(IPEndPoint target)
        : base(target) => Start();

    /// <summary>How many answers the relay dropped (at most one).</summary>
    public int Dropped => Volatile.Read(ref _dropped);

    /// <summary>Drops the answer to the first request whose message contains <paramref name="marker"/> (ASCII).</summary>
    public void DropAnswerTo(string marker) => Volatile.Write(ref _marker, Encoding.ASCII.GetBytes(marker));

    protected override IEnumerable<Task> RelayAsync(TcpClient client, TcpClient server)
    {
        var connection = new RelayedConnection(client, server);
        return [Task.Run(() => PumpAsync(connection, fromClient: true)), Task.Run(() => PumpAsync(connection, fromClient: false))];
    }

    /// <summary>Relays whole frames one way; marks the stream carrying the marker, resets on the answer to it.</summary>
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
                var type = header[3];
                var stream = (int)(BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(5)) & 0x7FFF_FFFF);
                var payload = new byte[length];
                await source.ReadExactlyAsync(payload, Stopping.Token);
                if (fromClient && type == DataFrame && Volatile.Read(ref _marker) is { } marker && payload.AsSpan().IndexOf(marker) >= 0
                    && Interlocked.CompareExchange(ref _marker, null, marker) == marker)
                {
                    connection.MarkedStream = stream;
                }
                else if (!fromClient && type == HeadersFrame && stream != 0 && stream == connection.MarkedStream)
                {
                    Interlocked.Increment(ref _dropped);
                    connection.Reset();
                    return;
                }

                await destination.WriteAsync(header, Stopping.Token);
                await destination.WriteAsync(payload, Stopping.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or EndOfStreamException)
        {
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }
}
