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

        if (options.RecordRetention < TimeSpan.FromMinutes(1) || options.RecordRetention > TimeSpan.FromDays(3650))
        {
            failures.Add($"Drills:RecordRetention must be from 00:01:00 to 3650.00:00:00 (got {options.RecordRetention}).");
        }

        if (options.MaxRecords is < 1 or > 100_000)
        {
            failures.Add($"Drills:MaxRecords must be from 1 to 100000 (got {options.MaxRecords}).");
        }

        if (options.MaxEventSubscribers is < 1 or > 100_000)
        {
            failures.Add($"Drills:MaxEventSubscribers must be from 1 to 100000 (got {options.MaxEventSubscribers}).");
        }

        if (options.MaxEventSubscribersPerDrill < 1 || options.MaxEventSubscribersPerDrill > options.MaxEventSubscribers)
        {
            failures.Add($"Drills:MaxEventSubscribersPerDrill must be from 1 to Drills:MaxEventSubscribers (got {options.MaxEventSubscribersPerDrill}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
