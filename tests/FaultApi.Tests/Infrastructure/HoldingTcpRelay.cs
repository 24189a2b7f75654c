using System.Net;
using System.Net.Sockets;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// A TCP relay on loopback (port 0) to one target, standing for a slow network between the API and an agent: while
/// held, what the API sends is read and kept, not forwarded, until <see cref="Release"/> (on open connections too).
/// Passes everything straight through otherwise.
/// </summary>
public sealed class HoldingTcpRelay : LoopbackTcpRelay
{
    private TaskCompletionSource _released = Released();
    private long _heldBytes;

    public HoldingTcpRelay(IPEndPoint target)
        : base(target) => Start();

    /// <summary>Bytes the API sent while held (a request is waiting in the relay once this is above zero).</summary>
    public long HeldBytes => Interlocked.Read(ref _heldBytes);

    public void Hold()
    {
        Interlocked.Exchange(ref _heldBytes, 0);
        Volatile.Write(ref _released, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    public void Release() => Volatile.Read(ref _released).TrySetResult();

    protected override void OnStopping() => Release();

    protected override IEnumerable<Task> RelayAsync(TcpClient client, TcpClient server) =>
    [
        Task.Run(() => PumpAsync(client, server, holding: true)),
        Task.Run(() => PumpAsync(server, client, holding: false)),
    ];

    private static TaskCompletionSource Released()
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        released.SetResult();
        return released;
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
                var read = await source.ReadAsync(buffer, Stopping.Token);
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
                        await released.Task.WaitAsync(Stopping.Token);
                    }
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), Stopping.Token);
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
