using System.Globalization;
using System.Net;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using FaultApi.Routing;
using k8s;
using k8s.Autorest;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FaultApi.Storage;

/// <summary>
/// The server-sent events of one stored record that grows a list of entries until it ends (a drill's steps, a suite's
/// progress), written by the platform's server-sent events (<c>TypedResults.ServerSentEvents</c>): the entries the
/// client does not have yet, earlier ones replayed first (<c>id:</c> the entry's index), then a final
/// <c>event: verdict</c> (<c>id: verdict</c>), or <c>event: deleted</c> (<c>id: -</c>) when the record goes away.
/// Follows the record's ConfigMap in <paramref name="store"/> with a Kubernetes watch, read again when a watch ends, so
/// any replica serves it.
/// </summary>
/// <typeparam name="TRecord">The record (DrillRecord, SuiteRecord).</typeparam>
/// <typeparam name="TStored">The record with its resource version (StoredDrill, StoredSuite).</typeparam>
public abstract class RecordEventFeed<TRecord, TStored>(LeasedRecordStore<TRecord, TStored> store, IOptions<RoutingOptions> routing)
    where TRecord : class, ILeasedRecord
    where TStored : StoredRecord<TRecord>
{
    /// <summary>
    /// The response of an events route: <see cref="ReadAsync"/> as server-sent events, unbuffered and uncached (also by a
    /// proxy: <c>X-Accel-Buffering: no</c>), the headers sent as soon as the stream opens.
    /// </summary>
    public IResult Respond(HttpContext context, TStored first, int sent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        return TypedResults.ServerSentEvents(ReadAsync(first, sent, OpenAsync, cancellationToken));

        async Task OpenAsync(CancellationToken ct)
        {
            await context.Response.StartAsync(ct).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The events from <paramref name="first"/> on, the first <paramref name="sent"/> entries left out (the client has
    /// them). <paramref name="opened"/> runs before anything is read: the stream's headers go out then, not with the
    /// record's next entry, so a caller following a record with nothing new has its answer.
    /// </summary>
    public async IAsyncEnumerable<SseItem<string>> ReadAsync(TStored first, int sent, Func<CancellationToken, Task> opened, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(opened);
        await opened(cancellationToken).ConfigureAwait(false);
        var current = first;
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var entry in Entries(current, sent))
            {
                yield return entry;
            }

            sent = Math.Max(sent, EntryCount(current));
            if (current.Record.IsFinal)
            {
                yield return Verdict(current);
                yield break;
            }

            var gone = false;
            var changes = ChangesAsync(current, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (changes.ConfigureAwait(false))
            {
                while (await changes.MoveNextAsync().ConfigureAwait(false))
                {
                    if (changes.Current is not { } changed)
                    {
                        gone = true;
                        break;
                    }

                    current = changed;
                    foreach (var entry in Entries(changed, sent))
                    {
                        yield return entry;
                    }

                    sent = Math.Max(sent, EntryCount(changed));
                    if (changed.Record.IsFinal)
                    {
                        yield return Verdict(changed);
                        yield break;
                    }
                }
            }

            // The watch ended (server timeout, 410, a dropped connection): read the record again and watch from there.
            var again = gone ? null : await store.GetAsync(current.Record.Id, cancellationToken).ConfigureAwait(false);
            if (again is null)
            {
                yield return Deleted(current.Record.Id);
                yield break;
            }

            current = again;
        }
    }

    /// <summary>How many entries the record holds.</summary>
    protected abstract int EntryCount(TStored record);

    /// <summary>The event of the record's entry at <paramref name="index"/> (its <c>id:</c> the index).</summary>
    protected abstract SseItem<string> Entry(TStored record, int index);

    /// <summary>The final <c>verdict</c> event of an ended record.</summary>
    protected abstract SseItem<string> Verdict(TStored record);

    /// <summary>The <c>deleted</c> event of a record that went away.</summary>
    protected abstract SseItem<string> Deleted(string id);

    /// <summary>The events of the record's entries from index <paramref name="from"/> on.</summary>
    private IEnumerable<SseItem<string>> Entries(TStored record, int from)
    {
        for (var i = from; i < EntryCount(record); i++)
        {
            yield return Entry(record, i) with { EventId = i.ToString(CultureInfo.InvariantCulture) };
        }
    }

    /// <summary>The record as it changes (null once: it was deleted); ends with the watch (a 410 ends it quietly).</summary>
    private async IAsyncEnumerable<TStored?> ChangesAsync(TStored from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = store.WatchAsync(from.Record.Id, from.ResourceVersion, _ => { }, routing.Value.WatchTimeoutSeconds, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (events.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await events.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Gone)
                {
                    yield break;
                }

                var (type, record) = events.Current;
                if (type == WatchEventType.Deleted)
                {
                    yield return null;
                    yield break;
                }

                if (record is not null)
                {
                    yield return record;
                }
            }
        }
    }
}
