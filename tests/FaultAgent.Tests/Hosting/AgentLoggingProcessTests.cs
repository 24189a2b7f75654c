using FaultAgent.Tests.Infrastructure;

namespace FaultAgent.Tests.Hosting;

/// <summary>
/// The agent process's console log takes its format from <c>Logging:Console:FormatterName</c>, as
/// <c>WebApplication.CreateBuilder</c> let it: the slim builder the agent is built on forces the <c>simple</c> formatter
/// (Hosting/AgentHostDefaults.cs gives the setting back).
/// </summary>
public sealed class AgentLoggingProcessTests
{
    private static readonly TimeSpan LogDeadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Start_ConsoleFormatterNameJson_WritesJsonLogLines()
    {
        using var directory = new TestDirectory();
        File.WriteAllText(directory.Combine("token"), $"{AgentApplicationFactory.ApiTokenName}:{AgentApplicationFactory.ApiToken}\n");

        await using var agent = await AgentProcess.StartAsync(new Dictionary<string, string>
        {
            ["Agent:NodeName"] = "node-a",
            ["Agent:ProcRoot"] = TestProcRoot.Create(directory.Path),
            ["Agent:StateDirectory"] = directory.Combine("state"),
            ["Agent:TokenFile"] = directory.Combine("token"),
            ["Logging:Console:FormatterName"] = "json",
        });
        var output = await LifetimeLogAsync(agent);

        Assert.Contains("\"Category\":\"Microsoft.Hosting.Lifetime\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain("info: Microsoft.Hosting.Lifetime", output, StringComparison.Ordinal);
    }

    /// <summary>The agent's output once the host's lifetime messages ("Application started") are in it, in whatever format.</summary>
    private static async Task<string> LifetimeLogAsync(AgentProcess agent)
    {
        var deadline = DateTime.UtcNow + LogDeadline;
        while (!agent.Output.Contains("Microsoft.Hosting.Lifetime", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return agent.Output;
    }
}
