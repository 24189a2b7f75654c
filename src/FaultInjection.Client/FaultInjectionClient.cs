using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using FaultInjection.Client.Faults;
using FaultInjection.Client.Health;
using FaultInjection.Client.Nodes;
using FaultInjection.Client.Serialization;
using FaultInjection.Client.Xids;

namespace FaultInjection.Client;

/// <summary>
/// Typed calls of the FaultApi (<c>/api/v1/...</c>, snake_case JSON, bearer token). Every error answer is thrown as a
/// <see cref="FaultInjectionApiException"/> carrying the server's problem details.
/// </summary>
public sealed class FaultInjectionClient : IDisposable
{
    /// <summary>The environment variable naming the API's base address (as the seed's test suites use it).</summary>
    public const string ApiAddressVariable = "FAULT_INJECTION_API";

    /// <summary>The environment variable holding the bearer token.</summary>
    public const string TokenVariable = "FAULT_INJECTION_TOKEN";

    /// <summary>The address used when <see cref="ApiAddressVariable"/> is unset.</summary>
    public static readonly Uri DefaultAddress = new("http://localhost:8080");

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

    // ---- GPU telemetry (documented routes; the body is the API's JSON as is) ----

    /// <summary><c>GET /api/v1/gpu/nodes</c>: every node's GPU telemetry.</summary>
    public Task<JsonElement> GetGpuNodesAsync(CancellationToken cancellationToken = default) => GetJsonAsync("api/v1/gpu/nodes", cancellationToken);

    /// <summary><c>GET /api/v1/gpu/nodes/{node}</c>.</summary>
    public Task<JsonElement> GetGpuNodeAsync(string node, CancellationToken cancellationToken = default) => GetJsonAsync($"api/v1/gpu/nodes/{Segment(node)}", cancellationToken);

    /// <summary><c>GET /api/v1/gpu/summary</c>.</summary>
    public Task<JsonElement> GetGpuSummaryAsync(CancellationToken cancellationToken = default) => GetJsonAsync("api/v1/gpu/summary", cancellationToken);

    /// <summary><c>GET /api/v1/gpu/processes?node=</c>.</summary>
    public Task<JsonElement> GetGpuProcessesAsync(string? node = null, CancellationToken cancellationToken = default) => GetJsonAsync(WithQuery("api/v1/gpu/processes", ("node", node)), cancellationToken);

    // ---- bug reports ----

