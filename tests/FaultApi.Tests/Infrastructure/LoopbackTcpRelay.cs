using System.Net;
using System.Net.Sockets;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// A TCP relay on loopback (port 0) to one target, standing for the network between the API and an agent: every
/// connection accepted is paired with one to the target, and <see cref="RelayAsync"/> moves the bytes. A connection
/// accepted while the target is down is closed, as the target would refuse it.
/// </summary>
public abstract class LoopbackTcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly List<Task> _relays = [];
    private Task? _accepting;

    protected LoopbackTcpRelay(IPEndPoint target)
        : this(target, new IPEndPoint(IPAddress.Loopback, 0))
    {
    }

    /// <summary>A relay listening on <paramref name="listen"/> (e.g. another loopback address at the agents' port, to stand as an agent pod's address).</summary>
    protected LoopbackTcpRelay(IPEndPoint target, IPEndPoint listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        _target = target;
        _listener = new TcpListener(listen);
        _listener.Start();
        ListenEndpoint = (IPEndPoint)_listener.LocalEndpoint;
        Address = new Uri($"http://{ListenEndpoint.Address}:{ListenEndpoint.Port}");
    }

    /// <summary>The address and port the relay accepts on.</summary>
    public IPEndPoint ListenEndpoint { get; }

    public Uri Address { get; }

    protected CancellationTokenSource Stopping { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await Stopping.CancelAsync();
        OnStopping();
        _listener.Stop();
        try
        {
            await (_accepting ?? Task.CompletedTask);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        Task[] relays;
        lock (_relays)
        {
            relays = [.. _relays];
        }

        await Task.WhenAll(relays.Select(p => p.ContinueWith(_ => { }, TaskScheduler.Default)));
        Stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts accepting; called once by the derived constructor, when its own state is ready.</summary>
    protected void Start() => _accepting = AcceptAsync();

    /// <summary>Relays one accepted connection (<paramref name="client"/>) to the target (<paramref name="server"/>) until either ends; disposes both.</summary>
    protected abstract IEnumerable<Task> RelayAsync(TcpClient client, TcpClient server);

    /// <summary>Runs when disposal begins, before the relays are awaited (to let held ones go).</summary>
    protected virtual void OnStopping()
    {
    }

    private async Task AcceptAsync()
    {
        while (!Stopping.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(Stopping.Token);
            var server = new TcpClient();
            try
            {
                await server.ConnectAsync(_target, Stopping.Token);
            }
            catch (SocketException)
            {
                server.Dispose();
                client.Dispose();
                continue;
            }

            lock (_relays)
            {
                _relays.AddRange(RelayAsync(client, server));
            }
        }
    }
}
