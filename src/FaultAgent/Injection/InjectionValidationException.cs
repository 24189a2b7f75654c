namespace FaultAgent.Injection;

/// <summary>
/// A caller's value cannot be written to the kernel log. <see cref="Field"/> is the request field
/// (<c>message</c>, <c>process_name</c>, <c>xid</c>, ...); the gRPC layer maps this to INVALID_ARGUMENT with a
/// google.rpc.BadRequest field violation. Nothing has been written when this is thrown.
/// </summary>
public sealed class InjectionValidationException : Exception
{
    public InjectionValidationException()
    {
        Field = "";
        Description = "";
    }

    public InjectionValidationException(string message)
        : base(message)
    {
        Field = "";
        Description = message;
    }

    public InjectionValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "";
        Description = message;
    }

    public InjectionValidationException(string field, string description)
        : base($"{field}: {description}")
    {
        Field = field;
        Description = description;
    }

    /// <summary>The request field at fault, as named in the proto (snake_case).</summary>
    public string Field { get; }

    /// <summary>What is wrong with it, for a human.</summary>
    public string Description { get; }
}
