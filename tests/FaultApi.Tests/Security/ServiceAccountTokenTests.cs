using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultApi.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Grpc.Core;

namespace FaultApi.Tests.Security;

/// <summary>
/// Kubernetes mode, real processes (<see cref="TokenReviewCluster"/>): the API authenticates to the agent with its
/// projected, audience-bound ServiceAccount token, re-read when the kubelet rotates it; the agent accepts a token only
/// when a TokenReview (with the audience) says it belongs to an allowed ServiceAccount, reuses the answer briefly, and
/// refuses every call when it cannot ask (fail closed).
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class ServiceAccountTokenTests(TokenReviewCluster cluster) : IClassFixture<TokenReviewCluster>
{
    private const string ApiUsername = "system:serviceaccount:fault-injection-system:fault-injection-api";

    [RootFact]
    public async Task Inject_ApiPresentsItsProjectedToken_AgentReviewsItWithTheAudienceAndAccepts()
    {
        using var api = cluster.ApiClient();
        var faultId = $"sa-{Guid.NewGuid():N}"[..24];

        var response = await api.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = TokenReviewCluster.NodeName, gpu_id = 0, fault_id = faultId, message = $"GPU has fallen off the bus {faultId}" });

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync() + cluster.Agent.Output);
        var fault = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"{ApiUsername}/sre", fault.GetProperty("caller").GetString());
        var projected = await File.ReadAllTextAsync(cluster.ApiProjectedToken.Path);
        Assert.Contains(cluster.Kube.TokenReviews, r => r.Token == projected && r.Audiences.SequenceEqual([TokenReviewCluster.Audience]) && r.Authenticated);
    }

    [RootTheory]
    [InlineData("other-service-account")]
    [InlineData("api-token-for-the-api-server")]
    [InlineData("unknown-token")]
    public async Task AgentCalls_TokenNotOfAnAllowedServiceAccountForTheAudience_AreUnauthenticatedAndWriteNothing(string which)
    {
        var token = which switch
        {
            // A token of another ServiceAccount of the same namespace, bound to the agents' audience.
            "other-service-account" => cluster.Kube.IssueServiceAccountToken(TokenReviewCluster.Namespace, "some-workload", TokenReviewCluster.Audience),
            // The API's own ServiceAccount, but its ordinary (API server) token: a token stolen from any pod of it is not enough.
            "api-token-for-the-api-server" => cluster.Kube.IssueServiceAccountToken(TokenReviewCluster.Namespace, TokenReviewCluster.ApiServiceAccount),
            _ => "eyJhbGciOiJSUzI1NiJ9.not-a-token-the-cluster-issued",
        };
        var faultId = $"refused-{Guid.NewGuid():N}"[..24];
        var (channel, agent) = cluster.AgentGrpc();
        using (channel)
        {
            var inject = await Assert.ThrowsAsync<RpcException>(async () => await agent.InjectXidAsync(new InjectXidRequest { FaultId = faultId, Xid = 79, GpuId = 0 }, TokenReviewCluster.Bearer(token)));
            var list = await Assert.ThrowsAsync<RpcException>(async () => await agent.ListFaultsAsync(new ListFaultsRequest(), TokenReviewCluster.Bearer(token)));

            Assert.Equal(StatusCode.Unauthenticated, inject.StatusCode);
            Assert.Equal(StatusCode.Unauthenticated, list.StatusCode);
        }

        using var api = cluster.ApiClient();
        var lookup = await api.GetAsync(new Uri($"/api/v1/faults/{faultId}?node={TokenReviewCluster.NodeName}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
    }

    [RootFact]
    public async Task AgentCalls_SameTokenRepeatedly_AreReviewedOnceWithinTheCacheDuration()
    {
        var token = cluster.Kube.IssueServiceAccountToken(TokenReviewCluster.Namespace, TokenReviewCluster.ApiServiceAccount, TokenReviewCluster.Audience);
        var (channel, agent) = cluster.AgentGrpc();
        using (channel)
        {
            for (var i = 0; i < 5; i++)
            {
                await agent.ListFaultsAsync(new ListFaultsRequest { ActiveOnly = true }, TokenReviewCluster.Bearer(token));
            }
        }

        Assert.Single(cluster.Kube.TokenReviews, r => r.Token == token);
    }

    [RootFact]
    public async Task AgentCalls_TokenReviewForbidden_FailClosed_AndTheFailureIsNotKept()
    {
        var token = cluster.Kube.IssueServiceAccountToken(TokenReviewCluster.Namespace, TokenReviewCluster.ApiServiceAccount, TokenReviewCluster.Audience);
        var (channel, agent) = cluster.AgentGrpc();
        using (channel)
        {
            cluster.Kube.AllowTokenReviews(cluster.AgentOwnToken, allowed: false);
            try
            {
                var refused = await Assert.ThrowsAsync<RpcException>(async () => await agent.ListFaultsAsync(new ListFaultsRequest(), TokenReviewCluster.Bearer(token)));
                Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
                Assert.Contains("could not be reviewed", refused.Status.Detail, StringComparison.Ordinal);
            }
            finally
            {
                cluster.Kube.AllowTokenReviews(cluster.AgentOwnToken);
            }

            await agent.ListFaultsAsync(new ListFaultsRequest(), TokenReviewCluster.Bearer(token));
        }
    }

    [RootFact]
    public async Task Inject_KubeletRotatesTheProjectedToken_ApiPresentsTheNewToken()
    {
        var before = await File.ReadAllTextAsync(cluster.ApiProjectedToken.Path);
        var rotated = cluster.Kube.IssueServiceAccountToken(TokenReviewCluster.Namespace, TokenReviewCluster.ApiServiceAccount, TokenReviewCluster.Audience);
        cluster.ApiProjectedToken.Rotate(rotated);
        using var api = cluster.ApiClient();

        var response = await api.PostAsJsonAsync("/api/v1/faults/gpu/inject/xid-79", new { node_name = TokenReviewCluster.NodeName, gpu_id = 1, dry_run = true });

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.NotEqual(before, rotated);
        Assert.Contains(cluster.Kube.TokenReviews, r => r.Token == rotated && r.Authenticated);
    }
}
