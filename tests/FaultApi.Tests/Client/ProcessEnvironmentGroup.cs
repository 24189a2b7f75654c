namespace FaultApi.Tests.Client;

/// <summary>Tests that change process-wide environment variables: run apart from every other collection.</summary>
[CollectionDefinition(nameof(ProcessEnvironmentGroup), DisableParallelization = true)]
public sealed class ProcessEnvironmentGroup;
