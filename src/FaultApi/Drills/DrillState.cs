using System.Text.Json.Serialization;
using FaultApi.Storage;

namespace FaultApi.Drills;

/// <summary>
/// The states of a drill (<c>state</c> in its JSON and its <c>fault-injection/drill-state</c> label, in lower case:
/// <see cref="SnakeCaseEnumConverter{TEnum}"/>); every state but <see cref="Running"/> is final.
/// </summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<DrillState>))]
public enum DrillState
{
    /// <summary>Followed by a replica until its expectations are met, its deadline passes, or it is cancelled.</summary>
    Running,

    /// <summary>Every expectation was observed.</summary>
    Passed,

    /// <summary>Its deadline passed with expectations never observed, or its injection was refused or never confirmed.</summary>
    Failed,

    /// <summary>Cancelled by a caller, its suite or the emergency stop.</summary>
    Cancelled,
}
