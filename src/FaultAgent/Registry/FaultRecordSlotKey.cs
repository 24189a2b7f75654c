namespace FaultAgent.Registry;

/// <summary>Which of a record's keys a <see cref="FaultRecordSlots"/> finds it by.</summary>
internal enum FaultRecordSlotKey
{
    /// <summary>Its fault id (<see cref="FaultRecord.Identity"/>): the registry's map.</summary>
    FaultId,

    /// <summary>Its idempotency key (<see cref="FaultRecord.HeldIdempotencyKey"/>): the registry's key index; records without one are not put in it.</summary>
    IdempotencyKey,
}
