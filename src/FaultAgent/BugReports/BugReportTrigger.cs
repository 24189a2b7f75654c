using System.Text.RegularExpressions;
using FaultAgent.Faults;

namespace FaultAgent.BugReports;

/// <summary>What started a report: <c>api</c>, <c>schedule</c> or <c>injection:&lt;fault_id&gt;</c>.</summary>
public static partial class BugReportTrigger
{
    public const string Api = "api";
    public const string Schedule = "schedule";
    public const string InjectionPrefix = "injection:";

    /// <summary>The trigger to record; empty means <c>api</c>. Throws <see cref="InvalidRequestException"/> otherwise.</summary>
    public static string Normalize(string? trigger)
    {
        if (string.IsNullOrEmpty(trigger))
        {
            return Api;
        }

        if (trigger is Api or Schedule || Injection().IsMatch(trigger))
        {
            return trigger;
        }

        throw new InvalidRequestException(
            "trigger", "must be 'api', 'schedule' or 'injection:<fault_id>' with a fault id of [A-Za-z0-9._-]{1,128}");
    }

    public static string ForInjection(string faultId) => Normalize(InjectionPrefix + faultId);

    [GeneratedRegex(@"^injection:[A-Za-z0-9._-]{1,128}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Injection();
}
