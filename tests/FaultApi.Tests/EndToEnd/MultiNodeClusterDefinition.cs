namespace FaultApi.Tests.EndToEnd;

/// <summary>The tests sharing one <see cref="MultiNodeCluster"/> (started once, run one at a time).</summary>
[CollectionDefinition(Name)]
public sealed class MultiNodeClusterDefinition : ICollectionFixture<MultiNodeCluster>
{
    public const string Name = "Multi-node cluster";
}
