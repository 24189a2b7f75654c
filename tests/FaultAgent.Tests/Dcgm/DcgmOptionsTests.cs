using FaultAgent.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace FaultAgent.Tests.Dcgm;

/// <summary>A bad Agent:Dcgm setting stops the agent at start with a message naming it.</summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class DcgmOptionsTests
{
    [RootTheory]
    [InlineData("Agent:Dcgm:DcgmiPath", "dcgmi")]
    [InlineData("Agent:Dcgm:DriverRoot", "run/dcgm")]
    [InlineData("Agent:Dcgm:HostEngineAddress", "--inject")]
    [InlineData("Agent:Dcgm:HostEngineAddress", "10.0.0.1 5555")]
    [InlineData("Agent:Dcgm:HostEngineAddress", "unix://relative.sock")]
    [InlineData("Agent:Dcgm:CommandTimeout", "00:00:00")]
    [InlineData("Agent:Dcgm:RestoreRetryInterval", "02:00:00")]
    public void Start_BadDcgmSetting_FailsNamingIt(string key, string value)
    {
        using var factory = new AgentApplicationFactory(Environment.ProcessId, new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateGrpcClient());

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [RootTheory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("10.0.0.1:5555")]
    [InlineData("nvidia-dcgm.gpu-operator.svc:5555")]
    [InlineData("[fd00::1]:5555")]
    [InlineData("unix:///var/run/nvidia/dcgm.sock")]
    public void Start_HostEngineAddressForms_Accepted(string address)
    {
        using var factory = new AgentApplicationFactory(Environment.ProcessId, new() { ["Agent:Dcgm:HostEngineAddress"] = address });

        factory.CreateGrpcClient();
    }
}
