using Microsoft.Extensions.Hosting;

namespace FaultAgent.HostProcesses;

/// <summary>
/// Ends the host commands still running when the agent stops (SIGTERM from the kubelet, a host shutdown): as soon as the
/// host begins to stop (<see cref="IHostApplicationLifetime.ApplicationStopping"/>, before the endpoints drain) every
/// running command's process tree is killed — nsenter, the tool and whatever the tool started — and a command asked for
/// afterwards is refused; the stop then waits until each run has seen its tree go. Without it a run that nobody cancels
/// (the shared nvidia-smi runs: the board-serial lookup and the telemetry query) outlived the agent, orphaned, until the
/// tool ended on its own: nobody was left to kill it at its timeout.
/// </summary>
public sealed class HostCommandShutdown : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenRegistration _registration;
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _runs = [];

    public HostCommandShutdown(IHostApplicationLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        Stopping = _stopping.Token;
        _registration = lifetime.ApplicationStopping.Register(static state => ((HostCommandShutdown)state!).Stop(), this);
    }

    /// <summary>Cancelled when the agent begins to stop; every run links it into its own cancellation.</summary>
    public CancellationToken Stopping { get; }

    /// <summary>Keeps <paramref name="run"/> until it ends, so the stop can wait for it.</summary>
    public void Track(Task run)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_gate)
        {
            _runs.Add(run);
        }

        run.ContinueWith(
            static (ended, state) =>
            {
                var shutdown = (HostCommandShutdown)state!;
                lock (shutdown._gate)
                {
                    shutdown._runs.Remove(ended);
                }
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Kills every running command's tree (if the stop had not yet) and waits until each run ended, at most until <paramref name="cancellationToken"/> (the host's shutdown timeout).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Stop();
        while (true)
        {
            Task[] runs;
            lock (_gate)
            {
                runs = [.. _runs];
            }

            if (runs.Length == 0)
            {
                return;
            }

            try
            {
                // Each run's own failure (the stop's refusal included) is its caller's; here only its end counts.
                await Task.WhenAll(runs).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
                    .WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return; // the host's shutdown timeout passed (a tool stuck in the driver ignores SIGKILL)
            }

            lock (_gate)
            {
                _runs.ExceptWith(runs);
            }
        }
    }

    public void Dispose()
    {
        _registration.Dispose();
        _stopping.Dispose();
    }

    private void Stop()
    {
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed with the host: nothing runs any more.
        }
    }
}
