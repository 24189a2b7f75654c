namespace FaultApi.Tests.Deploy;

/// <summary>The security checks on <c>kubectl kustomize deploy/overlays/default</c>.</summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class DefaultOverlaySecurityManifestTests() : SecurityManifestTests("default");
