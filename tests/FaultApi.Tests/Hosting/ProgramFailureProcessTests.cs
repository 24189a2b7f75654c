using System.Globalization;
using System.Net;
using FaultApi.Tests.EndToEnd;
using FaultApi.Tests.Infrastructure;
using FaultInjection.Hosting;

namespace FaultApi.Tests.Hosting;

/// <summary>
/// The real API process that cannot run says why on stderr and exits with <see cref="ProgramFailure.ExitCode"/>, never
/// by an abort (SIGABRT, exit code 134, "Unhandled exception." and a stack trace per failure).
/// </summary>
public sealed class ProgramFailureProcessTests : IDisposable
{
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Start_SettingFailsValidation_ExitsWithTheFailureCodeAndTheSettingsMessage()
    {
        var settings = Settings();
        settings["Safety:MaxFaultedNodeFraction"] = "1.5";

        var (exitCode, output) = await FaultApiProcess.RunUntilExitAsync(settings);

        Assert.True(exitCode == ProgramFailure.ExitCode, $"exit code {exitCode}:\n{output}");
        Assert.Contains(output.Split('\n'), l => l.StartsWith("FaultApi cannot run: ", StringComparison.Ordinal) && l.Contains("MaxFaultedNodeFraction", StringComparison.Ordinal));
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain(output.Split('\n'), l => l.StartsWith("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_KubeconfigMissing_ExitsWithTheFailureCodeNamingTheFile()
    {
        var settings = Settings();
        settings.Remove("Routing:Static:Nodes:gpu-node-001");
        settings["Routing:Mode"] = "Kubernetes";
        var kubeconfig = _directory.Combine("no-such-kubeconfig");
        settings["Routing:Kubeconfig"] = kubeconfig;

        var (exitCode, output) = await FaultApiProcess.RunUntilExitAsync(settings);

        Assert.True(exitCode == ProgramFailure.ExitCode, $"exit code {exitCode}:\n{output}");
        Assert.Contains(output.Split('\n'), l => l.StartsWith("FaultApi cannot run: ", StringComparison.Ordinal) && l.Contains(kubeconfig, StringComparison.Ordinal));
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }

    private Dictionary<string, string> Settings()
    {
        var tokens = _directory.Combine("tokens");
        File.WriteAllText(tokens, $"alice:{ApiApplicationFactory.AliceToken}\n");
        return FaultApiProcess.StaticSettings(_directory, tokens);
    }
}
