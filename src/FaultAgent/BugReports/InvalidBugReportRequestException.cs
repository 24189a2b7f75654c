namespace FaultAgent.BugReports;

/// <summary>A bad trigger or report id on <see cref="Field"/>.</summary>
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
}
