using Microsoft.Extensions.Options;

namespace FaultApi.Suites;

/// <summary>Checks the <c>Suites</c> settings at start; a bad one stops the API with a message naming it.</summary>
public sealed class SuiteOptionsValidator : IValidateOptions<SuiteOptions>
{
    public ValidateOptionsResult Validate(string? name, SuiteOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxDrills is < 1 or > 250)
        {
            failures.Add($"Suites:MaxDrills must be from 1 to 250 (got {options.MaxDrills}).");
        }

        if (options.MaxConcurrency is < 1 or > 256)
        {
            failures.Add($"Suites:MaxConcurrency must be from 1 to 256 (got {options.MaxConcurrency}).");
        }

        if (options.MaxRecords is < 1 or > 10_000)
        {
            failures.Add($"Suites:MaxRecords must be from 1 to 10000 (got {options.MaxRecords}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
