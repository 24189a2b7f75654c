namespace FaultApi.Tests.Deploy;

/// <summary>The security checks on <c>kubectl kustomize deploy/overlays/gpu-operator</c>.</summary>
public sealed class GpuOperatorOverlaySecurityManifestTests() : SecurityManifestTests("gpu-operator");
