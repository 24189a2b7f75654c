using FaultApi.EmergencyStop;

namespace FaultApi.Tests.EmergencyStop;

/// <summary>
/// The drills hook as a test sees it: records every stop it is told of. With <see cref="Hold"/> set, it then signals
/// <see cref="Entered"/> and waits for <see cref="Hold"/> (a slow listener), honouring its cancellation token.
/// </summary>
public sealed class RecordingStopListener : IEmergencyStopListener
{
    private readonly List<StopState> _states = [];

    public IReadOnlyList<StopState> States
    {
        get
        {
            lock (_states)
            {
                return [.. _states];
            }
        }
    }

    public TaskCompletionSource? Hold { get; set; }

    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<IReadOnlyList<StopCancellationOutcome>> OnEmergencyStopAsync(StopState state, CancellationToken cancellationToken)
    {
        lock (_states)
        {
            _states.Add(state);
        }

        if (Hold is { } hold)
        {
            Entered.TrySetResult();
            await hold.Task.WaitAsync(cancellationToken);
        }

        return [];
    }
}
