namespace FaultAgent.Faults;

/// <summary>The request is malformed (bad Xid, text, id, key or duration); nothing was written or recorded.</summary>
public sealed class FaultRequestInvalidException : Exception
{
    public FaultRequestInvalidException()
        : this([])
    {
    }

    public FaultRequestInvalidException(string message)
        : base(message)
    {
    }

    public FaultRequestInvalidException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FaultRequestInvalidException(IReadOnlyList<FaultFieldViolation> violations)
        : base("The request is invalid: " + string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}")))
    {
        Violations = violations;
    }

    public IReadOnlyList<FaultFieldViolation> Violations { get; } = [];
}
