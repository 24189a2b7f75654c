using FaultAgent.HostProcesses;
using Microsoft.Extensions.Logging;

namespace FaultAgent.Dcgm;

/// <summary>
/// Runs dcgmi on the host (through <see cref="IHostCommandRunner"/>: the host's namespaces, a timeout, bounded output)
/// and reads what it prints. Every failure is a <see cref="DcgmException"/> naming what DCGM said: no hostengine at the
/// address (dcgmi's two "Error:" lines), a refused injection, a missing tool, a timeout, output that is not dcgmi's.
/// </summary>
public sealed class DcgmiClient(IHostCommandRunner runner, DcgmiCommandLine commands, ILogger<DcgmiClient> logger)
{
    private const string ConnectionError = "Error: unable to establish a connection to the specified host";
    private const string HostEngineError = "Error: Unable to connect to host engine.";
    private const string InjectedLine = "Successfully injected field info.";

    /// <summary>The hostengine as dcgmi is told it; empty: dcgmi's default (localhost).</summary>
    public string HostEngine => commands.HostEngine;

    /// <summary>The GPUs the hostengine manages (<c>dcgmi discovery -l</c>).</summary>
    public async Task<IReadOnlyList<DcgmGpu>> DiscoverAsync(CancellationToken cancellationToken)
    {
        var command = commands.Discovery();
        var run = await RunAsync(command, cancellationToken).ConfigureAwait(false);
        var gpus = DcgmDiscoveryParser.Parse(run.StandardOutput)
            ?? throw Failed(DcgmFailure.CommandFailed, command, run, "printed no GPU table");
        if (run.ExitCode != 0)
        {
            // A module it could not load (e.g. a denylisted NvSwitch module) fails dcgmi after a complete GPU table.
            DcgmLog.DiscoveryExitedNonZero(logger, run.ExitCode, gpus.Count, FirstLine(run));
        }

        return gpus;
    }

    /// <summary>The field's current value on DCGM GPU <paramref name="dcgmGpuId"/> (<c>dcgmi dmon ... -c 1</c>).</summary>
    public async Task<DcgmFieldReading> ReadAsync(int dcgmGpuId, int fieldId, CancellationToken cancellationToken)
    {
        var command = commands.ReadField(dcgmGpuId, fieldId);
        var run = await RunAsync(command, cancellationToken).ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            throw Failed(DcgmFailure.CommandFailed, command, run, "failed");
        }

        var value = DcgmDmonParser.ReadValue(run.StandardOutput, dcgmGpuId)
            ?? throw Failed(DcgmFailure.CommandFailed, command, run, $"printed no row for GPU {dcgmGpuId}");
        return new DcgmFieldReading(value);
    }

    /// <summary>Writes <paramref name="value"/> into the hostengine's cache (<c>dcgmi test --inject</c>).</summary>
    public async Task InjectAsync(int dcgmGpuId, int fieldId, long value, CancellationToken cancellationToken)
    {
        var command = commands.Inject(dcgmGpuId, fieldId, value);
        var run = await RunAsync(command, cancellationToken).ConfigureAwait(false);
        if (run.ExitCode == 0 && run.StandardOutput.Contains(InjectedLine, StringComparison.Ordinal))
        {
            return;
        }

        var refusal = run.StandardOutput.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("Error: Unable to ", StringComparison.Ordinal));
        throw refusal is not null
            ? Failed(DcgmFailure.InjectionRejected, command, run, $"was refused by the hostengine: {refusal}")
            : Failed(DcgmFailure.CommandFailed, command, run, "did not confirm the injection");
    }

    private async Task<HostCommandResult> RunAsync(HostCommand command, CancellationToken cancellationToken)
    {
        HostCommandResult run;
        try
        {
            run = await runner.RunAsync(command, cancellationToken).ConfigureAwait(false);
        }
        catch (HostToolNotFoundException e)
        {
            throw new DcgmException(DcgmFailure.ToolUnavailable, $"dcgmi cannot be run on the host: {e.Message}", e) { HostEngine = HostEngine };
        }
        catch (HostCommandTimeoutException e)
        {
            throw new DcgmException(DcgmFailure.Timeout, $"dcgmi did not answer in time: {e.Message}", e) { HostEngine = HostEngine };
        }

        if (run.ExitCode is 125 or 126 or 127 && run.StandardError.Contains("chroot: ", StringComparison.Ordinal))
        {
            throw new DcgmException(DcgmFailure.ToolUnavailable, $"dcgmi cannot be run in its root: {FirstLine(run)}") { HostEngine = HostEngine };
        }

        var output = run.StandardOutput + "\n" + run.StandardError;
        if (output.Contains(ConnectionError, StringComparison.Ordinal) || output.Contains(HostEngineError, StringComparison.Ordinal))
        {
            var said = string.Join(" ", output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("Error: ", StringComparison.Ordinal)));
            throw new DcgmException(
                DcgmFailure.HostEngineUnreachable,
                $"No DCGM hostengine answers at {(HostEngine.Length == 0 ? "localhost (dcgmi's default)" : HostEngine)}: dcgmi said \"{said}\" (exit code {run.ExitCode}).")
            { HostEngine = HostEngine };
        }

        return run;
    }

    private DcgmException Failed(DcgmFailure failure, HostCommand command, HostCommandResult run, string what) =>
        new(failure, $"'{command}' {what} (exit code {run.ExitCode}): {FirstLine(run)}") { HostEngine = HostEngine };

    private static string FirstLine(HostCommandResult run)
    {
        var text = run.StandardError.Trim().Length > 0 ? run.StandardError : run.StandardOutput;
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no output";
    }
}
