using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.Deploy;

/// <summary>The manifest checks on <c>kubectl kustomize deploy/overlays/gpu-operator</c>.</summary>
public sealed class GpuOperatorOverlayManifestTests(RealProductFixture product) : ManifestTests(product, "gpu-operator");
