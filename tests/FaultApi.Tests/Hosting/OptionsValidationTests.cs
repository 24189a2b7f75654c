using FaultApi.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace FaultApi.Tests.Hosting;

/// <summary>A bad setting stops the process at start with a message naming the setting.</summary>
public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("Routing:Static:Nodes:n", "not-a-url", "Routing:Static:Nodes:n")]
    [InlineData("Routing:AgentLabelSelector", "app in (", "Routing:AgentLabelSelector")]
    [InlineData("Agents:TokenFile", "/nonexistent/agent-token", "Agents:TokenFile")]
    [InlineData("Auth:TokenFile", "", "Auth:TokenFile")]
    [InlineData("Safety:MaxFaultedNodeFraction", "1.5", "MaxFaultedNodeFraction")]
    [InlineData("Safety:TargetRetention", "00:00:01", "TargetRetention")]
    [InlineData("Safety:ConfigMapName", "Not_A_Name", "ConfigMapName")]
    [InlineData("Stop:StateFile", "", "Stop:StateFile")]
    [InlineData("Stop:ReconcileIntervalSeconds", "0", "ReconcileIntervalSeconds")]
    [InlineData("Drills:RecordRetention", "00:00:01", "Drills:RecordRetention")]
    [InlineData("Drills:MaxRecords", "0", "Drills:MaxRecords")]
    [InlineData("Drills:MaxEventSubscribers", "0", "Drills:MaxEventSubscribers")]
    [InlineData("Drills:MaxEventSubscribersPerDrill", "100001", "Drills:MaxEventSubscribersPerDrill")]
    public void Start_BadSetting_FailsNamingIt(string key, string value, string expected)
    {
        using var api = new ApiApplicationFactory(new Dictionary<string, string?> { ["Routing:Mode"] = "Static", ["Routing:Static:Nodes:n"] = "http://127.0.0.1:1", [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => api.CreateClient());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
