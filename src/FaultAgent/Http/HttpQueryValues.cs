using System.Globalization;
using FaultAgent.Faults;

namespace FaultAgent.Http;

/// <summary>
/// Typed query values of the agent's HTTP routes, read from the raw strings so a bad one is a field violation like any
/// other (the generated request delegates of the Native AOT build answer a bare 400 for an unparsable nullable query
/// value instead of raising it).
/// </summary>
public static class HttpQueryValues
{
    /// <summary>What a boolean field must be (query values here, body fields in <see cref="HttpBindingProblemHandler"/>).</summary>
    public const string BooleanDescription = "must be true or false";

    /// <summary>What a whole-number field must be (query values here, body fields in <see cref="HttpBindingProblemHandler"/>).</summary>
    public const string WholeNumberDescription = "must be a whole number";

    /// <summary><c>true</c> / <c>false</c> (any case), or null when absent; anything else is a violation of <paramref name="field"/>.</summary>
    public static bool? Boolean(string? value, string field, List<FaultFieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (bool.TryParse(value, out var parsed))
        {
            return parsed;
        }

        violations.Add(new(field, BooleanDescription));
        return null;
    }

    /// <summary>A whole number, or null when absent; anything else is a violation of <paramref name="field"/>.</summary>
    public static int? WholeNumber(string? value, string field, List<FaultFieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        violations.Add(new(field, WholeNumberDescription));
        return null;
    }
}
