using FaultAgent.Hosting;
using Microsoft.Extensions.Options;

namespace FaultAgent.Registry;

/// <summary>Reads <c>&lt;ProcRoot&gt;/sys/kernel/random/boot_id</c> (the host's /proc on a node).</summary>
public sealed class ProcBootIdSource(IOptions<AgentOptions> options) : IBootIdSource
{
    public string BootIdPath { get; } = Path.Combine(options.Value.ProcRoot, "sys", "kernel", "random", "boot_id");

    public async ValueTask<string> GetBootIdAsync(CancellationToken cancellationToken)
    {
        try
        {
            var text = await File.ReadAllTextAsync(BootIdPath, cancellationToken).ConfigureAwait(false);
            return text.Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Cannot read the node's boot id from {BootIdPath}: {e.Message}", e);
        }
    }
}
