using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.Deploy;

/// <summary>The manifest checks on <c>kubectl kustomize deploy/overlays/prometheus-operator</c>.</summary>
public sealed class PrometheusOperatorOverlayManifestTests(RealProductFixture product) : ManifestTests(product, "prometheus-operator");
