using Microsoft.Extensions.Options;

namespace FaultAgent.BugReports;

/// <summary>Checks what data annotations cannot: the interval and the host-side directory.</summary>
public sealed class BugReportOptionsValidator : IValidateOptions<BugReportOptions>
{
    public ValidateOptionsResult Validate(string? name, BugReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Interval is { } interval && interval != TimeSpan.Zero && interval < TimeSpan.FromMinutes(1))
        {
            failures.Add("Agent:BugReports:Interval must be unset, 00:00:00 (off) or at least 00:01:00.");
        }

        if (options.HostStateDirectory is { Length: > 0 } dir && !Path.IsPathRooted(dir))
        {
            failures.Add("Agent:BugReports:HostStateDirectory must be an absolute path (the host's view of Agent:StateDirectory).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
