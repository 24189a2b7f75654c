using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Tests.Infrastructure;
using FaultInjection.TestSupport.Http;

namespace FaultApi.Tests.Faults;

/// <summary>
/// The API in front of a real agent process whose node limits are small (bursts of 3, practically no refill): once the
/// agent refuses, the API answers 429 problem details with Retry-After and the reason, and nothing is written. The kernel
/// log is read by a <see cref="KernelLogRecorder"/> started before the first injection, not with dmesg afterwards: the
/// ring keeps ~1,500 records here, and under other writers (~2,700 records/s) the first acknowledged line had left it
/// before dmesg ran (2 lines found for 3 the agent had read back).
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class NodeLimitTests(NodeLimitTests.LimitedProduct product) : IClassFixture<NodeLimitTests.LimitedProduct>
{
    private readonly string _marker = "limit" + Guid.NewGuid().ToString("N")[..10];

    [RootFact]
    public async Task InjectXid_AgentOverItsLimit_429ProblemWithRetryAfterAndNothingWritten()
    {
        using var http = new HttpClient { BaseAddress = product.ApiAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", RealProductFixture.Token);
        using var kernelLog = KernelLogRecorder.Start();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 10; i++)
        {
            var response = await http.PostAsJsonAsync(
                new Uri("/api/v1/faults/gpu/inject/xid-79", UriKind.Relative),
                new { node_name = RealProductFixture.NodeName, gpu_id = 0, message = $"{_marker} #{i}" });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused?.Dispose();
                refused = response;
            }
            else
            {
                response.Dispose();
            }
        }

        using (refused)
        {
            Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 3), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 7)], statuses);
            Assert.NotNull(refused);
            var problem = await ProblemResponse.ReadAsync(refused, HttpStatusCode.TooManyRequests);
            var retryAfter = refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero;
            Assert.InRange(retryAfter, TimeSpan.FromSeconds(900), TimeSpan.FromSeconds(1000));
            Assert.Equal("INJECTION_RATE_LIMITED", problem.GetProperty("reason").GetString());
            Assert.Equal(RealProductFixture.NodeName, problem.GetProperty("node_name").GetString());
            Assert.Equal((long)retryAfter.TotalSeconds, problem.GetProperty("retry_after_seconds").GetInt64());
        }

        Assert.Equal(3, kernelLog.SnapshotContaining(_marker).Count);
    }

    /// <summary>The product with the agent's burst at 3 and its rate at one injection per 1,000 s.</summary>
    public sealed class LimitedProduct : RealProductFixture
    {
        protected override IReadOnlyDictionary<string, string>? AgentSettings => new Dictionary<string, string>
        {
            ["Agent:Limits:InjectionBurst"] = "3",
            ["Agent:Limits:InjectionsPerSecond"] = "0.001",
        };
    }
}
