using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;

namespace FaultApi.Tests.Security;

/// <summary>
/// What a flood of distinct bad bearer tokens costs a REAL agent in <c>Agent:AuthMode=TokenReview</c> against the fake
/// Kubernetes API server (which counts every TokenReview it answers): each token the agent has not accepted before is
/// one review, so without a bound every distinct token reached the API server. With the limits, one source address costs
/// at most <c>Agent:TokenReview:FailedReviewsPerSource</c> refused reviews per window; the rest are refused at once
/// (gRPC RESOURCE_EXHAUSTED with RetryInfo, HTTP 429 problem details with Retry-After), and the API's ServiceAccount
/// token — reviewed again on every call here (<c>CacheDuration</c> 0) — keeps working on the Control endpoint's
/// emergency stop and on the gRPC port while the flood runs, from the same address. And a rotated API token (never
/// accepted, so not exempt) is reviewed while a flood from another address holds every shared review place: its address
/// had a token accepted within the last hour.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class TokenReviewFloodTests : IDisposable
{
    private const string Namespace = "fault-injection-system";
    private const string Audience = "fault-injection-agent";
    private const string NodeName = "gpu-node-flood";
    private const int PerSource = 20;
    private const int Clients = 16;
    private const int CallsPerClient = 40;
    private const int MaxConcurrentReviews = 16;

    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [RootFact]
    public async Task Flood_DistinctBadTokens_CostOnlyTheAddressesReviews_RestRefusedWithRetryAfter_StopOnControlAnswersTheApisToken()
    {
        await using var kube = await FakeKubeApiServer.StartAsync();
        var apiToken = kube.IssueServiceAccountToken(Namespace, "fault-injection-api", Audience);
        using var target = new TargetNamespaceProcess();
        var address = LoopbackAddresses.Allocate(1)[0];
        var control = new Uri($"http://{address}:{LoopbackAddresses.FreePort(address)}");
        await using var agent = await StartAgentAsync(kube, address, target, new Dictionary<string, string>
        {
            ["Agent:TokenReview:CacheDuration"] = "00:00:00",
            ["Agent:TokenReview:FailedReviewsPerSource"] = PerSource.ToString(CultureInfo.InvariantCulture),
            ["Agent:TokenReview:FailedReviewWindow"] = "01:00:00",
            ["Kestrel:Endpoints:Control:Url"] = control.ToString().TrimEnd('/'),
        });
        var api = Bearer(apiToken);
        using var controlChannel = GrpcChannel.ForAddress(control);
        var stop = new AgentClient(controlChannel);
        await AgentStopConfirmation.ConfirmAsync(stop, api);

        // The flood: distinct random tokens on the gRPC port, from several clients at once.
        using var floodChannel = GrpcChannel.ForAddress(agent.GrpcAddress);
        var flooder = new AgentClient(floodChannel);
        var statuses = new ConcurrentBag<StatusCode>();
        var limited = new ConcurrentBag<RpcException>();
        var flood = Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < CallsPerClient; i++)
            {
                var token = RandomToken();
                try
                {
                    await flooder.ListFaultsAsync(new ListFaultsRequest(), Bearer(token));
                    statuses.Add(StatusCode.OK);
                }
                catch (RpcException e)
                {
                    statuses.Add(e.StatusCode);
                    if (e.StatusCode == StatusCode.ResourceExhausted)
                    {
                        limited.Add(e);
                    }
                }
            }
        })).ToList();

        // Under the flood (it has passed the address's places): the API's token, reviewed again on each call, engages the
        // stop on the Control endpoint, reads it back and lists faults on the flooded gRPC port.
        await Eventually.TrueAsync(() => Task.FromResult(limited.Count >= 50 || flood.All(f => f.IsCompleted)), "the flood past the address's places");
        var held = await stop.GetEmergencyStopAsync(new GetEmergencyStopRequest(), api);
        var engaged = await stop.SetEmergencyStopAsync(
            new SetEmergencyStopRequest
            {
                State = new EmergencyStopState { Engaged = true, ChangedBy = "fault-api/flood-test", ChangedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow), Reason = "engaged under a token flood", Version = held.Version + 1 },
            },
            api);
        var readBack = await stop.GetEmergencyStopAsync(new GetEmergencyStopRequest(), api);
        await flooder.ListFaultsAsync(new ListFaultsRequest(), api);
        var stillFlooding = !flood.All(f => f.IsCompleted);
        await Task.WhenAll(flood);

        var floodReviews = kube.TokenReviews.Count(r => r.Token != apiToken);
        Assert.True(floodReviews <= PerSource, $"{floodReviews} TokenReviews for {Clients * CallsPerClient} distinct bad tokens from one address (at most {PerSource}: Agent:TokenReview:FailedReviewsPerSource)");
        Assert.True(statuses.Count(s => s == StatusCode.ResourceExhausted) >= (Clients * CallsPerClient) - PerSource, string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{g.Key}: {g.Count()}")));
        Assert.DoesNotContain(StatusCode.OK, statuses);
        Assert.True(engaged.Engaged && engaged.Confirmed, $"engaged {engaged.Engaged}, confirmed {engaged.Confirmed}");
        Assert.True(readBack.Engaged);
        Assert.Equal(held.Version + 1, readBack.Version);
        Assert.True(stillFlooding || limited.Count >= 50);
        var status = limited.First().GetRpcStatus()!;
        Assert.Contains("Agent:TokenReview:FailedReviewsPerSource", status.Message, StringComparison.Ordinal);
        Assert.True(status.GetDetail<RetryInfo>().RetryDelay.ToTimeSpan() >= TimeSpan.FromSeconds(1));

        // The HTTP port: a 429 problem with Retry-After, no review made.
        var before = kube.TokenReviews.Count;
        using var http = new HttpClient { BaseAddress = agent.HttpAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", RandomToken());
        using var response = await http.GetAsync(new Uri("/faults", UriKind.Relative));
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Contains("Agent:TokenReview:FailedReviewsPerSource", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, kube.TokenReviews.Count);
    }

    [RootFact]
    public async Task RotatedApiToken_SharedReviewPlacesHeldByAFloodFromAnotherAddress_IsReviewedAndAccepted()
    {
        // The kubelet rotates the API's projected token while a flood of distinct bad tokens from another address holds
        // every shared review place (Agent:TokenReview:MaxConcurrentReviews reviews in flight, answered slowly by the fake
        // API server). The new token was never accepted, so it is not exempt; its address (the API pod's) had a token
        // accepted within the last hour, which gives it review places of its own. Before (#14): RESOURCE_EXHAUSTED.
        await using var kube = await FakeKubeApiServer.StartAsync();
        var apiToken = kube.IssueServiceAccountToken(Namespace, "fault-injection-api", Audience);
        var rotatedApiToken = kube.IssueServiceAccountToken(Namespace, "fault-injection-api", Audience);
        using var target = new TargetNamespaceProcess();
        var addresses = LoopbackAddresses.Allocate(3);
        var (agentAddress, apiAddress, flooderAddress) = (addresses[0], addresses[1], addresses[2]);
        await using var agent = await StartAgentAsync(kube, agentAddress, target, new Dictionary<string, string>
        {
            ["Agent:TokenReview:MaxConcurrentReviews"] = MaxConcurrentReviews.ToString(CultureInfo.InvariantCulture),
            ["Agent:TokenReview:FailedReviewsPerSource"] = "20", // the default: one address may hold every shared place
            ["Agent:TokenReview:Timeout"] = "00:01:00", // the held reviews stay in flight for the whole test
        });
        using var apiChannel = ChannelFrom(apiAddress, agent.GrpcAddress);
        var api = new AgentClient(apiChannel);
        using var floodChannel = ChannelFrom(flooderAddress, agent.GrpcAddress);
        var flooder = new AgentClient(floodChannel);

        // The API's token of the last hour, from the API's address.
        await api.ListFaultsAsync(new ListFaultsRequest(), Bearer(apiToken));

        // The flood: as many distinct bad tokens at once as there are shared review places, each review held.
        kube.HoldUnknownTokenReviews();
        var flood = Enumerable.Range(0, MaxConcurrentReviews)
            .Select(_ => flooder.ListFaultsAsync(new ListFaultsRequest(), Bearer(RandomToken())).ResponseAsync)
            .ToList();
        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(kube.HeldTokenReviews == MaxConcurrentReviews), $"{MaxConcurrentReviews} reviews of the flood held");
            var flooderAgain = await Assert.ThrowsAsync<RpcException>(() => flooder.ListFaultsAsync(new ListFaultsRequest(), Bearer(RandomToken())).ResponseAsync);
            Assert.Equal(StatusCode.ResourceExhausted, flooderAgain.StatusCode);
            Assert.Contains("Agent:TokenReview:MaxConcurrentReviews", flooderAgain.Status.Detail, StringComparison.Ordinal);

            // The kubelet rotated the API's token: the new one, never accepted, from the API's address.
            var answer = await api.ListFaultsAsync(new ListFaultsRequest(), Bearer(rotatedApiToken));

            Assert.NotNull(answer);
            Assert.Single(kube.TokenReviews, r => r.Token == rotatedApiToken && r.Authenticated);
            Assert.Equal(MaxConcurrentReviews, kube.HeldTokenReviews); // the flood's reviews were still in flight
        }
        finally
        {
            kube.ReleaseUnknownTokenReviews();
        }

        foreach (var call in flood)
        {
            Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(() => call)).StatusCode);
        }
    }

    /// <summary>
    /// The REAL agent in <c>Agent:AuthMode=TokenReview</c> against <paramref name="kube"/> (its own token allowed to create
    /// TokenReviews; the API's ServiceAccount allowed to call), with <paramref name="settings"/> on top.
    /// </summary>
    private async Task<RealAgentProcess> StartAgentAsync(FakeKubeApiServer kube, IPAddress address, TargetNamespaceProcess target, Dictionary<string, string> settings)
    {
        var agentOwnToken = kube.IssueServiceAccountToken(Namespace, "gpu-fault-injector-kernel");
        kube.AllowTokenReviews(agentOwnToken);
        settings["Agent:AuthMode"] = "TokenReview";
        settings["Agent:TokenReview:Kubeconfig"] = kube.WriteKubeconfig(_directory.Path, agentOwnToken, "agent-kubeconfig");
        settings["Agent:TokenReview:AllowedServiceAccounts:0"] = $"{Namespace}/fault-injection-api";
        return await RealAgentProcess.StartAsync(
            NodeName,
            address,
            LoopbackAddresses.FreePort(address),
            Path.Combine(AppContext.BaseDirectory, "TestData", "proc", "h100x8"),
            target.Pid,
            Directory.CreateDirectory(_directory.Combine("state")).FullName,
            _directory.Combine("no-token-file-in-token-review-mode"),
            settings);
    }

    private static string RandomToken() => "eyJ" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    /// <summary>A channel whose connections come from <paramref name="source"/> (the agent tells callers apart by address).</summary>
    private static GrpcChannel ChannelFrom(IPAddress source, Uri address) => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(source.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        },
        DisposeHttpClient = true,
    });

    private static Metadata Bearer(string token) => new() { { "authorization", $"Bearer {token}" } };
}