    /// <summary><c>POST /api/v1/bug-reports</c> with <c>{"node_name"}</c> (plus any extra members): starts nvidia-bug-report.sh on the node.</summary>
    public Task<JsonElement> StartBugReportAsync(string nodeName, IReadOnlyDictionary<string, string>? extra = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeName);
        var body = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            body[key] = value;
        }

        body["node_name"] = nodeName;
        return SendAsync(HttpMethod.Post, "api/v1/bug-reports", body, ClientJsonContext.Default.DictionaryStringString, ClientJsonContext.Default.JsonElement, null, cancellationToken);
    }

    /// <summary><c>GET /api/v1/bug-reports?node=</c>.</summary>
    public Task<JsonElement> ListBugReportsAsync(string? node = null, CancellationToken cancellationToken = default) => GetJsonAsync(WithQuery("api/v1/bug-reports", ("node", node)), cancellationToken);

    /// <summary>A report's status: the entry of <c>GET /api/v1/bug-reports?node=</c> whose <c>report_id</c> (or <c>id</c>) is <paramref name="reportId"/>; 404 when absent.</summary>
    public async Task<JsonElement> GetBugReportStatusAsync(string node, string reportId, CancellationToken cancellationToken = default)
    {
        var list = await ListBugReportsAsync(node, cancellationToken).ConfigureAwait(false);
        var items = list.ValueKind == JsonValueKind.Array ? list : list.TryGetProperty("reports", out var reports) ? reports : list.TryGetProperty("bug_reports", out var bugReports) ? bugReports : default;
        if (items.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray())
            {
                if ((item.TryGetProperty("report_id", out var id) || item.TryGetProperty("id", out id)) && id.ValueKind == JsonValueKind.String && id.GetString() == reportId)
                {
                    return item.Clone();
                }
            }
        }

        throw new FaultInjectionApiException(System.Net.HttpStatusCode.NotFound, "Unknown bug report", $"Node {node} lists no report '{reportId}'.");
    }

    /// <summary><c>GET /api/v1/bug-reports/{node}/{id}</c>: copies the archive into <paramref name="destination"/>; returns the bytes copied.</summary>
    public async Task<long> DownloadBugReportAsync(string node, string reportId, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var request = NewRequest(HttpMethod.Get, $"api/v1/bug-reports/{Segment(node)}/{Segment(reportId)}");
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
        var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                total += read;
            }

            return total;
        }
    }

    // ---- emergency stop, audit, metrics ----

    /// <summary><c>POST /api/v1/stop</c> with <c>{"reason"}</c>: refuse every injection until released.</summary>
    public Task<JsonElement> EngageStopAsync(string reason, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "api/v1/stop", new Dictionary<string, string> { ["reason"] = reason }, ClientJsonContext.Default.DictionaryStringString, ClientJsonContext.Default.JsonElement, null, cancellationToken);

    /// <summary><c>DELETE /api/v1/stop</c>.</summary>
    public Task<JsonElement> ReleaseStopAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, "api/v1/stop", ClientJsonContext.Default.JsonElement, cancellationToken);

    /// <summary><c>GET /api/v1/stop</c>.</summary>
    public Task<JsonElement> GetStopAsync(CancellationToken cancellationToken = default) => GetJsonAsync("api/v1/stop", cancellationToken);

    /// <summary><c>GET /api/v1/audit</c> with optional query parameters (e.g. <c>limit</c>, <c>caller</c>).</summary>
    public Task<JsonElement> GetAuditAsync(IReadOnlyDictionary<string, string>? query = null, CancellationToken cancellationToken = default) =>
        GetJsonAsync(WithQuery("api/v1/audit", [.. (query ?? new Dictionary<string, string>()).Select(p => (p.Key, (string?)p.Value))]), cancellationToken);

    /// <summary><c>GET /metrics</c>: the Prometheus text.</summary>
    public async Task<string> GetMetricsAsync(CancellationToken cancellationToken = default)
    {
        using var request = NewRequest(HttpMethod.Get, "metrics");
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    // ---- drills ----

    /// <summary><c>POST /api/v1/drills</c> with the drill definition as JSON.</summary>
    public Task<JsonElement> RunDrillAsync(JsonElement drill, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "api/v1/drills", drill, ClientJsonContext.Default.JsonElement, ClientJsonContext.Default.JsonElement, null, cancellationToken);

    /// <summary><c>GET /api/v1/drills</c>.</summary>
    public Task<JsonElement> ListDrillsAsync(CancellationToken cancellationToken = default) => GetJsonAsync("api/v1/drills", cancellationToken);

    /// <summary><c>GET /api/v1/drills/{id}</c>.</summary>
    public Task<JsonElement> GetDrillAsync(string drillId, CancellationToken cancellationToken = default) => GetJsonAsync($"api/v1/drills/{Segment(drillId)}", cancellationToken);

    /// <summary><c>POST /api/v1/drills/{id}/cancel</c>.</summary>
    public Task<JsonElement> CancelDrillAsync(string drillId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"api/v1/drills/{Segment(drillId)}/cancel", ClientJsonContext.Default.JsonElement, cancellationToken);

    /// <summary><c>GET /api/v1/drills/{id}/events</c>.</summary>
    public Task<JsonElement> GetDrillEventsAsync(string drillId, CancellationToken cancellationToken = default) => GetJsonAsync($"api/v1/drills/{Segment(drillId)}/events", cancellationToken);

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    // ---- plumbing ----

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

    private Task<JsonElement> GetJsonAsync(string path, CancellationToken cancellationToken) => GetAsync(path, ClientJsonContext.Default.JsonElement, cancellationToken);

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
