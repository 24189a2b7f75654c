using System.Net;
using System.Net.Sockets;

namespace FaultApi.Tests.Infrastructure;

/// <summary>Distinct loopback addresses (127.77.x.y) for the agents of a test, and one port free on all of them.</summary>
public static class LoopbackAddresses
{
    private static int _next;

    public static IPAddress[] Allocate(int count)
    {
        var first = Interlocked.Add(ref _next, count) - count;
        return [.. Enumerable.Range(first, count).Select(i => new IPAddress(new byte[] { 127, 77, (byte)(1 + (i / 250)), (byte)(1 + (i % 250)) }))];
    }

    /// <summary>A port free on <paramref name="address"/> right now (the OS picks it).</summary>
    public static int FreePort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
