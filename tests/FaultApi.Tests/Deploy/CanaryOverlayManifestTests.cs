using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.Deploy;

/// <summary>The manifest checks on <c>kubectl kustomize deploy/overlays/canary</c>.</summary>
public sealed class CanaryOverlayManifestTests(RealProductFixture product) : ManifestTests(product, "canary");
