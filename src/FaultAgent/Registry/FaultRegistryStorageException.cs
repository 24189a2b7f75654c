namespace FaultAgent.Registry;

/// <summary>
/// The state directory cannot be written (the fault journal, the DCGM write ledger, the emergency-stop file). For an
/// injection it is thrown before anything of it reaches the kernel log (the journal could not be opened or take the
/// pending entry: the kernel log is written only after that entry), and nothing is recorded: nothing was injected,
/// unless <see cref="DcgmFieldsTakenBack"/> names DCGM values written before it. gRPC UNAVAILABLE with ErrorInfo
/// <c>STATE_DIRECTORY_UNWRITABLE</c>, HTTP 503.
/// </summary>
public sealed class FaultRegistryStorageException : Exception
{
    public FaultRegistryStorageException()
    {
    }

    public FaultRegistryStorageException(string message)
        : base(message)
    {
    }

    public FaultRegistryStorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// The DCGM fields (ids) the injection wrote (each read back) before the state directory refused, taken back since:
    /// DCGM showed them meanwhile, so this refusal is NOT "nothing written". Empty when no DCGM value was written.
    /// </summary>
    public IReadOnlyList<int> DcgmFieldsTakenBack { get; private init; } = [];

    /// <summary>This refusal (same message, this as the inner exception) for an injection whose DCGM values <paramref name="fieldIds"/> were written before it and taken back.</summary>
    public FaultRegistryStorageException AfterDcgmWrites(IReadOnlyList<int> fieldIds) => new(Message, this) { DcgmFieldsTakenBack = fieldIds };
}
