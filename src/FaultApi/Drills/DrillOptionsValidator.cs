using Microsoft.Extensions.Options;

namespace FaultApi.Drills;

/// <summary>Checks the <c>Drills</c> settings at start; a bad one stops the API with a message naming it.</summary>
public sealed class DrillOptionsValidator : IValidateOptions<DrillOptions>
{
    public ValidateOptionsResult Validate(string? name, DrillOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxTimeout < TimeSpan.FromSeconds(1) || options.MaxTimeout > TimeSpan.FromDays(7))
        {
            failures.Add($"Drills:MaxTimeout must be from 00:00:01 to 7.00:00:00 (got {options.MaxTimeout}).");
        }

        if (options.DefaultTimeout < TimeSpan.FromSeconds(1) || options.DefaultTimeout > options.MaxTimeout)
        {
            failures.Add($"Drills:DefaultTimeout must be from 00:00:01 to Drills:MaxTimeout (got {options.DefaultTimeout}).");
        }

        if (options.LeaseDuration < TimeSpan.FromSeconds(1) || options.LeaseDuration > TimeSpan.FromMinutes(10))
        {
            failures.Add($"Drills:LeaseDuration must be from 00:00:01 to 00:10:00 (got {options.LeaseDuration}).");
        }

        if (options.SyncTimeout < TimeSpan.FromSeconds(1) || options.SyncTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"Drills:SyncTimeout must be from 00:00:01 to 00:05:00 (got {options.SyncTimeout}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
