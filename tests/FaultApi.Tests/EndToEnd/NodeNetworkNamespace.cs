using System.Globalization;
using System.Net;

namespace FaultApi.Tests.EndToEnd;

/// <summary>
/// A network namespace standing in for one GPU node: <c>fi-e2e-&lt;owner pid&gt;-&lt;run&gt;-n&lt;k&gt;</c>, joined to the root
/// namespace by a veth pair on a /30 of its own (host side <c>.1</c>, node side <c>.2</c>) inside 10.231.0.0/16, a range
/// that exists only between the root namespace and these namespaces. Nothing else on the machine is touched. Deleting
/// the namespace destroys its veth end and with it the root side.
/// </summary>
public sealed class NodeNetworkNamespace : IAsyncDisposable
{
    public const string Prefix = "fi-e2e-";

    private NodeNetworkNamespace(string name, string hostLink, IPAddress hostAddress, IPAddress nodeAddress)
    {
        Name = name;
        HostLink = hostLink;
        HostAddress = hostAddress;
        NodeAddress = nodeAddress;
    }

    public string Name { get; }

    public string HostLink { get; }

    public IPAddress HostAddress { get; }

    /// <summary>The node's address (the agent pod's IP).</summary>
    public IPAddress NodeAddress { get; }

    /// <summary>Creates namespace <paramref name="index"/> (1-based) of run <paramref name="run"/> in subnet 10.231.<paramref name="subnet"/>.0/24.</summary>
    public static async Task<NodeNetworkNamespace> CreateAsync(string run, int index, int subnet)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Environment.ProcessId}-{run}-n{index}");
        var hostLink = string.Create(CultureInfo.InvariantCulture, $"fie{run}h{index}");
        var nodeLink = string.Create(CultureInfo.InvariantCulture, $"fie{run}n{index}");
        var hostAddress = new IPAddress(new byte[] { 10, 231, (byte)subnet, (byte)((4 * index) + 1) });
        var nodeAddress = new IPAddress(new byte[] { 10, 231, (byte)subnet, (byte)((4 * index) + 2) });
        var created = new NodeNetworkNamespace(name, hostLink, hostAddress, nodeAddress);
        try
        {
            await HostCommand.RunAsync("ip", "netns", "add", name);
            await HostCommand.RunAsync("ip", "link", "add", hostLink, "type", "veth", "peer", "name", nodeLink, "netns", name);
            await HostCommand.RunAsync("ip", "addr", "add", $"{hostAddress}/30", "dev", hostLink);
            await HostCommand.RunAsync("ip", "link", "set", hostLink, "up");
            await HostCommand.RunAsync("ip", "-n", name, "addr", "add", $"{nodeAddress}/30", "dev", nodeLink);
            await HostCommand.RunAsync("ip", "-n", name, "link", "set", nodeLink, "up");
            await HostCommand.RunAsync("ip", "-n", name, "link", "set", "lo", "up");
            return created;
        }
        catch
        {
            await created.DisposeAsync();
            throw;
        }
    }

    /// <summary>A /24 of 10.231.0.0/16 that no interface of the root namespace uses.</summary>
    public static async Task<int> FreeSubnetAsync()
    {
        var used = await HostCommand.RunAsync("ip", "-o", "-4", "addr", "show");
        var candidates = Enumerable.Range(1, 254).Where(s => !used.Contains(string.Create(CultureInfo.InvariantCulture, $" 10.231.{s}."), StringComparison.Ordinal)).ToArray();
        return candidates[Random.Shared.Next(candidates.Length)];
    }

    /// <summary>
    /// Removes namespaces of this prefix left by runs whose test process is gone (a crash, a killed test host), and kills
    /// the processes still running inside them. Namespaces of live runs (another worktree's tests) are left alone.
    /// </summary>
    public static async Task RemoveLeftoversAsync()
    {
        var list = await HostCommand.RunAsync("ip", "netns", "list");
        foreach (var line in list.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(' ', 2)[0];
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var owner = name[Prefix.Length..].Split('-')[0];
            if (int.TryParse(owner, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Directory.Exists($"/proc/{pid}"))
            {
                continue;
            }

            await DeleteAsync(name);
        }
    }

    public async ValueTask DisposeAsync() => await DeleteAsync(Name);

    private static async Task DeleteAsync(string name)
    {
        var (_, pids, _) = await HostCommand.TryRunAsync("ip", "netns", "pids", name);
        foreach (var text in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                try
                {
                    using var process = System.Diagnostics.Process.GetProcessById(pid);
                    process.Kill();
                    await process.WaitForExitAsync();
                }
                catch (ArgumentException)
                {
                }
                catch (InvalidOperationException)
                {
                }
            }
        }

        await HostCommand.TryRunAsync("ip", "netns", "delete", name);
    }
}
