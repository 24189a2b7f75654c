using FaultAgent.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace FaultAgent.Tests.Auth;

/// <summary>The agent refuses to start without a usable token, or unauthenticated on a non-loopback endpoint.</summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class AgentStartupAuthenticationTests
{
    [RootFact]
    public void Start_TokenFileMissing_FailsNamingTheSetting()
    {
        using var factory = new AgentApplicationFactory(Environment.ProcessId, new() { ["Agent:TokenFile"] = "/nonexistent/token" });

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateGrpcClient());

        Assert.Contains("Agent:TokenFile", error.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public void Start_TokenFileEmpty_Fails()
    {
        using var factory = new AgentApplicationFactory(Environment.ProcessId);
        File.WriteAllText(factory.TokenFile, "# nothing\n\n");

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateGrpcClient());

        Assert.Contains("holds no valid token", error.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public void Start_UnauthenticatedOnAnyAddress_Fails()
    {
        using var factory = new AgentApplicationFactory(Environment.ProcessId, new()
        {
            ["Agent:TokenFile"] = "/nonexistent/token",
            ["Agent:AllowUnauthenticated"] = "true",
            ["Kestrel:Endpoints:Http:Url"] = "http://0.0.0.0:0",
        });

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateGrpcClient());

        Assert.Contains("Kestrel:Endpoints:Http:Url=http://0.0.0.0:0", error.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task Start_UnauthenticatedOnLoopback_ServesAnonymousCaller()
    {
        using var target = new TargetNamespaceProcess();
        using var factory = new AgentApplicationFactory(
            target.Pid,
            new() { ["Agent:TokenFile"] = "/nonexistent/token", ["Agent:AllowUnauthenticated"] = "true" });
        var client = factory.CreateGrpcClient();

        var response = await client.InjectXidAsync(
            new FaultInjection.Agent.V1.InjectXidRequest { Xid = 79, GpuId = 0, DryRun = true },
            new global::Grpc.Core.Metadata { { "x-fault-caller", "carol" } });

        Assert.Equal("anonymous/carol", response.Fault.Caller);
    }
}
