namespace FaultApi.Tests.Deploy;

/// <summary>The security checks on <c>kubectl kustomize deploy/overlays/canary</c>.</summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class CanaryOverlaySecurityManifestTests() : SecurityManifestTests("canary");
