using System.Globalization;
using FaultAgent.Tests.Infrastructure;

namespace FaultApi.Tests.EndToEnd;

/// <summary>
/// One simulated GPU node: its network namespace and address, its /proc tree (GPUs at addresses of its own), its stand-in
/// for the host's PID 1 (a process in a private mount namespace), its token file and state directory, and its real agent.
/// </summary>
public sealed class SimulatedNode : IAsyncDisposable
{
    private readonly TargetNamespaceProcess _target;
    private readonly string _procRoot;
    private readonly string _stateDirectory;
    private readonly string _tokenFile;

    private SimulatedNode(string name, NodeNetworkNamespace network, TargetNamespaceProcess target, string procRoot, string stateDirectory, string tokenFile, IReadOnlyDictionary<int, string> xidPci)
    {
        Name = name;
        Network = network;
        _target = target;
        _procRoot = procRoot;
        _stateDirectory = stateDirectory;
        _tokenFile = tokenFile;
        XidPci = xidPci;
    }

    public string Name { get; }

    public NodeNetworkNamespace Network { get; }

    /// <summary>gpu_id → the PCI text of its Xid lines (<c>0000:3a:0k</c>).</summary>
    public IReadOnlyDictionary<int, string> XidPci { get; }

    public NamespacedAgentProcess? Agent { get; private set; }

    public static async Task<SimulatedNode> CreateAsync(string run, int index, int subnet, string directory, string agentToken)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"gpu-node-{index}");
        var network = await NodeNetworkNamespace.CreateAsync(run, index, subnet);
        TargetNamespaceProcess? target = null;
        try
        {
            target = new TargetNamespaceProcess();
            var root = Directory.CreateDirectory(Path.Combine(directory, name)).FullName;
            var procRoot = Path.Combine(root, "proc");
            var xidPci = SimulatedGpuTree.Write(procRoot, index);
            var stateDirectory = Directory.CreateDirectory(Path.Combine(root, "state")).FullName;
            var tokenFile = Path.Combine(root, "token");
            await File.WriteAllTextAsync(tokenFile, $"# {name}'s agent tokens\nfault-api:{agentToken}\nnode-admin-{index}:{Guid.NewGuid():N}\n");
            var node = new SimulatedNode(name, network, target, procRoot, stateDirectory, tokenFile, xidPci);
            await node.StartAgentAsync();
            return node;
        }
        catch
        {
            target?.Dispose();
            await network.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts (or restarts, after a kill) the node's agent and waits until it is healthy.</summary>
    public async Task StartAgentAsync()
    {
        if (Agent is not null)
        {
            await Agent.DisposeAsync();
        }

        Agent = null;
        Agent = await NamespacedAgentProcess.StartAsync(Network, Name, _procRoot, _target.Pid, _stateDirectory, _tokenFile);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Agent is not null)
            {
                await Agent.DisposeAsync();
            }
        }
        finally
        {
            _target.Dispose();
            await Network.DisposeAsync();
        }
    }
}
