using System.Globalization;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using FaultInjection.Client.Audit;
using FaultInjection.Client.BugReports;
using FaultInjection.Client.Dcgm;
using FaultInjection.Client.Drills;
using FaultInjection.Client.EmergencyStop;
using FaultInjection.Client.Faults;
using FaultInjection.Client.Gpu;
using FaultInjection.Client.Health;
using FaultInjection.Client.Nodes;
using FaultInjection.Client.Serialization;
using FaultInjection.Client.Xids;

namespace FaultInjection.Client;

/// <summary>
/// Typed calls of the FaultApi (<c>/api/v1/...</c>, snake_case JSON, bearer token). Every error answer is thrown as a
/// <see cref="FaultInjectionApiException"/> carrying the server's problem details.
/// </summary>
public sealed partial class FaultInjectionClient : IDisposable
{
    /// <summary>The environment variable naming the API's base address (as the seed's test suites use it).</summary>
    public const string ApiAddressVariable = "FAULT_INJECTION_API";

    /// <summary>The environment variable holding the bearer token.</summary>
    public const string TokenVariable = "FAULT_INJECTION_TOKEN";

    /// <summary>The address used when <see cref="ApiAddressVariable"/> is unset.</summary>
    public static readonly Uri DefaultAddress = new("http://localhost:8080");

    /// <summary>The header carrying a bug report archive's SHA-256 (lowercase hex).</summary>
    public const string ChecksumHeader = "X-Checksum-Sha256";

    private const string IdempotencyKeyHeader = "Idempotency-Key";
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly AuthenticationHeaderValue? _authorization;

    /// <summary>A client of the API at <paramref name="baseAddress"/> presenting <paramref name="token"/> (none when null).</summary>
    public FaultInjectionClient(Uri baseAddress, string? token)
        : this(new HttpClient { BaseAddress = baseAddress ?? throw new ArgumentNullException(nameof(baseAddress)) }, token, ownsHttpClient: true)
    {
    }

    /// <summary>A client sending through <paramref name="httpClient"/> (its <see cref="HttpClient.BaseAddress"/> must be set; not disposed by this client).</summary>
    public FaultInjectionClient(HttpClient httpClient, string? token)
        : this(httpClient, token, ownsHttpClient: false)
    {
    }

    private FaultInjectionClient(HttpClient httpClient, string? token, bool ownsHttpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        if (httpClient.BaseAddress is null)
        {
            throw new ArgumentException("The HttpClient needs a BaseAddress (the API's address, e.g. http://localhost:8080).", nameof(httpClient));
        }

        _http = httpClient;
        _ownsHttp = ownsHttpClient;
        _authorization = string.IsNullOrEmpty(token) ? null : new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>The API's base address every call is relative to.</summary>
    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>From <c>FAULT_INJECTION_API</c> (default <c>http://localhost:8080</c>) and <c>FAULT_INJECTION_TOKEN</c>.</summary>
    public static FaultInjectionClient FromEnvironment()
    {
        var address = Environment.GetEnvironmentVariable(ApiAddressVariable);
        Uri baseAddress;
        if (string.IsNullOrWhiteSpace(address))
        {
            baseAddress = DefaultAddress;
        }
        else if (!Uri.TryCreate(address.Trim(), UriKind.Absolute, out baseAddress!) || (baseAddress.Scheme != Uri.UriSchemeHttp && baseAddress.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException($"{ApiAddressVariable}='{address}' is not an http(s) address such as http://localhost:8080.");
        }

        return new FaultInjectionClient(baseAddress, Environment.GetEnvironmentVariable(TokenVariable));
    }

    // ---- faults ----

    /// <summary><c>POST /api/v1/faults/gpu/inject/xid-{xid}</c> on one node; the handle clears the fault when disposed.</summary>
    public async Task<FaultHandle> InjectXidAsync(string nodeName, int xid, int gpuId = 0, XidInjectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeName);
        var fault = await SendAsync(
            HttpMethod.Post,
            XidPath(xid),
            XidBody(options, gpuId, nodeName, null, null),
            ClientJsonContext.Default.InjectXidBody,
            ClientJsonContext.Default.Fault,
            options?.IdempotencyKey,
            cancellationToken).ConfigureAwait(false);
        return new FaultHandle(this, fault);
    }

    /// <summary><c>POST /api/v1/faults/gpu/inject/xid-{xid}</c> on <paramref name="count"/> nodes matching <paramref name="nodeSelector"/>.</summary>
    public Task<MultiInjection> InjectXidOnNodesAsync(string nodeSelector, int count, int xid, int gpuId = 0, XidInjectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeSelector);
        return SendAsync(HttpMethod.Post, XidPath(xid), XidBody(options, gpuId, null, nodeSelector, count), ClientJsonContext.Default.InjectXidBody, ClientJsonContext.Default.MultiInjection, options?.IdempotencyKey, cancellationToken);
    }

    /// <summary><c>POST /api/v1/faults/gpu/inject/sxid-{sxid}</c> on one node's NVSwitch link; the handle clears it when disposed.</summary>
    public async Task<FaultHandle> InjectSxidAsync(string nodeName, int sxid, int nvswitch, int link, SxidInjectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeName);
        var fault = await SendAsync(HttpMethod.Post, SxidPath(sxid), SxidBody(options, nvswitch, link, nodeName, null, null), ClientJsonContext.Default.InjectSxidBody, ClientJsonContext.Default.Fault, options?.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        return new FaultHandle(this, fault);
    }

    /// <summary><c>POST /api/v1/faults/gpu/inject/sxid-{sxid}</c> on <paramref name="count"/> nodes matching <paramref name="nodeSelector"/>.</summary>
    public Task<MultiInjection> InjectSxidOnNodesAsync(string nodeSelector, int count, int sxid, int nvswitch, int link, SxidInjectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeSelector);
        return SendAsync(HttpMethod.Post, SxidPath(sxid), SxidBody(options, nvswitch, link, null, nodeSelector, count), ClientJsonContext.Default.InjectSxidBody, ClientJsonContext.Default.MultiInjection, options?.IdempotencyKey, cancellationToken);
    }

