namespace FaultApi.Tests.Deploy;

/// <summary>The security checks on <c>kubectl kustomize deploy/overlays/prometheus-operator</c>.</summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class PrometheusOperatorOverlaySecurityManifestTests() : SecurityManifestTests("prometheus-operator");
