using System.Globalization;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using FaultInjection.Client.Serialization;
using FaultInjection.Client.Suites;

namespace FaultInjection.Client;

// The suite calls (Kubernetes routing mode; static mode answers 501): start, read, list, cancel, the JUnit report, and
// the progress as server-sent events.
public sealed partial class FaultInjectionClient
{
    private const string LastEventIdHeader = "Last-Event-ID";

    /// <summary>
    /// <c>POST /api/v1/suites</c>: validates every drill, chooses the nodes of <c>node_selector</c> drills and starts the
    /// suite; returns it at once (state <c>running</c>, every drill listed with its node). A refused suite starts nothing.
    /// </summary>
    public Task<Suite> StartSuiteAsync(SuiteRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync(HttpMethod.Post, "api/v1/suites", request, ClientJsonContext.Default.SuiteRequest, ClientJsonContext.Default.Suite, null, cancellationToken);
    }

    /// <summary><c>GET /api/v1/suites/{id}</c>: every drill's state, verdict and timeline, the progress, the per-expectation summary.</summary>
    public Task<Suite> GetSuiteAsync(string suiteId, CancellationToken cancellationToken = default) =>
        GetAsync($"api/v1/suites/{Segment(suiteId)}", ClientJsonContext.Default.Suite, cancellationToken);

    /// <summary><c>GET /api/v1/suites?limit=&amp;page_token=</c>: one page of suites, newest first (<see cref="SuiteList.NextPageToken"/> for the next).</summary>
    public Task<SuiteList> ListSuitesAsync(int? limit = null, string? pageToken = null, CancellationToken cancellationToken = default) =>
        GetAsync(
            WithQuery("api/v1/suites", ("limit", limit?.ToString(CultureInfo.InvariantCulture)), ("page_token", pageToken)),
            ClientJsonContext.Default.SuiteList,
            cancellationToken);

    /// <summary><c>DELETE /api/v1/suites/{id}?reason=</c>: cancels a running suite (its running drills cancelled, their faults cleared, no further drill started).</summary>
    public Task<Suite> CancelSuiteAsync(string suiteId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, WithQuery($"api/v1/suites/{Segment(suiteId)}", ("reason", reason)), ClientJsonContext.Default.Suite, cancellationToken);

    /// <summary>
    /// <c>GET /api/v1/suites/{id}/junit</c>: the suite as an Ant JUnit XML report (one testcase per drill; a failure names
    /// the expectations never observed and the last state seen), as the API wrote it.
    /// </summary>
    public async Task<string> GetSuiteJUnitAsync(string suiteId, CancellationToken cancellationToken = default)
    {
        using var request = NewRequest(HttpMethod.Get, $"api/v1/suites/{Segment(suiteId)}/junit");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/xml"));
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>GET /api/v1/suites/{id}/events</c> (server-sent events): every progress entry (<c>drill_started</c>,
    /// <c>drill_ended</c>, <c>suite_ended</c>; earlier ones replayed first, or only those after
    /// <paramref name="lastEventId"/>), then <c>verdict</c> with the finished suite, after which the sequence ends (also
    /// after <c>deleted</c>, or when the server closes the stream).
    /// </summary>
    public async IAsyncEnumerable<SuiteStreamEvent> StreamSuiteEventsAsync(string suiteId, string? lastEventId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = NewRequest(HttpMethod.Get, $"api/v1/suites/{Segment(suiteId)}/events");
        request.Headers.Accept.Clear();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (!string.IsNullOrEmpty(lastEventId))
        {
            request.Headers.TryAddWithoutValidation(LastEventIdHeader, lastEventId);
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var message in SseParser.Create(stream).EnumerateAsync(cancellationToken).ConfigureAwait(false))
            {
                var suiteEvent = ToSuiteEvent(message);
                if (suiteEvent is null)
                {
                    continue;
                }

                yield return suiteEvent;
                if (suiteEvent.Event is SuiteStreamEvent.VerdictEvent or SuiteStreamEvent.DeletedEvent)
                {
                    yield break;
                }
            }
        }
    }

    /// <summary>
    /// Waits until the suite has a verdict (event stream; a GET after each stream that ends without one) and returns the
    /// finished suite whatever its verdict; check <see cref="Suite.Passed"/>.
    /// </summary>
    public async Task<Suite> WaitForSuiteAsync(string suiteId, CancellationToken cancellationToken = default)
    {
        string? last = null;
        while (true)
        {
            try
            {
                await foreach (var suiteEvent in StreamSuiteEventsAsync(suiteId, last, cancellationToken).ConfigureAwait(false))
                {
                    if (suiteEvent.Event == SuiteStreamEvent.DeletedEvent)
                    {
                        throw new FaultInjectionApiException(System.Net.HttpStatusCode.NotFound, "Suite deleted", $"The record of suite {suiteId} disappeared while it was followed.");
                    }

                    if (suiteEvent.Index is { } index)
                    {
                        last = index.ToString(CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var suite = await GetSuiteAsync(suiteId, cancellationToken).ConfigureAwait(false);
            if (suite.IsFinished)
            {
                return suite;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }
    }

    private static SuiteStreamEvent? ToSuiteEvent(SseItem<string> message) => message.EventType switch
    {
        SuiteEvent.DrillStarted or SuiteEvent.DrillEnded or SuiteEvent.SuiteEnded => new SuiteStreamEvent
        {
            Event = message.EventType,
            Index = int.TryParse(message.EventId, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null,
            Entry = JsonSerializer.Deserialize(message.Data, ClientJsonContext.Default.SuiteEvent),
        },
        SuiteStreamEvent.VerdictEvent => new SuiteStreamEvent { Event = SuiteStreamEvent.VerdictEvent, Suite = JsonSerializer.Deserialize(message.Data, ClientJsonContext.Default.Suite) },
        SuiteStreamEvent.DeletedEvent => new SuiteStreamEvent { Event = SuiteStreamEvent.DeletedEvent },
        _ => null,
    };
}
