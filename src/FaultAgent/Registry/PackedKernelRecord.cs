using System.Runtime.InteropServices;

namespace FaultAgent.Registry;

/// <summary>
/// One kernel record as an element of a fault's <see cref="PackedKernelRecords"/> array (#14, the agent's memory,
/// faultbytes4): <see cref="HeldKernelRecord"/>'s values in 32 bytes, its text named by <see cref="Text"/> instead of a
/// reference — the fault's line (<see cref="LineFlag"/> and the kept line head's index, the message's bytes behind the
/// records) or a kept companion text (<see cref="HeldKernelTexts"/>).
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
internal struct PackedKernelRecord
{
    /// <summary>Set in <see cref="Text"/>: the text is <see cref="Head"/> characters of the line head (the rest of <see cref="Text"/>), the head, then the message's bytes.</summary>
    public const ushort LineFlag = 0x8000;

    public ulong Sequence;
    public ulong TimestampMicroseconds;

    /// <summary>When the record was read back: UTC ticks, -1 for none.</summary>
    public long ObservedUtcTicks;
    public short ObservedOffsetMinutes;
    public byte Level;
    public byte Facility;

    /// <summary>How many characters of the line head the text repeats before it (a line's record); 0 for a companion text.</summary>
    public ushort Head;

    /// <summary><see cref="LineFlag"/> | the line head's index (<see cref="HeldLineHeads"/>), or a kept companion text's index (<see cref="HeldKernelTexts"/>).</summary>
    public ushort Text;
}
