using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace FaultInjection.TestSupport;

/// <summary>
/// Ports the OS reports free on an address, never the same one twice in this test process. A port is chosen by
/// binding port 0 and closing the listener, and is bound by a product process only later; until then nothing holds it,
/// so the next bind to port 0 on the same address may be given the same number — CI on e2f5bf3 saw an agent fail with
/// "address already in use" because its HTTP port was the gRPC port it had just been given. Every port handed out
/// is remembered and a repeat is drawn again.
/// </summary>
public static class FreePorts
{
    private static readonly ConcurrentDictionary<IPEndPoint, byte> HandedOut = new();

    /// <summary>A port free on <paramref name="address"/> right now, distinct from every port this process was given on it.</summary>
    public static int On(IPAddress address)
    {
        while (true)
        {
            int port;
            using (var listener = new TcpListener(address, 0))
            {
                listener.Start();
                port = ((IPEndPoint)listener.LocalEndpoint).Port;
            }

            if (HandedOut.TryAdd(new IPEndPoint(address, port), 0))
            {
                return port;
            }
        }
    }

    /// <summary>
    /// One port free on every one of <paramref name="addresses"/> right now (a cluster's agents, each on its own address,
    /// all listening on one port), remembered as handed out on each of them: a later <see cref="On"/> for one of those
    /// addresses (an agent's HTTP port) never gives it again. CI on c93e05d saw an agent fail with "address already in
    /// use" on its own address: the cluster's port had been drawn free on the first agent's address only, and the
    /// second agent's HTTP port was then drawn as that same number on its address.
    /// </summary>
    public static int OnAll(IReadOnlyList<IPAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentOutOfRangeException.ThrowIfZero(addresses.Count);
        while (true)
        {
            var port = On(addresses[0]);
            if (addresses.Skip(1).All(address => IsFree(address, port) && HandedOut.TryAdd(new IPEndPoint(address, port), 0)))
            {
                return port;
            }
        }
    }

    private static bool IsFree(IPAddress address, int port)
    {
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
