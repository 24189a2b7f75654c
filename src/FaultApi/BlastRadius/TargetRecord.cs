namespace FaultApi.BlastRadius;

/// <summary>The nodes a multi-node request (node selector + count, with an Idempotency-Key) picked, so its retries reuse them.</summary>
/// <param name="Selector">The request's node selector.</param>
/// <param name="Count">The request's count.</param>
/// <param name="Nodes">The nodes picked by the first call.</param>
/// <param name="At">When.</param>
public sealed record TargetRecord(string Selector, int Count, IReadOnlyList<string> Nodes, DateTimeOffset At)
{
    /// <summary>
    /// About how many bytes the record takes in the ledger's JSON under <paramref name="requestId"/>, never fewer: its
    /// strings as escaped (at most 6 bytes for a character the serializer escapes), the names' quotes and commas, and the
    /// property names, count and time.
    /// </summary>
    public static int JsonBytes(string requestId, TargetRecord record)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        ArgumentNullException.ThrowIfNull(record);
        var bytes = 96 + Escaped(requestId) + Escaped(record.Selector);
        foreach (var node in record.Nodes)
        {
            bytes += Escaped(node) + 3;
        }

        return bytes;
    }

    private static int Escaped(string text) => text.Length + (5 * text.Count(c => c is < ' ' or > '~' or '"' or '\\' or '<' or '>' or '&' or '\'' or '+' or '`'));
}
