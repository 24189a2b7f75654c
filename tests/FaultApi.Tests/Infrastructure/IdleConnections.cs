using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// Raw loopback connections as a flood holds them: each made, one request answered (so the server has accepted and
/// counted it), then left idle; and what a connection beyond a server's cap gets.
/// </summary>
public static class IdleConnections
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private static readonly byte[] Http1Health = Encoding.ASCII.GetBytes("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n");

    /// <summary>The HTTP/2 client preface and an empty SETTINGS frame (prior knowledge, as gRPC without TLS).</summary>
    public static readonly byte[] Http2Preface = [.. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8, 0, 0, 0, 4, 0, 0, 0, 0, 0];

    public static byte[] Http1Request => Http1Health;

    /// <summary>
    /// <paramref name="count"/> connections, each answered (HTTP/1.1: <c>GET /health</c> 200; HTTP/2: the server's SETTINGS).
    /// A connection closed unanswered is made again (the server may still be counting one the test's setup just closed).
    /// </summary>
    public static async Task<List<Socket>> HoldAsync(IPEndPoint endpoint, int count, bool http2)
    {
        var held = new List<Socket>();
        try
        {
            while (held.Count < count)
            {
                Socket? socket = null;
                await Eventually.TrueAsync(
                    async () =>
                    {
                        socket = await TryOpenAsync(endpoint, http2);
                        return socket is not null;
                    },
                    $"connection {held.Count + 1} of {count} to {endpoint} answered");
                held.Add(socket!);
            }

            return held;
        }
        catch
        {
            Close(held);
            throw;
        }
    }

    public static void Close(IEnumerable<Socket> sockets)
    {
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }
    }

    /// <summary>
    /// Connects, sends <paramref name="request"/> and reads until the server ends the connection: the bytes it sent before
    /// (a server at its cap closes the connection unanswered: 0). Fails if the connection is still open after a minute.
    /// </summary>
    public static async Task<int> BytesBeforeCloseAsync(IPEndPoint endpoint, byte[] request)
    {
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint);
        using var deadline = new CancellationTokenSource(Generous);
        var received = 0;
        try
        {
            await socket.SendAsync(request, SocketFlags.None, deadline.Token);
            var buffer = new byte[4096];
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0)
            {
                received += read;
            }
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted)
        {
            // closed by a reset: ended all the same
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the connection to {endpoint} was still open after {Generous.TotalSeconds} s ({received} bytes received)");
        }

        return received;
    }

    private static async Task<Socket?> TryOpenAsync(IPEndPoint endpoint, bool http2)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var deadline = new CancellationTokenSource(Generous);
        try
        {
            await socket.ConnectAsync(endpoint, deadline.Token);
            await socket.SendAsync(http2 ? Http2Preface : Http1Health, SocketFlags.None, deadline.Token);
            var answered = http2 ? await ReadServerSettingsAsync(socket, deadline.Token) : await ReadHealthAnswerAsync(socket, deadline.Token);
            if (answered)
            {
                return socket;
            }
        }
        catch (SocketException)
        {
        }

        socket.Dispose();
        return null;
    }

    /// <summary>Reads one HTTP/1.1 answer (headers and its Content-Length body); true when it is a 200.</summary>
    private static async Task<bool> ReadHealthAnswerAsync(Socket socket, CancellationToken cancellationToken)
    {
        var data = new List<byte>();
        var buffer = new byte[4096];
        int headEnd;
        while ((headEnd = IndexOfHeadEnd(data)) < 0)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                return false;
            }

            data.AddRange(buffer.AsSpan(0, read));
        }

        var head = Encoding.ASCII.GetString([.. data.Take(headEnd)]);
        var lengthLine = head.Split("\r\n").SingleOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var length = lengthLine is null ? -1 : int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        // A chunked body (no Content-Length) ends with its last, empty chunk.
        while (length >= 0 ? data.Count < headEnd + 4 + length : !Encoding.ASCII.GetString([.. data]).EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                return false;
            }

            data.AddRange(buffer.AsSpan(0, read));
        }

        return head.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal);
    }

    /// <summary>Reads frames until the server's own SETTINGS (not an acknowledgement) and acknowledges it; false if the connection ends first.</summary>
    private static async Task<bool> ReadServerSettingsAsync(Socket socket, CancellationToken cancellationToken)
    {
        while (true)
        {
            var header = new byte[9];
            if (!await ReadExactlyAsync(socket, header, cancellationToken))
            {
                return false;
            }

            var payload = new byte[(header[0] << 16) | (header[1] << 8) | header[2]];
            if (!await ReadExactlyAsync(socket, payload, cancellationToken))
            {
                return false;
            }

            if (header[3] == 4 && (header[4] & 1) == 0)
            {
                await socket.SendAsync(new byte[] { 0, 0, 0, 4, 1, 0, 0, 0, 0 }, SocketFlags.None, cancellationToken);
                return true;
            }
        }
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var offset = 0;
        while (offset < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(offset), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                return false;
            }

            offset += read;
        }

        return true;
    }

    private static int IndexOfHeadEnd(List<byte> data)
    {
        for (var i = 0; i + 3 < data.Count; i++)
        {
            if (data[i] == '\r' && data[i + 1] == '\n' && data[i + 2] == '\r' && data[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}
