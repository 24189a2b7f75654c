using System.Net;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// The tests' free ports: the OS gives a recently closed port to the next bind to port 0 on the same address often
/// enough (29 repeats in 1000 binds measured here) that two ports drawn for one agent collided in CI.
/// </summary>
public sealed class FreePortsTests
{
    [Fact]
    public void On_ThousandDrawsOnOneAddress_NeverRepeatsAPort()
    {
        var address = LoopbackAddresses.Allocate(1)[0];

        var ports = Enumerable.Range(0, 1000).Select(_ => FreePorts.On(address)).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
    }

    [Fact]
    public void OnAll_PortDrawnForThreeAddresses_IsFreeOnEach_AndNeverDrawnAgainOnAnyOfThem()
    {
        var addresses = LoopbackAddresses.Allocate(3);
        var port = FreePorts.OnAll(addresses);

        foreach (var address in addresses)
        {
            using var listener = new System.Net.Sockets.TcpListener(address, port);
            listener.Start();
        }

        var later = addresses.Skip(1).SelectMany(address => Enumerable.Range(0, 500).Select(_ => FreePorts.On(address))).ToList();
        Assert.DoesNotContain(port, later);
    }

    [Fact]
    public void On_PortJustDrawn_IsFreeToBind()
    {
        var address = LoopbackAddresses.Allocate(1)[0];
        var port = FreePorts.On(address);

        using var listener = new System.Net.Sockets.TcpListener(address, port);
        listener.Start();

        Assert.Equal(port, ((IPEndPoint)listener.LocalEndpoint).Port);
    }
}
