namespace FaultApi.Xids;

/// <summary>One catalog Xid.</summary>
public sealed record XidTypeResource(int Xid, string Name, string Description, string DefaultMessage, string Severity, string RecommendedAction, int Level)
{
    /// <summary>The driver's name (nverror.h).</summary>
    public string Mnemonic { get; init; } = "";

    /// <summary><c>catalog</c> or <c>nverror.h</c> (not in NVIDIA's catalog yet).</summary>
    public string NameSource { get; init; } = "";
}
