namespace FaultAgent.Injection;

/// <summary>What reading the kernel log back proved about a write (<see cref="KernelRecordReadBack"/>).</summary>
public enum ReadBackOutcome
{
    /// <summary>Every line found: our records, every sequence in between seen.</summary>
    Verified,
    /// <summary>Every sequence seen and the next line is not there: it did not land.</summary>
    NotFound,
    /// <summary>Sequences were missed before the next line was found: it may have landed, unprovably.</summary>
    Unknown,
}
