using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FaultApi.Tests.Faults;

/// <summary>
/// A caller floods one node through the real API and the real agent process (default limits: 20 injections per second,
/// bursts of 100) writing the machine's /dev/kmsg: after the burst the API answers 429 with Retry-After, and the kernel
/// log holds no more records than the limit allows for the time the flood took.
/// </summary>
public sealed class InjectionFloodTests(RealProductFixture product, ITestOutputHelper output) : IClassFixture<RealProductFixture>
{
    private const int Burst = 100;
    private const double PerSecond = 20;
    private const int Requests = 2000;
    private readonly string _marker = "flood" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task InjectXid_FloodOf2000AtOneNode_429WithRetryAfterAfterTheBurstAndKernelLogWithinTheLimit()
    {
        using var http = new HttpClient { BaseAddress = product.ApiAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", RealProductFixture.Token);
        var statuses = new ConcurrentBag<HttpStatusCode>();
        var retryAfters = new ConcurrentBag<TimeSpan?>();
        var problems = new ConcurrentBag<string?>();
        var clock = Stopwatch.StartNew();

        await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var response = await http.PostAsJsonAsync(
                new Uri("/api/v1/faults/gpu/inject/xid-79", UriKind.Relative),
                new { node_name = RealProductFixture.NodeName, gpu_id = 0, message = $"{_marker} #{i}" },
                ct);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                retryAfters.Add(response.Headers.RetryAfter?.Delta);
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
                problems.Add(response.Content.Headers.ContentType?.MediaType + " " + problem.GetProperty("reason").GetString());
            }
        });
        var elapsed = clock.Elapsed;

        var injected = statuses.Count(s => s == HttpStatusCode.OK);
        var limited = statuses.Count(s => s == HttpStatusCode.TooManyRequests);
        var allowed = Burst + (int)Math.Ceiling(PerSecond * elapsed.TotalSeconds);
        Assert.Equal(Requests, injected + limited);
        Assert.InRange(injected, Burst, allowed);
        Assert.True(limited >= Requests - allowed, $"{limited} refused in {elapsed.TotalSeconds:0.0} s");
        Assert.All(retryAfters, r => Assert.InRange(r ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        Assert.All(problems, p => Assert.Equal("application/problem+json INJECTION_RATE_LIMITED", p));
        var inKernelLog = (await HostKernelLogReader.ReadContainingAsync(_marker)).Count;
        output.WriteLine($"{Requests} requests in {elapsed.TotalSeconds:0.0} s: {injected} injected, {limited} refused (429); {inKernelLog} records in the kernel log; the limit allows {allowed}");
        Assert.InRange(inKernelLog, 0, allowed);

        // Nothing written for a refusal: the node lists exactly the injections that were answered 200.
        var listed = await http.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/faults?node={RealProductFixture.NodeName}&active_only=true", UriKind.Relative));
        Assert.Equal(injected, listed.GetProperty("faults").EnumerateArray().Count(f => f.GetProperty("message").GetString()!.StartsWith(_marker, StringComparison.Ordinal)));
    }
}
