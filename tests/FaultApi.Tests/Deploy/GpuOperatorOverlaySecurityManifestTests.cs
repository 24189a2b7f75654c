namespace FaultApi.Tests.Deploy;

/// <summary>The security checks on <c>kubectl kustomize deploy/overlays/gpu-operator</c>.</summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class GpuOperatorOverlaySecurityManifestTests() : SecurityManifestTests("gpu-operator");
