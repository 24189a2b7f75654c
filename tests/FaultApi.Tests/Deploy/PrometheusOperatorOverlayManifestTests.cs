using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.Deploy;

/// <summary>The manifest checks on <c>kubectl kustomize deploy/overlays/prometheus-operator</c>.</summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class PrometheusOperatorOverlayManifestTests(RealProductFixture product) : ManifestTests(product, "prometheus-operator");
