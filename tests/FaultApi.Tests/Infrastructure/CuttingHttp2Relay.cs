using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
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
public sealed class CuttingHttp2Relay : LoopbackTcpRelay
{
    private const int FrameHeaderLength = 9;
    private const byte DataFrame = 0x0;
    private const byte HeadersFrame = 0x1;
    private static readonly byte[] ClientPreface = Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    private byte[]? _marker;
    private int _cutting;
    private int _cuts;

    /// <summary>A relay accepting on <paramref name="listen"/> (an agent pod's address and the agents' port) for the agent at <paramref name="target"/>.</summary>
    public CuttingHttp2Relay(IPEndPoint target, IPEndPoint listen)
        : base(target, listen) => Start();

    /// <summary>True from the agent's answer to the marked request until <see cref="Heal"/>.</summary>
    public bool Cutting => Volatile.Read(ref _cutting) == 1;

    /// <summary>How many requests or connections the relay cut (each one the API started while cutting).</summary>
    public int Cuts => Volatile.Read(ref _cuts);

    /// <summary>Cuts every new request from the agent's answer to the first request whose message contains <paramref name="marker"/> (ASCII) on.</summary>
    public void CutAfterAnswerTo(string marker) => Volatile.Write(ref _marker, Encoding.ASCII.GetBytes(marker));

    /// <summary>Passes every request again (connections cut stay closed; the API opens new ones).</summary>
    public void Heal() => Volatile.Write(ref _cutting, 0);

    protected override IEnumerable<Task> RelayAsync(TcpClient client, TcpClient server)
    {
        var connection = new RelayedConnection(client, server);
        if (Cutting)
        {
            Interlocked.Increment(ref _cuts);
            connection.Reset();
            return [];
        }

        return [Task.Run(() => PumpAsync(connection, fromClient: true)), Task.Run(() => PumpAsync(connection, fromClient: false))];
    }

    /// <summary>Relays whole frames one way; marks the stream carrying the marker, starts cutting at the answer to it, cuts new streams.</summary>
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
                if (fromClient && type == HeadersFrame && stream != 0 && Cutting)
                {
                    // A request started after the marked one was answered: it never reaches the agent.
                    Interlocked.Increment(ref _cuts);
                    connection.Reset();
                    return;
                }

                if (fromClient && type == DataFrame && Volatile.Read(ref _marker) is { } marker && payload.AsSpan().IndexOf(marker) >= 0
                    && Interlocked.CompareExchange(ref _marker, null, marker) == marker)
                {
                    connection.MarkedStream = stream;
                }
                else if (!fromClient && type == HeadersFrame && stream != 0 && stream == connection.MarkedStream)
                {
                    // Cutting starts before the answer is passed on: the API can start nothing after it that reaches the agent.
                    connection.MarkedStream = -1;
                    Volatile.Write(ref _cutting, 1);
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
