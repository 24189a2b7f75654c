using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Grpc.Core;

namespace FaultAgent.Tests.Auth;

/// <summary>A running agent picks up a rewritten token file without a restart, over gRPC and HTTP alike.</summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class TokenReloadTests
{
    private const string RotatedToken = "rotated-0123456789abcdefghij";

    [RootFact]
    public async Task TokenFileRewritten_NewTokenAcceptedAndOldRefused()
    {
        using var factory = new AgentApplicationFactory(Environment.ProcessId);
        var client = factory.CreateGrpcClient();
        await client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth());

        await File.WriteAllTextAsync(factory.TokenFile, $"fault-api:{RotatedToken}\n");
        File.SetLastWriteTimeUtc(factory.TokenFile, DateTime.UtcNow.AddMinutes(1));

        var listed = await client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth(RotatedToken));
        Assert.Equal("node-a", listed.NodeName);
        var error = await Assert.ThrowsAsync<RpcException>(
            () => client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        using var http = factory.CreateHttpClient(RotatedToken);
        using var response = await http.GetAsync(new Uri("/faults", UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode);
    }
}
