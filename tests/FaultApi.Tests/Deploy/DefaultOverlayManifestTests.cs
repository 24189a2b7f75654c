using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.Deploy;

/// <summary>The manifest checks on <c>kubectl kustomize deploy/overlays/default</c>.</summary>
public sealed class DefaultOverlayManifestTests(RealProductFixture product) : ManifestTests(product, "default");