    /// <summary>
    /// <c>POST /api/v1/faults/gpu/inject/dcgm-field</c>: sets DCGM field <paramref name="field"/> (id or dcgm_fields.h name) of
    /// GPU <paramref name="gpuId"/> to <paramref name="value"/>, read back through DCGM; the handle clears it (and the agent
    /// writes the value before back) when disposed.
    /// </summary>
    public async Task<FaultHandle> InjectDcgmFieldAsync(string nodeName, int gpuId, string field, long value, DcgmFieldInjectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeName);
        ArgumentException.ThrowIfNullOrEmpty(field);
        var body = new InjectDcgmFieldBody
        {
            NodeName = nodeName,
            GpuId = gpuId,
            Field = field,
            Value = value,
            Duration = options?.Duration?.TotalSeconds,
            DryRun = options?.DryRun ?? false,
            FaultId = options?.FaultId,
        };
        var fault = await SendAsync(HttpMethod.Post, "api/v1/faults/gpu/inject/dcgm-field", body, ClientJsonContext.Default.InjectDcgmFieldBody, ClientJsonContext.Default.Fault, options?.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        return new FaultHandle(this, fault);
    }

    /// <summary><c>GET /api/v1/faults/gpu/dcgm-fields</c>: the DCGM fields the agents inject.</summary>
    public Task<DcgmFieldCatalog> GetDcgmFieldsAsync(CancellationToken cancellationToken = default) =>
        GetAsync("api/v1/faults/gpu/dcgm-fields", ClientJsonContext.Default.DcgmFieldCatalog, cancellationToken);

    /// <summary><c>GET /api/v1/faults?active_only=&amp;node=</c>.</summary>
    public Task<FaultList> ListFaultsAsync(bool activeOnly = false, string? node = null, CancellationToken cancellationToken = default) =>
        GetAsync(WithQuery("api/v1/faults", ("active_only", activeOnly ? "true" : null), ("node", node)), ClientJsonContext.Default.FaultList, cancellationToken);

    /// <summary><c>GET /api/v1/faults/{id}?node=</c> (without <paramref name="node"/> the API asks every agent).</summary>
    public Task<Fault> GetFaultAsync(string faultId, string? node = null, CancellationToken cancellationToken = default) =>
        GetAsync(WithQuery($"api/v1/faults/{Segment(faultId)}", ("node", node)), ClientJsonContext.Default.Fault, cancellationToken);

