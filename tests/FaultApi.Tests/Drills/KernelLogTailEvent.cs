namespace FaultApi.Tests.Drills;

/// <summary>
/// What a <see cref="KernelLogTail"/> read next: a record (<see cref="Text"/> set, <see cref="First"/> = <see cref="Last"/>
/// its sequence) or a gap (<see cref="Text"/> null: sequences <see cref="First"/> to <see cref="Last"/> the ring overwrote
/// before the reader read them).
/// </summary>
public readonly record struct KernelLogTailEvent(ulong First, ulong Last, string? Text)
{
    public bool IsGap => Text is null;
}
