using FaultApi.EmergencyStop;

namespace FaultApi.Tests.EmergencyStop;

/// <summary>The drills hook as a test sees it: records every stop it is told of.</summary>
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

    public Task OnEmergencyStopAsync(StopState state, CancellationToken cancellationToken)
    {
        lock (_states)
        {
            _states.Add(state);
        }

        return Task.CompletedTask;
    }
}
