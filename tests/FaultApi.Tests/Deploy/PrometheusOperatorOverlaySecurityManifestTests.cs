namespace FaultApi.Tests.Deploy;

/// <summary>The security checks on <c>kubectl kustomize deploy/overlays/prometheus-operator</c>.</summary>
public sealed class PrometheusOperatorOverlaySecurityManifestTests() : SecurityManifestTests("prometheus-operator");
