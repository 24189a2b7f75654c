using k8s.Autorest;
using FaultApi.Storage;

namespace FaultApi.Suites;

/// <summary>
/// Writes an ended suite over the version read, as large as the API server takes it: the whole record, else
/// <see cref="SuiteRecordCompaction.Compact"/>, else <see cref="SuiteRecordCompaction.Minimal"/> (each smaller one's
/// reason says what it lacks). A refusal (<see cref="StoreRefusal"/>) moves to the next; any other failure ends the
/// attempt (the server may take the same write later).
/// </summary>
public static class SuiteEndRecording
{
    /// <summary>
    /// The outcome: <c>Version</c> "whole", "compacted" or "minimal" when written; <c>ChangedElsewhere</c> when the
    /// record changed since <paramref name="over"/> was read (or is gone); else <c>Error</c> names why nothing was written.
    /// </summary>
    public static async Task<(string? Version, bool ChangedElsewhere, string? Error)> WriteAsync(
        SuiteStore store, StoredSuite over, SuiteRecord ended, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(ended);
        string? error = null;
        foreach (var (version, record) in new (string Version, Func<SuiteRecord> Record)[]
        {
            ("whole", () => ended),
            ("compacted", () => Noted(SuiteRecordCompaction.Compact(ended), "without its steps, lines, missing lists and events: the whole record was refused")),
            ("minimal", () => Noted(SuiteRecordCompaction.Minimal(ended), "without its drills: the whole record and a compacted one were refused")),
        })
        {
            try
            {
                return await store.ReplaceAsync(over, record(), null, now, cancellationToken).ConfigureAwait(false) is null
                    ? (null, true, null)
                    : (version, false, null);
            }
            catch (HttpOperationException ex)
            {
                error = StoreRefusal.Describe(ex);
                if (!StoreRefusal.Is(ex))
                {
                    break;
                }
            }
            catch (HttpRequestException ex)
            {
                error = ex.Message;
                break;
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // The client's own timeout.
                error = ex.Message;
                break;
            }
        }

        return (null, false, error);
    }

    private static SuiteRecord Noted(SuiteRecord record, string note)
    {
        record.Reason = $"{record.Reason} (recorded {note})";
        return record;
    }
}
