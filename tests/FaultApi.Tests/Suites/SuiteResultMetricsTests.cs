using System.Diagnostics.Metrics;
using FaultApi.Suites;
using Microsoft.Extensions.DependencyInjection;

namespace FaultApi.Tests.Suites;

/// <summary>
/// The suites' last-result gauges when a periodic refresh (a listing of the kept records) races a suite ending here: a
/// listing read before the suite's final save must not put back the previous verdict over the one just observed.
/// </summary>
public sealed class SuiteResultMetricsTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 17, 0, 0, TimeSpan.Zero);
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Fact]
    public void Refresh_ListingReadBeforeAnObservedSuiteWasSaved_KeepsTheObservedVerdict()
    {
        var metrics = new SuiteResultMetrics(_services.GetRequiredService<IMeterFactory>());
        var passed = Ended("canary", SuiteState.Passed, T0);
        var failed = Ended("canary", SuiteState.Failed, T0.AddMinutes(1));

        var mark = metrics.RefreshMark();
        metrics.Observe(failed);
        metrics.Refresh([passed], mark);

        var result = Assert.Single(metrics.Snapshot());
        Assert.Equal(("canary", SuiteState.Failed, T0.AddMinutes(1), (DateTimeOffset?)T0), (result.Name, result.Verdict, result.EndedAt, result.LastSuccess));
    }

    [Fact]
    public void Refresh_SuiteObservedBeforeTheMark_TakesTheListingAlone()
    {
        var metrics = new SuiteResultMetrics(_services.GetRequiredService<IMeterFactory>());
        var passed = Ended("canary", SuiteState.Passed, T0);
        metrics.Observe(Ended("canary", SuiteState.Failed, T0.AddMinutes(1)));

        // Observed before the mark: saved before the listing began, so a listing without it means it is gone (pruned).
        var mark = metrics.RefreshMark();
        metrics.Refresh([passed], mark);

        var result = Assert.Single(metrics.Snapshot());
        Assert.Equal(("canary", SuiteState.Passed, T0, (DateTimeOffset?)T0), (result.Name, result.Verdict, result.EndedAt, result.LastSuccess));
    }

    private static SuiteRecord Ended(string name, SuiteState state, DateTimeOffset endedAt) => new()
    {
        SuiteId = Guid.NewGuid().ToString("N")[..16],
        Name = name,
        State = state,
        CreatedAt = endedAt.AddSeconds(-30),
        EndedAt = endedAt,
    };
}
