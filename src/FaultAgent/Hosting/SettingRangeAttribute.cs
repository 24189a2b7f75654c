using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace FaultAgent.Hosting;

/// <summary>
/// A numeric or <see cref="TimeSpan"/> setting between two bounds, inclusive; the error is the attribute's
/// <c>ErrorMessage</c>, which names the setting. The agent's trim-safe stand-in for <c>[Range]</c>: the options validator
/// generator's copy of <c>RangeAttribute</c> drops <c>ErrorMessage</c> (it prints "The field X.Y must be between ..."),
/// and <c>Range(typeof(TimeSpan), ...)</c> needs a type converter found by reflection, which Native AOT cannot keep.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class SettingRangeAttribute : ValidationAttribute
{
    private readonly Func<object, bool> _contains;

    public SettingRangeAttribute(int minimum, int maximum)
    {
        (Minimum, Maximum) = (minimum, maximum);
        _contains = value => value is int number && number >= minimum && number <= maximum;
    }

    public SettingRangeAttribute(double minimum, double maximum)
    {
        (Minimum, Maximum) = (minimum, maximum);
        _contains = value => value is double number && number >= minimum && number <= maximum;
    }

    /// <summary>A <see cref="TimeSpan"/> range, bounds in the invariant <c>[d.]hh:mm:ss</c> form.</summary>
    public SettingRangeAttribute(string minimum, string maximum)
    {
        var (low, high) = (TimeSpan.Parse(minimum, CultureInfo.InvariantCulture), TimeSpan.Parse(maximum, CultureInfo.InvariantCulture));
        (Minimum, Maximum) = (low, high);
        _contains = value => value is TimeSpan span && span >= low && span <= high;
    }

    public object Minimum { get; }

    public object Maximum { get; }

    // Like RangeAttribute, no value passes ([Required] says whether one must be there).
    public override bool IsValid(object? value) => value is null || _contains(value);

    public override string FormatErrorMessage(string name) =>
        ErrorMessage is null
            ? string.Format(CultureInfo.InvariantCulture, "The field {0} must be between {1} and {2}.", name, Minimum, Maximum)
            : base.FormatErrorMessage(name);
}
