namespace FaultAgent.Tests.Limits;

/// <summary>
/// Tests that write hundreds of records into the machine's small kernel ring (~1,250 short records) run alone in this
/// assembly, so they cannot rotate away the records another test is about to read back.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelLogFloodGroup
{
    public const string Name = "kernel log flood";
}
