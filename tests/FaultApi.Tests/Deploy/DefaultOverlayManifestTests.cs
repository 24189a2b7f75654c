using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.Deploy;

/// <summary>The manifest checks on <c>kubectl kustomize deploy/overlays/default</c>.</summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class DefaultOverlayManifestTests(RealProductFixture product) : ManifestTests(product, "default");
