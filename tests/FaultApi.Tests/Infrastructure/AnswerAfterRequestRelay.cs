using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// A TCP relay to an HTTP/2 (prior knowledge) client's server that passes the server's bytes on only once the client has
/// sent a request's HEADERS frame on that connection: what the server answers to the preface reaches the client after
/// its call is on the connection, never in between. Without it a server that answers the preface and closes at once
/// (Kestrel's HTTP_1_1_REQUIRED on an Http1-only endpoint) can shut the connection down before SocketsHttpHandler hands
/// the call a stream, and the call then fails with a bare "did not complete the HTTP/2 handshake" that keeps no cause
/// (2 of 30 calls on loopback).
/// </summary>
public sealed class AnswerAfterRequestRelay : LoopbackTcpRelay
{
    private const int PrefaceLength = 24;
    private const int FrameHeaderLength = 9;
    private const byte HeadersFrame = 0x1;

    public AnswerAfterRequestRelay(IPEndPoint target)
        : base(target) => Start();

    protected override IEnumerable<Task> RelayAsync(TcpClient client, TcpClient server)
    {
        var requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return [Task.Run(() => RequestsAsync(client, server, requested)), Task.Run(() => AnswersAsync(server, client, requested))];
    }

    /// <summary>Passes the client's preface and frames on (as long as the server takes them); notes its first request's HEADERS.</summary>
    private async Task RequestsAsync(TcpClient client, TcpClient server, TaskCompletionSource requested)
    {
        var forwarding = true;
        try
        {
            var source = client.GetStream();
            var preface = new byte[PrefaceLength];
            await source.ReadExactlyAsync(preface, Stopping.Token);
            forwarding = await TryWriteAsync(server, preface);
            var header = new byte[FrameHeaderLength];
            while (true)
            {
                await source.ReadExactlyAsync(header, Stopping.Token);
                var payload = new byte[(header[0] << 16) | (header[1] << 8) | header[2]];
                await source.ReadExactlyAsync(payload, Stopping.Token);
                if (header[3] == HeadersFrame && (BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(5)) & 0x7FFF_FFFF) != 0)
                {
                    requested.TrySetResult();
                }

                forwarding = forwarding && await TryWriteAsync(server, header) && await TryWriteAsync(server, payload);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or EndOfStreamException)
        {
        }
        finally
        {
            requested.TrySetResult();
        }
    }

    /// <summary>Passes the server's bytes on as they come, the first ones only once the client's request is on the connection; closes the client's end when the server's ends.</summary>
    private async Task AnswersAsync(TcpClient server, TcpClient client, TaskCompletionSource requested)
    {
        try
        {
            var buffer = new byte[16 * 1024];
            var source = server.GetStream();
            int read;
            while ((read = await source.ReadAsync(buffer, Stopping.Token)) > 0)
            {
                await requested.Task.WaitAsync(Stopping.Token);
                await client.GetStream().WriteAsync(buffer.AsMemory(0, read), Stopping.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            server.Dispose();
            client.Dispose();
        }
    }

    private async Task<bool> TryWriteAsync(TcpClient to, byte[] bytes)
    {
        try
        {
            await to.GetStream().WriteAsync(bytes, Stopping.Token);
            return true;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            return false;
        }
    }
}
