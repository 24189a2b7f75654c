using FaultAgent.Registry;
using FaultAgent.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace FaultAgent.Tests.Registry;

public sealed class FaultExpiryServiceTests : IDisposable
{
    private readonly RegistryTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public async Task Run_FaultDurationPasses_EndsItWithoutAnyCall()
    {
        var registry = await _context.StartAsync();
        using var service = new FaultExpiryService(registry, _context.Time, NullLogger<FaultExpiryService>.Instance);
        await service.StartAsync(CancellationToken.None);
        await _context.InjectAsync(registry, _context.Planned("f-1", "line", duration: TimeSpan.FromMinutes(10)));

        _context.Time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(FaultState.Active, (await registry.GetAsync("f-1", CancellationToken.None)).State);
        await Eventually.TrueAsync(
            async () =>
            {
                _context.Time.Advance(TimeSpan.FromSeconds(30));
                return (await registry.GetAsync("f-1", CancellationToken.None)).State == FaultState.Expired;
            },
            "the fault to expire");

        var fault = await registry.GetAsync("f-1", CancellationToken.None);
        Assert.Equal(fault.ExpiresAt, fault.EndedAt);
        await service.StopAsync(CancellationToken.None);
    }
}
