namespace FaultAgent.Registry;

/// <summary>
/// A fault's line as the fault holds it (<see cref="FaultRecord.HeldLine"/>), what its Xid/SXid kernel record holds
/// instead of a copy of its own (<see cref="FaultKernelRecord.RepeatingLine(HeldLine)"/>): the line <paramref name="text"/>
/// behind the kept head <paramref name="head"/> (<see cref="HeldLineHeads"/>) when it is not 0 — then <paramref name="text"/>
/// is the message's ASCII bytes —, or the whole line as a <see cref="HeldText"/>.
/// </summary>
internal readonly struct HeldLine(HeldText text, ushort head)
{
    /// <summary>The kept head's index (<see cref="HeldLineHeads"/>); 0 when the line is held whole.</summary>
    public ushort Head => head;

    /// <summary>The ASCII bytes the line is held as: the whole line's, or (<see cref="Head"/> not 0) those after the head; null when it is held as a string.</summary>
    public byte[]? AsciiBytes => text.AsciiBytes;

    /// <summary>Whether the line is null (a record built without one, or read from JSON without one).</summary>
    public bool IsNull => head == 0 && text.IsNull;

    /// <summary>The line, as it was given.</summary>
    public override string ToString() => head != 0 ? HeldLineHeads.Line(head, text.AsciiBytes!) : text.ToString();
}
