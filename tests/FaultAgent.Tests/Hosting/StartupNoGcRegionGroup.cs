namespace FaultAgent.Tests.Hosting;

/// <summary>
/// Tests that begin and end the process's no-GC region run alone in this assembly: a region is per process, and an agent
/// app another test starts begins one (the first in this process) and ends it a second after its host has started.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StartupNoGcRegionGroup
{
    public const string Name = "startup no-GC region";
}