    /// <summary><c>DELETE /api/v1/faults/{id}?node=&amp;reason=</c>: ends the fault's record (the kernel log line stays).</summary>
    public Task<Fault> ClearFaultAsync(string faultId, string? node = null, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, WithQuery($"api/v1/faults/{Segment(faultId)}", ("node", node), ("reason", reason)), ClientJsonContext.Default.Fault, cancellationToken);

    /// <summary><c>POST /api/v1/faults/{id}/recover?node=&amp;reason=</c> (same effect as <see cref="ClearFaultAsync"/>).</summary>
    public Task<Fault> RecoverFaultAsync(string faultId, string? node = null, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, WithQuery($"api/v1/faults/{Segment(faultId)}/recover", ("node", node), ("reason", reason)), ClientJsonContext.Default.Fault, cancellationToken);

    /// <summary><c>GET /api/v1/faults/gpu/xid-types</c>.</summary>
    public Task<XidCatalog> GetXidTypesAsync(CancellationToken cancellationToken = default) =>
        GetAsync("api/v1/faults/gpu/xid-types", ClientJsonContext.Default.XidCatalog, cancellationToken);

    /// <summary><c>GET /api/v1/nodes</c>.</summary>
    public Task<NodeList> ListNodesAsync(CancellationToken cancellationToken = default) =>
        GetAsync("api/v1/nodes", ClientJsonContext.Default.NodeList, cancellationToken);

    /// <summary><c>GET /health</c> (liveness, no token needed).</summary>
    public Task<HealthStatus> GetHealthAsync(CancellationToken cancellationToken = default) =>
        GetAsync("health", ClientJsonContext.Default.HealthStatus, cancellationToken);

    /// <summary><c>GET /ready</c>: throws (503) until the API's routing cache first synced.</summary>
    public Task<HealthStatus> GetReadyAsync(CancellationToken cancellationToken = default) =>
        GetAsync("ready", ClientJsonContext.Default.HealthStatus, cancellationToken);

    // ---- GPU telemetry (nvidia-smi's fields; null where it reports none) ----

    /// <summary><c>GET /api/v1/gpu/nodes?refresh=</c>: every node's GPUs with their metrics; nodes that did not answer in <see cref="GpuNodeList.Errors"/>.</summary>
    public Task<GpuNodeList> GetGpuNodesAsync(bool refresh = false, CancellationToken cancellationToken = default) =>
        GetAsync(WithQuery("api/v1/gpu/nodes", ("refresh", refresh ? "true" : null)), ClientJsonContext.Default.GpuNodeList, cancellationToken);

    /// <summary><c>GET /api/v1/gpu/nodes/{node}?refresh=</c>.</summary>
    public Task<GpuNode> GetGpuNodeAsync(string node, bool refresh = false, CancellationToken cancellationToken = default) =>
        GetAsync(WithQuery($"api/v1/gpu/nodes/{Segment(node)}", ("refresh", refresh ? "true" : null)), ClientJsonContext.Default.GpuNode, cancellationToken);

    /// <summary><c>GET /api/v1/gpu/summary?refresh=</c>: fleet totals.</summary>
    public Task<GpuSummary> GetGpuSummaryAsync(bool refresh = false, CancellationToken cancellationToken = default) =>
        GetAsync(WithQuery("api/v1/gpu/summary", ("refresh", refresh ? "true" : null)), ClientJsonContext.Default.GpuSummary, cancellationToken);

    /// <summary><c>GET /api/v1/gpu/processes?node=&amp;pmon=</c>.</summary>
    public Task<GpuProcessList> GetGpuProcessesAsync(string? node = null, bool pmon = false, CancellationToken cancellationToken = default) =>
        GetAsync(WithQuery("api/v1/gpu/processes", ("node", node), ("pmon", pmon ? "true" : null)), ClientJsonContext.Default.GpuProcessList, cancellationToken);

    // ---- bug reports ----

