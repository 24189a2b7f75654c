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
}
