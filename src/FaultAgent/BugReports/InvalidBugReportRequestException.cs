using Grpc.Core;

namespace FaultAgent.BugReports;

/// <summary>A bad trigger or report id (gRPC INVALID_ARGUMENT with a field violation on <see cref="Field"/>).</summary>
public sealed class InvalidBugReportRequestException : Exception
{
    public InvalidBugReportRequestException(string field, string description)
        : base($"{field}: {description}")
    {
        Field = field;
        Description = description;
    }

    public string Field { get; }

    public string Description { get; }

    public StatusCode StatusCode => StatusCode.InvalidArgument;
}
