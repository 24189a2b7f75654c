using FaultAgent.Registry;

namespace FaultAgent.Injection;

/// <summary>
/// One injection waiting for a group commit (<see cref="InjectionPipeline"/>): what to write, and the task its caller
/// awaits, completed by whichever caller leads the batch it is written in.
/// </summary>
internal sealed class QueuedInjection(FaultRecord planned, IReadOnlyList<KernelLogLine> lines)
{
    private readonly TaskCompletionSource<FaultRegistration> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FaultRecord Planned { get; } = planned;

    public IReadOnlyList<KernelLogLine> Lines { get; } = lines;

    /// <summary>The fault as journaled pending (this boot, active), once its batch's pending entries are on the disk.</summary>
    public FaultRecord? Pending { get; set; }

    public Task<FaultRegistration> Result => _completion.Task;

    public void Complete(FaultRegistration registration) => _completion.TrySetResult(registration);

    public void Fail(Exception error) => _completion.TrySetException(error);
}
