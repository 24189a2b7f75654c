using System.Net;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// Distinct loopback addresses (127.B.x.y) for the agents of a test, and one port free on all of them. B is this test
/// process's own block (77…126, from its pid): a port is chosen free on an address and bound by an agent only later, so
/// two test processes handing out the same addresses (a test class run beside the full suite) could take each other's
/// ports in between — CI on cfdf339 saw an agent fail with "address already in use" on 127.77.1.247 while another
/// process ran the same tests.
/// </summary>
public static class LoopbackAddresses
{
    private static readonly byte Block = (byte)(77 + (Environment.ProcessId % 50));
    private static int _next;

    public static IPAddress[] Allocate(int count)
    {
        var first = Interlocked.Add(ref _next, count) - count;
        return [.. Enumerable.Range(first, count).Select(i => new IPAddress(new byte[] { 127, Block, (byte)(1 + (i / 250)), (byte)(1 + (i % 250)) }))];
    }

    /// <summary>A port free on <paramref name="address"/> right now (the OS picks it), never one this process was given before on it.</summary>
    public static int FreePort(IPAddress address) => FreePorts.On(address);

    /// <summary>One port free on every one of <paramref name="addresses"/> right now, never handed out on any of them again (<see cref="FreePorts.OnAll"/>).</summary>
    public static int FreePortOnAll(IReadOnlyList<IPAddress> addresses) => FreePorts.OnAll(addresses);
}
