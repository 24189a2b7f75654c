using FaultAgent.Registry;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>Test-only boot id, changeable to simulate a reboot.</summary>
public sealed class FixedBootIdSource(string bootId) : IBootIdSource
{
    public string BootId { get; set; } = bootId;

    public ValueTask<string> GetBootIdAsync(CancellationToken cancellationToken) => ValueTask.FromResult(BootId);
}
