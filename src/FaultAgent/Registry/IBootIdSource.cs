namespace FaultAgent.Registry;

/// <summary>The node's boot id (<c>/proc/sys/kernel/random/boot_id</c>): it changes on every boot.</summary>
public interface IBootIdSource
{
    ValueTask<string> GetBootIdAsync(CancellationToken cancellationToken);
}
