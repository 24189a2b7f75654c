namespace FaultAgent.Faults;

/// <summary>
/// The one refusal of bad input, whatever the feature (fault and injection fields, the text that would go into the
/// kernel log, bug-report triggers and ids, page tokens, DCGM fields): each bad field, named as in the contract
/// (snake_case), with what is wrong with it. Nothing was written or recorded. The adapters map it once each: gRPC to
/// INVALID_ARGUMENT with a google.rpc.BadRequest, HTTP to a 400 validation problem.
/// </summary>
public sealed class InvalidRequestException : Exception
{
    public InvalidRequestException()
        : this([])
    {
    }

    public InvalidRequestException(string message)
        : base(message)
    {
    }

    public InvalidRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>One bad field; the message is <c>field: description</c>.</summary>
    public InvalidRequestException(string field, string description)
        : base($"{field}: {description}")
    {
        Violations = [new FaultFieldViolation(field, description)];
    }

    /// <summary>Every bad field of a request at once.</summary>
    public InvalidRequestException(IReadOnlyList<FaultFieldViolation> violations)
        : base("The request is invalid: " + string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}")))
    {
        Violations = violations;
    }

    public IReadOnlyList<FaultFieldViolation> Violations { get; } = [];

    /// <summary>The (first) bad field; empty when none was named.</summary>
    public string Field => Violations.Count > 0 ? Violations[0].Field : "";

    /// <summary>What is wrong with <see cref="Field"/>.</summary>
    public string Description => Violations.Count > 0 ? Violations[0].Description : Message;
}
