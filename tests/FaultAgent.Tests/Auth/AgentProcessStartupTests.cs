using FaultAgent.Tests.Infrastructure;

namespace FaultAgent.Tests.Auth;

/// <summary>The real agent process refuses to start without a usable token, with a message naming the setting.</summary>
public sealed class AgentProcessStartupTests
{
    [Fact]
    public async Task Start_NoTokenFile_ExitsNonZeroNamingAgentTokenFile()
    {
        using var directory = new TestDirectory();

        var (exitCode, output) = await AgentProcess.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["Agent:NodeName"] = "node-a",
            ["Agent:StateDirectory"] = directory.Combine("state"),
            ["Agent:TokenFile"] = directory.Combine("missing-token"),
            ["Agent:ProcRoot"] = "/proc",
        });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Agent:TokenFile", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_TokenFileGivesATokenToTwoCallers_ExitsNamingAgentTokenFileAndTheLines()
    {
        using var directory = new TestDirectory();
        var tokenFile = directory.Combine("token");
        await File.WriteAllTextAsync(tokenFile, "fault-api:aaaaaaaaaaaaaaaaaaaaaaaa\nsre-bob:aaaaaaaaaaaaaaaaaaaaaaaa\n");

        var (exitCode, output) = await AgentProcess.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["Agent:NodeName"] = "node-a",
            ["Agent:StateDirectory"] = directory.Combine("state"),
            ["Agent:TokenFile"] = tokenFile,
            ["Agent:ProcRoot"] = "/proc",
        });

        Assert.Equal(1, exitCode);
        Assert.Contains("FaultAgent cannot run: Agent:TokenFile", output, StringComparison.Ordinal);
        Assert.Contains("lines 1, 2: the same token for 'fault-api', 'sre-bob'", output, StringComparison.Ordinal);
        Assert.DoesNotContain("aaaaaaaaaaaaaaaaaaaaaaaa", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MaxConcurrentReviews", "0")]
    [InlineData("MaxConcurrentReviews", "1025")]
    [InlineData("FailedReviewsPerSource", "0")]
    [InlineData("FailedReviewsPerSource", "10001")]
    [InlineData("FailedReviewWindow", "00:00:00")]
    [InlineData("FailedReviewWindow", "01:00:01")]
    public async Task Start_TokenReviewLimitOutOfRange_ExitsNamingTheSetting(string setting, string value)
    {
        using var directory = new TestDirectory();
        var tokenFile = directory.Combine("token");
        await File.WriteAllTextAsync(tokenFile, $"{AgentApplicationFactory.ApiTokenName}:{AgentApplicationFactory.ApiToken}\n");

        var (exitCode, output) = await AgentProcess.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["Agent:NodeName"] = "node-a",
            ["Agent:StateDirectory"] = directory.Combine("state"),
            ["Agent:TokenFile"] = tokenFile,
            ["Agent:ProcRoot"] = "/proc",
            [$"Agent:TokenReview:{setting}"] = value,
        });

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"Agent:TokenReview:{setting} must be", output, StringComparison.Ordinal);
    }
}
