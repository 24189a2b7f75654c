namespace FaultApi.EmergencyStop;

/// <summary>A state this replica wrote, with the store's revision after the write.</summary>
internal sealed record WrittenStopState(StopState State, string Revision);
