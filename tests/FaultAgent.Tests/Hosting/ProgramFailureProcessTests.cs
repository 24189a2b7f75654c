using System.Net;
using System.Net.Sockets;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Hosting;

namespace FaultAgent.Tests.Hosting;

/// <summary>
/// The real agent process that cannot run says why on stderr and exits with <see cref="ProgramFailure.ExitCode"/>, never
/// by an abort (SIGABRT, exit code 134, "Unhandled exception." and a stack trace per failure).
/// </summary>
public sealed class ProgramFailureProcessTests
{
    [Fact]
    public async Task Start_SettingsFailValidation_ExitsWithTheFailureCodeAndOneLinePerFailure()
    {
        using var directory = new TestDirectory();

        var (exitCode, output) = await AgentProcess.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["Agent:StateDirectory"] = directory.Combine("state"),
            ["Agent:TokenFile"] = directory.Combine("missing-token"),
            ["Agent:ProcRoot"] = "/proc",
        });

        Assert.True(exitCode == ProgramFailure.ExitCode, $"exit code {exitCode}:\n{output}");
        var lines = output.Split('\n').Where(l => l.StartsWith("FaultAgent cannot run: ", StringComparison.Ordinal)).ToList();
        Assert.Contains(lines, l => l.Contains("Agent:NodeName", StringComparison.Ordinal) && !l.Contains("Agent:TokenFile", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Agent:TokenFile", StringComparison.Ordinal) && !l.Contains("Agent:NodeName", StringComparison.Ordinal));
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain(output.Split('\n'), l => l.StartsWith("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_PortAlreadyBound_ExitsWithTheFailureCodeNamingTheAddress()
    {
        using var directory = new TestDirectory();
        var token = directory.Combine("token");
        await File.WriteAllTextAsync(token, "agent-credential-0123456789abcdef\n");
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndPoint!).Port}";

        var (exitCode, output) = await AgentProcess.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["Agent:NodeName"] = "node-a",
            ["Agent:StateDirectory"] = directory.Combine("state"),
            ["Agent:TokenFile"] = token,
            ["Agent:ProcRoot"] = "/proc",
            ["Kestrel:Endpoints:Grpc:Url"] = url,
        });

        Assert.True(exitCode == ProgramFailure.ExitCode, $"exit code {exitCode}:\n{output}");
        Assert.Contains(output.Split('\n'), l => l.StartsWith("FaultAgent cannot run: ", StringComparison.Ordinal) && l.Contains(url, StringComparison.Ordinal));
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }
}
