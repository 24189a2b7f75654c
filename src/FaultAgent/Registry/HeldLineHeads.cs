using System.Text;

namespace FaultAgent.Registry;

/// <summary>
/// The heads of the lines the registry's faults hold (#14, the agent's memory): everything of a fault's line before its
/// message — <c>NVRM: Xid (PCI:0000:3b:00): 79, pid='&lt;unknown&gt;', name=&lt;unknown&gt;, </c> — is the same for every
/// fault of a GPU, Xid and process, so it is kept once here and a fault holds its index (two bytes) and its message's
/// bytes (<see cref="FaultRecord.Line"/>, <see cref="FaultKernelRecord"/>). An index, once given, names the same head for
/// the life of the process; at most <see cref="Capacity"/> heads of at most <see cref="MaxHeadLength"/> characters are
/// kept (a line whose head finds no room, or is longer, is held whole, as before), so a caller naming a new process in
/// every request cannot grow it without bound: at most ~2.3 MB, ~10 KB for a node's GPUs and Xids.
/// </summary>
internal static class HeldLineHeads
{
    /// <summary>The most heads kept: far more than a node's GPUs × Xids × processes a registry sees.</summary>
    public const int Capacity = 4096;

    /// <summary>The longest head kept: an Xid line's head is ~64-120 characters (MIG attribution, a named process).</summary>
    public const int MaxHeadLength = 256;

    private static readonly KeptTexts Heads = new(Capacity, MaxHeadLength);

    /// <summary>The head <paramref name="index"/> names (1 or more: an index <see cref="TryIndex"/> gave).</summary>
    public static string Of(ushort index) => Heads.Of(index);

    /// <summary>The index of the head <paramref name="head"/> spells: the kept one, or a new one while there is room; false when there is none.</summary>
    public static bool TryIndex(ReadOnlySpan<char> head, out ushort index) => Heads.TryIndex(head, null, out index);

    /// <summary>The line head <paramref name="index"/> names followed by the ASCII <paramref name="tail"/>.</summary>
    public static string Line(ushort index, byte[] tail) => Line(index, tail, 0);

    /// <summary>The line head <paramref name="index"/> names followed by the ASCII bytes of <paramref name="bytes"/> from <paramref name="start"/>.</summary>
    public static string Line(ushort index, byte[] bytes, int start) =>
        string.Create(Of(index).Length + bytes.Length - start, (index, bytes, start), static (chars, held) =>
        {
            var head = Of(held.index);
            head.AsSpan().CopyTo(chars);
            Encoding.ASCII.GetChars(held.bytes.AsSpan(held.start), chars[head.Length..]);
        });
}
