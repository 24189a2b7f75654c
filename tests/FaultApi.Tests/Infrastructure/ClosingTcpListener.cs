using System.Net;
using System.Net.Sockets;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// A loopback listener standing for an agent address whose connections are dropped (an agent restarting or being killed,
/// a node's network cutting new connections): it accepts every connection and closes it at once, or once it has read
/// the client's 24-byte HTTP/2 preface, with a FIN or, when <c>reset</c>, a TCP reset (SO_LINGER 0). It never answers.
/// </summary>
public sealed class ClosingTcpListener : IAsyncDisposable
{
    private static readonly int PrefaceLength = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".Length;
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stopping = new();
    private readonly bool _reset;
    private readonly bool _afterPreface;
    private readonly Task _accepting;
    private int _closed;

    public ClosingTcpListener(bool reset, bool afterPreface)
    {
        _reset = reset;
        _afterPreface = afterPreface;
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndPoint!).Port}");
        _accepting = AcceptAsync(_stopping.Token);
    }

    public Uri Address { get; }

    /// <summary>How many connections it accepted and closed.</summary>
    public int Closed => Volatile.Read(ref _closed);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var connection = await _listener.AcceptAsync(cancellationToken);
            try
            {
                if (_afterPreface)
                {
                    var preface = new byte[PrefaceLength];
                    var read = 0;
                    while (read < preface.Length)
                    {
                        var n = await connection.ReceiveAsync(preface.AsMemory(read), cancellationToken);
                        if (n == 0)
                        {
                            break;
                        }

                        read += n;
                    }
                }

                if (_reset)
                {
                    connection.LingerState = new LingerOption(true, 0);
                }
                else
                {
                    connection.Shutdown(SocketShutdown.Both);
                }
            }
            catch (SocketException)
            {
            }
            finally
            {
                connection.Dispose();
                Interlocked.Increment(ref _closed);
            }
        }
    }
}
