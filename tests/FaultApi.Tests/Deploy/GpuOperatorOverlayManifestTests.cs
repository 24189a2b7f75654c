using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.Deploy;

/// <summary>The manifest checks on <c>kubectl kustomize deploy/overlays/gpu-operator</c>.</summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class GpuOperatorOverlayManifestTests(RealProductFixture product) : ManifestTests(product, "gpu-operator");
