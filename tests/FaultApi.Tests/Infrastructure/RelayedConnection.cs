using System.Net.Sockets;

namespace FaultApi.Tests.Infrastructure;

/// <summary>One connection through an <see cref="Http2FrameRelay"/>: both sockets and the streams whose answers are marked (held, dropped or cut after).</summary>
public sealed class RelayedConnection(TcpClient client, TcpClient server)
{
    private int _markedStream = -1;
    private int _droppedStream = -1;

    public TcpClient Client { get; } = client;

    public TcpClient Server { get; } = server;

    public int MarkedStream
    {
        get => Volatile.Read(ref _markedStream);
        set => Volatile.Write(ref _markedStream, value);
    }

    /// <summary>The stream whose answer is to be dropped (<see cref="AnswerHoldingHttp2Relay.DropAnswersTo"/>).</summary>
    public int DroppedStream
    {
        get => Volatile.Read(ref _droppedStream);
        set => Volatile.Write(ref _droppedStream, value);
    }

    /// <summary>
    /// Closes both sockets with a TCP reset (no FIN; nothing pending is delivered). Both are set to reset before either
    /// is closed: closing one ends the relay's pumps, which close the other (then it resets too, or was already closed).
    /// </summary>
    public void Reset()
    {
        foreach (var socket in new[] { Client.Client, Server.Client })
        {
            try
            {
                socket?.LingerState = new LingerOption(true, 0);
            }
            catch (ObjectDisposedException)
            {
                // Closed by a pump that ended meanwhile.
            }
        }

        Client.Dispose();
        Server.Dispose();
    }
}
