using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
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
public sealed class AnswerHoldingHttp2Relay : LoopbackTcpRelay
{
    private const int FrameHeaderLength = 9;
    private const byte DataFrame = 0x0;
    private const byte HeadersFrame = 0x1;
    private static readonly byte[] ClientPreface = Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
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

    protected override IEnumerable<Task> RelayAsync(TcpClient client, TcpClient server)
    {
        var connection = new RelayedConnection(client, server);
        return [Task.Run(() => PumpAsync(connection, fromClient: true)), Task.Run(() => PumpAsync(connection, fromClient: false))];
    }

    /// <summary>Relays whole frames one way; marks the stream carrying the marker, holds at the answer to it.</summary>
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
                if (fromClient && type == DataFrame && Volatile.Read(ref _dropMarker) is { } drop && payload.AsSpan().IndexOf(drop) >= 0)
                {
                    connection.DroppedStream = stream;
                }
                else if (!fromClient && type == HeadersFrame && stream != 0 && stream == connection.DroppedStream && Volatile.Read(ref _dropMarker) is not null)
                {
                    // The agent answered: the connection goes down before the answer reaches the API.
                    Interlocked.Increment(ref _dropped);
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
                    _held.TrySetResult();
                    await _released.Task;
                }

                await destination.WriteAsync(header, Stopping.Token);
                await destination.WriteAsync(payload, Stopping.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or EndOfStreamException or InvalidOperationException)
        {
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }
}
