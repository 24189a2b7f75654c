using FaultAgent.Registry;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Microsoft.Extensions.DependencyInjection;

namespace FaultAgent.Tests.Faults;

/// <summary>
/// Faults injected one after another on the real agent (real /dev/kmsg, from a mount namespace the test owns) keep one
/// instance of what they repeat: the registry holds every fault, so each copy was memory held per fault (#14).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync, as xUnit does.")]
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class RepeatedFaultValuesInjectionTests : IAsyncLifetime
{
    private readonly string _marker = "t" + Guid.NewGuid().ToString("N")[..12];
    private TargetNamespaceProcess _target = null!;
    private AgentApplicationFactory _factory = null!;

    public Task InitializeAsync()
    {
        _target = new TargetNamespaceProcess();
        _factory = new AgentApplicationFactory(_target.Pid);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _target.Dispose();
    }

    [RootFact]
    public async Task InjectXid_TwoFaultsOnOneGpu_ShareTheirRepeatedValues()
    {
        var client = _factory.CreateGrpcClient();
        // The GPU's first Xid of the boot also writes the driver's preamble (other notes); the two after it are alike.
        await client.InjectXidAsync(new InjectXidRequest { Xid = 79, GpuId = 0, Pid = 4242, ProcessName = _marker, Message = "preamble" }, AgentApplicationFactory.Auth());
        var first = await client.InjectXidAsync(new InjectXidRequest { Xid = 79, GpuId = 0, Pid = 4242, ProcessName = _marker, Message = "first" }, AgentApplicationFactory.Auth());
        var second = await client.InjectXidAsync(new InjectXidRequest { Xid = 79, GpuId = 0, Pid = 4242, ProcessName = _marker, Message = "second" }, AgentApplicationFactory.Auth());

        var registry = _factory.Services.GetRequiredService<FaultRegistry>();
        var one = await registry.GetAsync(first.Fault.FaultId, CancellationToken.None);
        var two = await registry.GetAsync(second.Fault.FaultId, CancellationToken.None);
        Assert.NotEqual(one.FaultId, two.FaultId);
        Assert.Contains(one.Driver!.Notes, n => n.Contains("board serial is unknown", StringComparison.Ordinal));
        Assert.Same(one.Driver, two.Driver);
        Assert.Same(one.FaultType, two.FaultType);
        Assert.Same(one.Severity, two.Severity);
        Assert.Same(one.Caller, two.Caller);
        Assert.Equal("gpu_xid_79", two.FaultType);
        Assert.Equal("critical", two.Severity);
        Assert.Equal(AgentApplicationFactory.ApiTokenName, two.Caller);
    }

    [RootFact]
    public async Task InjectXid_TwoFaultsOnOneGpu_ShareCompanionRecordsNotTheirOwnLines()
    {
        var client = _factory.CreateGrpcClient();
        await client.InjectXidAsync(new InjectXidRequest { Xid = 79, GpuId = 0, Pid = 4242, ProcessName = _marker, Message = "preamble" }, AgentApplicationFactory.Auth());
        var first = await client.InjectXidAsync(new InjectXidRequest { Xid = 79, GpuId = 0, Pid = 4242, ProcessName = _marker, Message = "first" }, AgentApplicationFactory.Auth());
        var second = await client.InjectXidAsync(new InjectXidRequest { Xid = 79, GpuId = 0, Pid = 4242, ProcessName = _marker, Message = "second" }, AgentApplicationFactory.Auth());
        await client.InjectXidAsync(new InjectXidRequest { Xid = 79, GpuId = 1, Pid = 4242, ProcessName = _marker, Message = "preamble" }, AgentApplicationFactory.Auth());
        var other = await client.InjectXidAsync(new InjectXidRequest { Xid = 79, GpuId = 1, Pid = 4242, ProcessName = _marker, Message = "other" }, AgentApplicationFactory.Auth());

        var registry = _factory.Services.GetRequiredService<FaultRegistry>();
        var one = await registry.GetAsync(first.Fault.FaultId, CancellationToken.None);
        var two = await registry.GetAsync(second.Fault.FaultId, CancellationToken.None);
        var three = await registry.GetAsync(other.Fault.FaultId, CancellationToken.None);
        Assert.Equal(2, two.Records.Count);
        Assert.Same(one.Records[1].Text, two.Records[1].Text);
        Assert.EndsWith(": GPU has fallen off the bus.", two.Records[1].Text, StringComparison.Ordinal);
        Assert.NotEqual(two.Records[1].Text, three.Records[1].Text);
        Assert.Equal("NVRM: " + one.Line, one.Records[0].Text);
        Assert.Equal("NVRM: " + two.Line, two.Records[0].Text);
        // The Xid record holds the fault's line as the fault holds it — an ASCII line's bytes since #14's agentfit pass, the
        // line's string before; since faultbytes4 the message's bytes behind the records' values in one array — not a copy of its own.
        Assert.True(two.HoldsMessageBehindRecords);
        Assert.Equal("second"u8.ToArray(), two.HeldRecords.PackedMessage.ToArray());
        Assert.DoesNotContain(FaultAgent.Tests.Registry.FaultKernelRecordTests.HeldStrings(two.Records[0]), s => s is not null && s.Contains("second", StringComparison.Ordinal));
        Assert.EndsWith("second", two.Line, StringComparison.Ordinal);
        Assert.EndsWith("first", one.Line, StringComparison.Ordinal);
        Assert.Equal(second.Fault.Records.Select(r => r.Text), two.Records.Select(r => r.Text));
        Assert.NotEqual(one.RequestFingerprint, two.RequestFingerprint);
    }
}
