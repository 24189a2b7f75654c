using System.Net;
using System.Net.Sockets;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// A TCP relay on loopback (port 0) to one target, standing for a slow network between the API and an agent: while
/// held, what the API sends is read and kept, not forwarded, until <see cref="Release"/> (on open connections too).
/// Passes everything straight through otherwise.
/// </summary>
public sealed class HoldingTcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];
    private readonly Task _accepting;
    private TaskCompletionSource _released = Released();
    private long _heldBytes;

    public HoldingTcpRelay(IPEndPoint target)
    {
        _target = target;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _accepting = AcceptAsync();
    }

    public Uri Address { get; }

    /// <summary>Bytes the API sent while held (a request is waiting in the relay once this is above zero).</summary>
    public long HeldBytes => Interlocked.Read(ref _heldBytes);

    public void Hold()
    {
        Interlocked.Exchange(ref _heldBytes, 0);
        Volatile.Write(ref _released, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    public void Release() => Volatile.Read(ref _released).TrySetResult();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Release();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        Task[] pumps;
        lock (_pumps)
        {
            pumps = [.. _pumps];
        }

        await Task.WhenAll(pumps.Select(p => p.ContinueWith(_ => { }, TaskScheduler.Default)));
        _stop.Dispose();
    }

    private static TaskCompletionSource Released()
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        released.SetResult();
        return released;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var server = new TcpClient();
            await server.ConnectAsync(_target, _stop.Token);
            lock (_pumps)
            {
                _pumps.Add(Task.Run(() => PumpAsync(client, server, holding: true)));
                _pumps.Add(Task.Run(() => PumpAsync(server, client, holding: false)));
            }
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, bool holding)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            var source = from.GetStream();
            var destination = to.GetStream();
            while (true)
            {
                var read = await source.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                if (holding)
                {
                    var released = Volatile.Read(ref _released);
                    if (!released.Task.IsCompleted)
                    {
                        Interlocked.Add(ref _heldBytes, read);
                        await released.Task.WaitAsync(_stop.Token);
                    }
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }
}
