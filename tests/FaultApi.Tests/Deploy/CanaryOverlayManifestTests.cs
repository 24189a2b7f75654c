using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.Deploy;

/// <summary>The manifest checks on <c>kubectl kustomize deploy/overlays/canary</c>.</summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class CanaryOverlayManifestTests(RealProductFixture product) : ManifestTests(product, "canary");
