namespace FaultAgent.Tests.Infrastructure;

/// <summary>
/// The real agent app on Kestrel (<see cref="AgentApplicationFactory"/>) writing into the kernel log from a
/// <see cref="TargetNamespaceProcess"/>'s mount namespace, with a <see cref="KernelLogRecorder"/> started before it and
/// a client holding the valid token's channel; disposed in reverse.
/// </summary>
public sealed class RealAgent : IAsyncDisposable
{
    private readonly TargetNamespaceProcess _target;

    private RealAgent(TargetNamespaceProcess target)
    {
        _target = target;
        Factory = new AgentApplicationFactory(target.Pid);
        Client = Factory.CreateClient(out var channel);
        Invoker = channel.CreateCallInvoker();
    }

    public KernelLogRecorder KernelLog { get; } = KernelLogRecorder.Start();

    public AgentApplicationFactory Factory { get; }

    public AgentClient Client { get; }

    public global::Grpc.Core.CallInvoker Invoker { get; }

    public static RealAgent Start() => new(new TargetNamespaceProcess());

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        _target.Dispose();
        KernelLog.Dispose();
    }
}
