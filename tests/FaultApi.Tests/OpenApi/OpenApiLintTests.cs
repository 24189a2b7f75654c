using System.Diagnostics;
using System.Text;
using System.Text.Json;
using FaultApi.Tests.Deploy;
using FaultApi.Tests.EndToEnd;
using FaultApi.Tests.Infrastructure;

namespace FaultApi.Tests.OpenApi;

/// <summary>
/// The document the real API process serves, linted by the Redocly CLI (the version <c>tools/openapi/package-lock.json</c>
/// pins, installed by <c>scripts/install-openapi-tools.sh</c>, which scripts/test.sh runs first) with the repository's
/// <c>redocly.yaml</c>: no error and no warning. The document is written to <c>artifacts/openapi/v1.json</c>, the name
/// <c>.redocly.lint-ignore.yaml</c> keys its accepted problems by.
/// </summary>
public sealed class OpenApiLintTests : IAsyncLifetime, IDisposable
{
    private const string CallerToken = "openapi-lint-token-0123456789abcdef";
    private readonly TestDirectory _directory = new();
    private FaultApiProcess _api = null!;

    public static string Redocly => Path.Combine(RepositoryRoot.Path, "tools", "openapi", "node_modules", ".bin", "redocly");

    public async Task InitializeAsync()
    {
        var callerTokens = _directory.Combine("caller-tokens");
        var agentToken = _directory.Combine("agent-token");
        await File.WriteAllTextAsync(callerTokens, $"lint:{CallerToken}\n");
        await File.WriteAllTextAsync(agentToken, "agent-credential-0123456789abcdef\n");
        _api = await FaultApiProcess.StartAsync(new Dictionary<string, string>
        {
            ["Routing:Mode"] = "Static",
            ["Routing:Static:Nodes:gpu-node-001"] = "http://127.0.0.1:9", // never called: the document needs no agent
            ["Auth:TokenFile"] = callerTokens,
            ["Agents:TokenFile"] = agentToken,
            ["Stop:StateFile"] = _directory.Combine("stop-state.json"),
            ["Logging:LogLevel:Default"] = "Warning",
        });
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task RedoclyLint_TheServedDocument_HasNoErrorsAndNoWarnings()
    {
        Assert.True(File.Exists(Redocly), $"The Redocly CLI is not installed at {Redocly}: run scripts/install-openapi-tools.sh");
        using var client = _api.CreateClient(CallerToken);
        var document = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        var file = Path.Combine(RepositoryRoot.Path, "artifacts", "openapi", "v1.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, document);

        var (exitCode, output, errors) = await LintAsync(file);

        using var report = JsonDocument.Parse(output);
        var totals = report.RootElement.GetProperty("totals");
        var problems = string.Join('\n', report.RootElement.GetProperty("problems").EnumerateArray().Select(p =>
            $"{p.GetProperty("severity").GetString()} {p.GetProperty("ruleId").GetString()} {p.GetProperty("location")[0].GetProperty("pointer").GetString()}: {p.GetProperty("message").GetString()}"));
        Assert.True(totals.GetProperty("errors").GetInt32() == 0 && totals.GetProperty("warnings").GetInt32() == 0, $"redocly lint:\n{problems}\n{errors}");
        Assert.Equal(0, exitCode);
        Assert.Equal(2, totals.GetProperty("ignored").GetInt32()); // /health and /ready have no 4xx (.redocly.lint-ignore.yaml)
    }

    private static async Task<(int ExitCode, string Output, string Errors)> LintAsync(string file)
    {
        var start = new ProcessStartInfo(Redocly)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Path,
        };
        foreach (var argument in new[] { "lint", file, "--config", Path.Combine(RepositoryRoot.Path, "redocly.yaml"), "--format=json" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException("redocly lint did not finish within 2 minutes");
        }

        return (process.ExitCode, await output, await errors);
    }
}
