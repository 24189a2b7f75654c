using System.Text.Json;
using FaultApi.Drills;
using FaultApi.Storage;
using FaultApi.Suites;

namespace FaultApi.Tests.Storage;

/// <summary>The drill and suite states as JSON: the lower-case strings they were before they were enums, both ways, and nothing else read.</summary>
public sealed class StateJsonTests
{
    public static TheoryData<DrillState, string> DrillStates => new()
    {
        { DrillState.Running, "running" },
        { DrillState.Passed, "passed" },
        { DrillState.Failed, "failed" },
        { DrillState.Cancelled, "cancelled" },
    };

    public static TheoryData<SuiteState, string> SuiteStates => new()
    {
        { SuiteState.Pending, "pending" },
        { SuiteState.Starting, "starting" },
        { SuiteState.Running, "running" },
        { SuiteState.Passed, "passed" },
        { SuiteState.Failed, "failed" },
        { SuiteState.Cancelled, "cancelled" },
        { SuiteState.Error, "error" },
        { SuiteState.Skipped, "skipped" },
    };

    [Theory]
    [MemberData(nameof(DrillStates))]
    public void Serialize_DrillState_IsItsLowerCaseNameAndReadsBack(DrillState state, string name)
    {
        var json = JsonSerializer.Serialize(new DrillRecord { State = state }, RecordJson.Options);

        Assert.Contains($"\"state\":\"{name}\"", json, StringComparison.Ordinal);
        Assert.Equal(state, JsonSerializer.Deserialize<DrillRecord>(json, RecordJson.Options)!.State);
        Assert.Equal(name, state.JsonName());
    }

    [Theory]
    [MemberData(nameof(SuiteStates))]
    public void Serialize_SuiteState_IsItsLowerCaseNameInTheSuiteItsDrillsAndEvents(SuiteState state, string name)
    {
        var suite = new SuiteRecord { State = state, Drills = [new SuiteDrill { State = state }], Events = [new SuiteEvent("drill_ended", DateTimeOffset.UnixEpoch, 0, null, null, null, state, null)] };

        var json = JsonSerializer.Serialize(suite, RecordJson.Options);
        var read = JsonSerializer.Deserialize<SuiteRecord>(json, RecordJson.Options)!;

        Assert.Equal(3, json.Split($"\"state\":\"{name}\"").Length - 1);
        Assert.Equal((state, state, state), (read.State, read.Drills[0].State, read.Events[0].State));
        Assert.Equal(name, state.JsonName());
    }

    [Theory]
    [InlineData("{\"state\":\"exploded\"}")]
    [InlineData("{\"state\":\"\"}")]
    [InlineData("{\"state\":1}")]
    [InlineData("{\"state\":\"1\"}")]
    [InlineData("{\"state\":null}")]
    public void Deserialize_DrillStateItDoesNotKnow_FailsNamingThePath(string json)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DrillRecord>(json, RecordJson.Options));

        Assert.Equal("$.state", error.Path);
    }

    [Fact]
    public void Deserialize_SuiteDrillStateItDoesNotKnow_FailsNamingThePath()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<SuiteRecord>("{\"state\":\"running\",\"drills\":[{\"state\":\"exploded\"}]}", RecordJson.Options));

        Assert.Equal("$.drills[0].state", error.Path);
    }

    [Fact]
    public void JsonName_ValueNoMemberNames_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ((DrillState)42).JsonName());

    [Fact]
    public void Of_EveryDrillState_IsTheSuiteStateOfTheSameName()
    {
        foreach (var state in Enum.GetValues<DrillState>())
        {
            Assert.Equal(state.JsonName(), SuiteDrillStates.Of(state).JsonName());
        }
    }
}
