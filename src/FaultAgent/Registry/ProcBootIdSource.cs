using FaultAgent.Hosting;
using Microsoft.Extensions.Options;

namespace FaultAgent.Registry;

/// <summary>Reads the node's boot id from <see cref="AgentOptions.BootIdFile"/> (<c>/proc/sys/kernel/random/boot_id</c>).</summary>
public sealed class ProcBootIdSource(IOptions<AgentOptions> options) : IBootIdSource
{
    public string BootIdPath { get; } = options.Value.BootIdFile;

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
