using System.Text.Json.Serialization;
using FaultApi.Storage;

namespace FaultApi.Tests.Storage;

/// <summary>A record of a kind neither drills nor suites are (<c>widget</c>), for the generic store's tests.</summary>
public sealed class TestLeasedRecord : ILeasedRecord
{
    public string WidgetId { get; set; } = "";

    public string State { get; set; } = "running";

    public string Color { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    [JsonIgnore]
    public bool IsFinal => State != "running";

    string ILeasedRecord.Id => WidgetId;

    string ILeasedRecord.StateName => State;
}
