using System.Text.Json.Serialization;
using FaultApi.Storage;

namespace FaultApi.Suites;

/// <summary>
/// The states of a suite and of its drills (<c>state</c> in the suite's JSON, its drills' and its events', and its
/// <c>fault-injection/suite-state</c> label, in lower case: <see cref="SnakeCaseEnumConverter{TEnum}"/>). A suite is
/// <see cref="Running"/>, then <see cref="Passed"/>, <see cref="Failed"/> or <see cref="Cancelled"/>; its drills add
/// <see cref="Pending"/>, <see cref="Starting"/>, <see cref="Error"/> and <see cref="Skipped"/>.
/// One enum, not two: a drill entry's state is mostly its drill's verdict (<see cref="SuiteDrillStates.Of"/>), so the
/// suite's four states are a subset of its drills'; one suite event's <c>state</c> is a drill's (<c>drill_ended</c>) or
/// the suite's (<c>suite_ended</c>); and the JUnit report and the suite's reason judge both with the same members. Two
/// enums would need a union for the events and the same four members twice.
/// </summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<SuiteState>))]
public enum SuiteState
{
    /// <summary>A drill not started yet.</summary>
    Pending,

    /// <summary>A drill whose start is under way (recorded before the drill's id is known).</summary>
    Starting,

    /// <summary>The suite runs; a drill runs.</summary>
    Running,

    /// <summary>Every drill passed; the drill passed.</summary>
    Passed,

    /// <summary>A drill did not pass; the drill failed.</summary>
    Failed,

    /// <summary>Cancelled (the suite, or the drill from outside the suite).</summary>
    Cancelled,

    /// <summary>A drill that could not start: its problem is the reason.</summary>
    Error,

    /// <summary>A drill never started: the suite stopped first.</summary>
    Skipped,
}