    /// <summary><c>POST /api/v1/bug-reports</c>: starts nvidia-bug-report.sh on the node (or returns the one running there, <see cref="BugReport.AlreadyRunning"/>).</summary>
    public Task<BugReport> StartBugReportAsync(string nodeName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeName);
        return SendAsync(HttpMethod.Post, "api/v1/bug-reports", new StartBugReportBody { NodeName = nodeName }, ClientJsonContext.Default.StartBugReportBody, ClientJsonContext.Default.BugReport, null, cancellationToken);
    }

    /// <summary><c>GET /api/v1/bug-reports?node=</c>: newest first.</summary>
    public Task<BugReportList> ListBugReportsAsync(string? node = null, CancellationToken cancellationToken = default) =>
        GetAsync(WithQuery("api/v1/bug-reports", ("node", node)), ClientJsonContext.Default.BugReportList, cancellationToken);

    /// <summary><c>GET /api/v1/bug-reports/{node}/{id}/status</c>.</summary>
    public Task<BugReport> GetBugReportStatusAsync(string node, string reportId, CancellationToken cancellationToken = default) =>
        GetAsync($"api/v1/bug-reports/{Segment(node)}/{Segment(reportId)}/status", ClientJsonContext.Default.BugReport, cancellationToken);

    /// <summary>
    /// <c>GET /api/v1/bug-reports/{node}/{id}</c>: streams the archive into <paramref name="destination"/> (never held whole
    /// in memory), hashing as it goes; throws <see cref="InvalidDataException"/> when the bytes do not match the server's
    /// <c>X-Checksum-Sha256</c> (the destination then holds a corrupt copy: discard it).
    /// </summary>
    public async Task<BugReportDownload> DownloadBugReportAsync(string node, string reportId, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var request = NewRequest(HttpMethod.Get, $"api/v1/bug-reports/{Segment(node)}/{Segment(reportId)}");
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
        var expected = response.Headers.TryGetValues(ChecksumHeader, out var values) ? values.FirstOrDefault() : null;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        long total = 0;
        await using (source.ConfigureAwait(false))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                total += read;
            }
        }

        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (expected is not null && !string.Equals(expected.Trim(), actual, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"Bug report {node}/{reportId}: the {total} bytes received hash to {actual}, the server announced {ChecksumHeader}: {expected}.");
        }

        return new BugReportDownload { Bytes = total, Sha256 = actual, FileName = response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"') };
    }

    // ---- emergency stop, audit, metrics ----

    /// <summary><c>POST /api/v1/stop</c> with <c>{"reason"}</c>: every injection is refused (423) until released.</summary>
    public Task<StopStatus> EngageStopAsync(string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return SendAsync(HttpMethod.Post, "api/v1/stop", new StopBody { Reason = reason }, ClientJsonContext.Default.StopBody, ClientJsonContext.Default.StopStatus, null, cancellationToken);
    }

    /// <summary><c>DELETE /api/v1/stop?reason=</c>.</summary>
    public Task<StopStatus> ReleaseStopAsync(string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, WithQuery("api/v1/stop", ("reason", reason)), ClientJsonContext.Default.StopStatus, cancellationToken);

    /// <summary><c>GET /api/v1/stop</c>: the state and each agent's acknowledgement.</summary>
    public Task<StopStatus> GetStopAsync(CancellationToken cancellationToken = default) =>
        GetAsync("api/v1/stop", ClientJsonContext.Default.StopStatus, cancellationToken);

    /// <summary><c>GET /api/v1/audit?since=&amp;node=</c>: the agents' audit events, oldest first.</summary>
    public Task<AuditList> GetAuditAsync(DateTimeOffset? since = null, string? node = null, CancellationToken cancellationToken = default) =>
        GetAsync(WithQuery("api/v1/audit", ("since", since?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)), ("node", node)), ClientJsonContext.Default.AuditList, cancellationToken);

    /// <summary><c>GET /metrics</c>: the Prometheus text.</summary>
    public async Task<string> GetMetricsAsync(CancellationToken cancellationToken = default)
    {
        using var request = NewRequest(HttpMethod.Get, "metrics");
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    // ---- drills (Kubernetes routing mode; static mode answers 501) ----

    /// <summary><c>POST /api/v1/drills</c>: injects and starts following the node; returns the drill at once (state <c>running</c>, step <c>injected</c>).</summary>
    public Task<Drill> StartDrillAsync(DrillRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.NodeName);
        return SendAsync(HttpMethod.Post, "api/v1/drills", request, ClientJsonContext.Default.DrillRequest, ClientJsonContext.Default.Drill, null, cancellationToken);
    }

    /// <summary><c>GET /api/v1/drills/{id}</c>: the timeline and verdict.</summary>
    public Task<Drill> GetDrillAsync(string drillId, CancellationToken cancellationToken = default) =>
        GetAsync($"api/v1/drills/{Segment(drillId)}", ClientJsonContext.Default.Drill, cancellationToken);

    /// <summary><c>GET /api/v1/drills?node=</c>: newest first.</summary>
    public Task<DrillList> ListDrillsAsync(string? node = null, CancellationToken cancellationToken = default) =>
        GetAsync(WithQuery("api/v1/drills", ("node", node)), ClientJsonContext.Default.DrillList, cancellationToken);

    /// <summary><c>DELETE /api/v1/drills/{id}?reason=</c>: cancels a running drill; a finished drill is returned unchanged.</summary>
    public Task<Drill> CancelDrillAsync(string drillId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, WithQuery($"api/v1/drills/{Segment(drillId)}", ("reason", reason)), ClientJsonContext.Default.Drill, cancellationToken);

    /// <summary>
    /// <c>GET /api/v1/drills/{id}/events</c> (server-sent events): every step (earlier ones replayed first), then the
    /// verdict, after which the sequence ends (also after a <c>deleted</c> event, or when the server closes the stream).
    /// </summary>
    public async IAsyncEnumerable<DrillEvent> StreamDrillEventsAsync(string drillId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = NewRequest(HttpMethod.Get, $"api/v1/drills/{Segment(drillId)}/events");
        request.Headers.Accept.Clear();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var message in SseParser.Create(stream).EnumerateAsync(cancellationToken).ConfigureAwait(false))
            {
                var drillEvent = ToDrillEvent(message);
                if (drillEvent is null)
                {
                    continue;
                }

                yield return drillEvent;
                if (drillEvent.Event is DrillEvent.VerdictEvent or DrillEvent.DeletedEvent)
                {
                    yield break;
                }
            }
        }
    }

    /// <summary>
    /// Starts a drill and waits for its verdict: follows the event stream and, once the verdict arrived (or the stream
    /// broke off), returns the finished drill read with <c>GET /api/v1/drills/{id}</c> (the full timeline with evidence).
    /// Returns the drill whatever its verdict (<c>passed</c>, <c>failed</c> at its timeout, <c>cancelled</c>); check
    /// <see cref="Drill.Passed"/>. When <paramref name="cancellationToken"/> is cancelled after the drill started, the
    /// drill is cancelled ON THE SERVER too (<c>DELETE</c>, reason <c>client cancelled</c>, best effort, at most 10 s)
    /// before the <see cref="OperationCanceledException"/> is thrown, so no drill keeps running behind an aborted test.
    /// </summary>
    public async Task<Drill> RunDrillAsync(DrillRequest request, CancellationToken cancellationToken = default)
    {
        var started = await StartDrillAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            return await WaitForDrillAsync(started.DrillId, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await CancelDrillAsync(started.DrillId, "client cancelled", cleanup.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or FaultInjectionApiException or OperationCanceledException)
            {
                // Best effort: the drill still ends at its own timeout.
            }

            throw;
        }
    }

    /// <summary>Waits until the drill has a verdict (event stream; a GET after each stream that ends without one) and returns it.</summary>
    public async Task<Drill> WaitForDrillAsync(string drillId, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            try
            {
                await foreach (var drillEvent in StreamDrillEventsAsync(drillId, cancellationToken).ConfigureAwait(false))
                {
                    if (drillEvent.Event == DrillEvent.DeletedEvent)
                    {
                        throw new FaultInjectionApiException(System.Net.HttpStatusCode.NotFound, "Drill deleted", $"The record of drill {drillId} disappeared while it was followed.");
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                // Cancelled by the caller while reading (some handlers report it so), or the stream broke off (proxy,
                // port-forward): then the record tells whether the drill ended.
                cancellationToken.ThrowIfCancellationRequested();
            }

            var drill = await GetDrillAsync(drillId, cancellationToken).ConfigureAwait(false);
            if (drill.IsFinished)
            {
                return drill;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Disposes the HTTP client this client created (an HttpClient passed in is left to its owner).</summary>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    // ---- plumbing ----

    private static DrillEvent? ToDrillEvent(SseItem<string> message) => message.EventType switch
    {
        DrillEvent.StepEvent => new DrillEvent
        {
            Event = DrillEvent.StepEvent,
            Index = int.TryParse(message.EventId, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null,
            Step = JsonSerializer.Deserialize(message.Data, ClientJsonContext.Default.DrillStep),
        },
        DrillEvent.VerdictEvent => new DrillEvent { Event = DrillEvent.VerdictEvent, Verdict = JsonSerializer.Deserialize(message.Data, ClientJsonContext.Default.DrillVerdict) },
        DrillEvent.DeletedEvent => new DrillEvent { Event = DrillEvent.DeletedEvent },
        _ => null,
    };

    private static string XidPath(int xid) => xid > 0 ? string.Create(CultureInfo.InvariantCulture, $"api/v1/faults/gpu/inject/xid-{xid}") : throw new ArgumentOutOfRangeException(nameof(xid), xid, "An Xid is a positive number.");

    private static string SxidPath(int sxid) => sxid > 0 ? string.Create(CultureInfo.InvariantCulture, $"api/v1/faults/gpu/inject/sxid-{sxid}") : throw new ArgumentOutOfRangeException(nameof(sxid), sxid, "An SXid is a positive number.");

    private static InjectXidBody XidBody(XidInjectionOptions? o, int gpuId, string? nodeName, string? selector, int? count) => new()
    {
        NodeName = nodeName,
        NodeSelector = selector,
        Count = count,
        GpuId = gpuId,
        Message = o?.Message,
        Duration = o?.Duration?.TotalSeconds,
        DryRun = o?.DryRun ?? false,
        FaultId = o?.FaultId,
        CompanionLines = o?.CompanionLines ?? false,
        ProcessName = o?.ProcessName,
        Pid = o?.Pid,
        Surfaces = o?.Surfaces,
        DriverVersion = o?.DriverVersion,
        GpuInstance = o?.GpuInstance,
        ComputeInstance = o?.ComputeInstance,
        Channel = o?.Channel,
        PreviousXid = o?.PreviousXid,
        FallenOffBusProbe = o?.FallenOffBusProbe ?? false,
        OmitCompanionRecords = o?.OmitCompanionRecords ?? false,
        CollectBugReport = o?.CollectBugReport ?? false,
    };

    private static InjectSxidBody SxidBody(SxidInjectionOptions? o, int nvswitch, int link, string? nodeName, string? selector, int? count) => new()
    {
        NodeName = nodeName,
        NodeSelector = selector,
        Count = count,
        Nvswitch = nvswitch,
        Link = link,
        PciBusId = o?.PciBusId,
        Message = o?.Message,
        Duration = o?.Duration?.TotalSeconds,
        DryRun = o?.DryRun ?? false,
        FaultId = o?.FaultId,
        First = o?.First ?? false,
        ErrorClass = o?.ErrorClass,
        Data = o?.Data,
        OmitCompanionRecords = o?.OmitCompanionRecords ?? false,
        CollectBugReport = o?.CollectBugReport ?? false,
    };

    private static string Segment(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        return Uri.EscapeDataString(value);
    }

    private static string WithQuery(string path, params (string Name, string? Value)[] query)
    {
        var builder = new StringBuilder(path);
        var separator = '?';
        foreach (var (name, value) in query)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            builder.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return builder.ToString();
    }

    private HttpRequestMessage NewRequest(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = _authorization;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }


    private Task<TResponse> GetAsync<TResponse>(string path, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, responseType, cancellationToken);

    private async Task<TResponse> SendAsync<TResponse>(HttpMethod method, string path, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        using var request = NewRequest(method, path);
        return await ReadAsync(request, responseType, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TResponse> SendAsync<TBody, TResponse>(HttpMethod method, string path, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<TResponse> responseType, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = NewRequest(method, path);
        request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, bodyType));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation(IdempotencyKeyHeader, idempotencyKey);
        }

        return await ReadAsync(request, responseType, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TResponse> ReadAsync<TResponse>(HttpRequestMessage request, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync(stream, responseType, cancellationToken).ConfigureAwait(false)
                ?? throw new FaultInjectionApiException($"The API answered {request.Method} {request.RequestUri} with an empty body.");
        }
    }

    private static async Task ThrowIfErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await FaultInjectionApiException.FromResponseAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }
}
