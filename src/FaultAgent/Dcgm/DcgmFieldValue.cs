namespace FaultAgent.Dcgm;

/// <summary>A value to write into one DCGM field.</summary>
public sealed record DcgmFieldValue(DcgmFieldCatalogEntry Field, long Value);
