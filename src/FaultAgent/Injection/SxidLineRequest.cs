namespace FaultAgent.Injection;

/// <summary>Everything that decides the records of one SXid, as <see cref="XidLineBuilder.BuildSxid"/> takes it.</summary>
public sealed record SxidLineRequest
{
    public required int Sxid { get; init; }

    /// <summary>N of <c>nvidia-nvswitchN</c>.</summary>
    public required int NvSwitch { get; init; }

    /// <summary>The switch's full BDF, <c>dddd:bb:dd.f</c>.</summary>
    public required string PciBusId { get; init; }

    public required int Link { get; init; }

    /// <summary>The text after <c>Link NN </c>; empty: the catalog's.</summary>
    public string? Message { get; init; }

    /// <summary><c>Fatal</c>, <c>Non-fatal</c> or <c>Correctable</c>; empty: the catalog's.</summary>
    public string? ErrorClass { get; init; }

    /// <summary>Append <c> (First)</c>.</summary>
    public bool First { get; init; }

    /// <summary>flags, then data[0..15] of the <c>Data {...}</c> lines; missing words are 0.</summary>
    public IReadOnlyList<uint> Data { get; init; } = [];

    /// <summary>Only the SXid line, without the Severity and Data follow-up lines.</summary>
    public bool OmitCompanionRecords { get; init; }
}
