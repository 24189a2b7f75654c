using System.Diagnostics.Metrics;
using FaultApi.Metrics;
using FaultApi.Storage;

namespace FaultApi.Drills;

/// <summary>The drills' instrument on the API's meter: <c>fault_api.drills</c>, drills finished by verdict.</summary>
public sealed class DrillMetrics
{
    private readonly Counter<long> _drills;

    public DrillMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _drills = meterFactory.Create(ApiMetrics.MeterName).CreateCounter<long>("fault_api.drills", unit: "{drill}", description: "Drills finished, by verdict.");
    }

    /// <summary>One drill finished with <paramref name="verdict"/> (passed, failed or cancelled).</summary>
    public void Completed(DrillState verdict) => _drills.Add(1, new KeyValuePair<string, object?>("verdict", verdict.JsonName()));
}
