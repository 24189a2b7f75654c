using FaultApi.Problems;
using FaultApi.Routing;
using FaultInjection.Agent.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FaultApi.Agents;

/// <summary>
/// The agents as the API's features see them: one typed method per agent operation (each call recorded under its gRPC
/// method's name), the agents' paged lists read to their last page, and <see cref="GatherAsync"/>, the one fan-out every
/// route that asks many agents uses. Every error is an <see cref="ApiProblemException"/> (<see cref="AgentProblems"/>).
/// </summary>
public sealed class AgentGateway(AgentCaller caller, IOptions<AgentsOptions> options, IOptions<RoutingOptions> routing)
{
    /// <summary>The deadline of one unary call (<c>Agents:CallTimeoutSeconds</c>).</summary>
    public TimeSpan Deadline => caller.Deadline;

    /// <summary>
    /// Calls every agent in <paramref name="agents"/> (at most <c>Agents:MaxConcurrency</c> at once); an agent's failure is
    /// reported next to the others' answers.
    /// </summary>
    public async Task<AgentGathering<T>> GatherAsync<T>(
        IReadOnlyList<AgentEndpoint> agents,
        Func<AgentEndpoint, CancellationToken, Task<T>> call,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(call);
        var results = new AgentOutcome<T>[agents.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, agents.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrency, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                try
                {
                    results[i] = new AgentOutcome<T>(agents[i], await call(agents[i], ct).ConfigureAwait(false), null);
                }
                catch (ApiProblemException problem)
                {
                    results[i] = new AgentOutcome<T>(agents[i], default, NodeError.From(agents[i].NodeName, problem));
                }
            }).ConfigureAwait(false);
        return new AgentGathering<T>(results);
    }

    /// <summary>Sends <paramref name="injection"/> (addressed to this node by <see cref="AgentInjection.ForNode"/>).</summary>
    public Task<InjectResponse> InjectAsync(AgentEndpoint agent, AgentInjection injection, string callerName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(injection);
        return caller.CallAsync(agent, callerName, injection.Operation, injection.Send, cancellationToken);
    }

    public Task<Fault> ClearAsync(AgentEndpoint agent, string faultId, string reason, string callerName, CancellationToken cancellationToken) =>
        caller.CallAsync(agent, callerName, nameof(AgentClient.ClearFault), (c, o) => c.ClearFaultAsync(new ClearFaultRequest { FaultId = faultId, Reason = reason }, o), cancellationToken);

    public Task<Fault> GetFaultAsync(AgentEndpoint agent, string faultId, string callerName, CancellationToken cancellationToken) =>
        caller.CallAsync(agent, callerName, nameof(AgentClient.GetFault), (c, o) => c.GetFaultAsync(new GetFaultRequest { FaultId = faultId }, o), cancellationToken);

    /// <summary>Every fault the agent holds (<paramref name="activeOnly"/>: only the active ones), all pages.</summary>
    public Task<IReadOnlyList<Fault>> ListFaultsAsync(AgentEndpoint agent, bool activeOnly, string callerName, CancellationToken cancellationToken) =>
        ListAllAsync<ListFaultsResponse, Fault>(
            agent,
            callerName,
            nameof(AgentClient.ListFaults),
            token => (c, o) => c.ListFaultsAsync(new ListFaultsRequest { ActiveOnly = activeOnly, PageToken = token }, o),
            r => (r.Faults, r.NextPageToken),
            cancellationToken);

    /// <summary>Whether the agent holds any active fault (one page of one fault is enough to know).</summary>
    public async Task<bool> HasActiveFaultsAsync(AgentEndpoint agent, string callerName, CancellationToken cancellationToken) =>
        (await caller.CallAsync(agent, callerName, nameof(AgentClient.ListFaults), (c, o) => c.ListFaultsAsync(new ListFaultsRequest { ActiveOnly = true, PageSize = 1 }, o), cancellationToken).ConfigureAwait(false)).Faults.Count > 0;

    /// <summary>The agent's audit events (from <paramref name="since"/> when given), all pages.</summary>
    public Task<IReadOnlyList<AuditEvent>> ListAuditEventsAsync(AgentEndpoint agent, Google.Protobuf.WellKnownTypes.Timestamp? since, string callerName, CancellationToken cancellationToken) =>
        ListAllAsync<ListAuditEventsResponse, AuditEvent>(
            agent,
            callerName,
            nameof(AgentClient.ListAuditEvents),
            token => (c, o) => c.ListAuditEventsAsync(new ListAuditEventsRequest { Since = since, PageToken = token }, o),
            r => (r.Events, r.NextPageToken),
            cancellationToken);

    public Task<IReadOnlyList<BugReport>> ListBugReportsAsync(AgentEndpoint agent, string callerName, CancellationToken cancellationToken) =>
        ListAllAsync<ListBugReportsResponse, BugReport>(
            agent,
            callerName,
            nameof(AgentClient.ListBugReports),
            token => (c, o) => c.ListBugReportsAsync(new ListBugReportsRequest { PageToken = token }, o),
            r => (r.Reports, r.NextPageToken),
            cancellationToken);

    /// <summary>Starts a bug report on the node (<paramref name="trigger"/>: what asked for it, empty for a person).</summary>
    public Task<StartBugReportResponse> StartBugReportAsync(AgentEndpoint agent, string trigger, string callerName, CancellationToken cancellationToken) =>
        caller.CallAsync(agent, callerName, nameof(AgentClient.StartBugReport), (c, o) => c.StartBugReportAsync(new StartBugReportRequest { Trigger = trigger }, o), cancellationToken);

    public Task<BugReport> GetBugReportAsync(AgentEndpoint agent, string reportId, string callerName, CancellationToken cancellationToken) =>
        caller.CallAsync(agent, callerName, nameof(AgentClient.GetBugReport), (c, o) => c.GetBugReportAsync(new GetBugReportRequest { ReportId = reportId }, o), cancellationToken);

    /// <summary>Opens the report's download stream with <paramref name="deadline"/>; errors surface while reading (<see cref="AgentProblems.FromRpc"/>).</summary>
    public AgentStreamCall<BugReportChunk> OpenBugReportDownload(AgentEndpoint agent, string reportId, string callerName, TimeSpan deadline, CancellationToken cancellationToken) =>
        caller.OpenStream(agent, callerName, (c, o) => c.DownloadBugReport(new DownloadBugReportRequest { ReportId = reportId }, o), deadline, cancellationToken);

    /// <summary>The node's GPUs as the node list shows them: the summary, without each GPU's driver detail (<c>ListGpusRequest.summary</c>).</summary>
    public Task<ListGpusResponse> ListGpuSummaryAsync(AgentEndpoint agent, string callerName, CancellationToken cancellationToken) =>
        caller.CallAsync(agent, callerName, nameof(AgentClient.ListGpus), (c, o) => c.ListGpusAsync(new ListGpusRequest { Summary = true }, o), cancellationToken);

    public Task<Catalog> GetCatalogAsync(AgentEndpoint agent, string callerName, CancellationToken cancellationToken) =>
        caller.CallAsync(agent, callerName, nameof(AgentClient.GetCatalog), (c, o) => c.GetCatalogAsync(new GetCatalogRequest(), o), cancellationToken);

    public Task<DcgmFieldCatalog> GetDcgmFieldCatalogAsync(AgentEndpoint agent, string callerName, CancellationToken cancellationToken) =>
        caller.CallAsync(agent, callerName, nameof(AgentClient.GetDcgmFieldCatalog), (c, o) => c.GetDcgmFieldCatalogAsync(new DcgmFieldCatalogRequest(), o), cancellationToken);

    public Task<GpuTelemetry> GetGpuTelemetryAsync(AgentEndpoint agent, bool refresh, string callerName, CancellationToken cancellationToken) =>
        caller.CallAsync(agent, callerName, nameof(AgentClient.GetGpuTelemetry), (c, o) => c.GetGpuTelemetryAsync(new GetGpuTelemetryRequest { Refresh = refresh }, o), cancellationToken);

    public Task<GpuProcesses> ListGpuProcessesAsync(AgentEndpoint agent, bool includePmon, string callerName, CancellationToken cancellationToken) =>
        caller.CallAsync(agent, callerName, nameof(AgentClient.ListGpuProcesses), (c, o) => c.ListGpuProcessesAsync(new ListGpuProcessesRequest { IncludePmon = includePmon }, o), cancellationToken);

    public Task<EmergencyStopState> GetEmergencyStopAsync(AgentEndpoint agent, string callerName, CancellationToken cancellationToken) =>
        caller.CallAsync(ControlOf(agent), callerName, nameof(AgentClient.GetEmergencyStop), (c, o) => c.GetEmergencyStopAsync(new GetEmergencyStopRequest(), o), cancellationToken);

    public Task<EmergencyStopState> SetEmergencyStopAsync(AgentEndpoint agent, EmergencyStopState state, string callerName, CancellationToken cancellationToken) =>
        caller.CallAsync(ControlOf(agent), callerName, nameof(AgentClient.SetEmergencyStop), (c, o) => c.SetEmergencyStopAsync(new SetEmergencyStopRequest { State = state }, o), cancellationToken);

    /// <summary>
    /// The agent at its Control port when <c>Routing:AgentControlPort</c> is set: the emergency stop's calls go there, where a
    /// flood of the agent's gRPC port cannot take their connection's room (the agent's <c>Agent:Http:MaxConnections</c> is
    /// counted per endpoint).
    /// </summary>
    private AgentEndpoint ControlOf(AgentEndpoint agent) =>
        routing.Value.AgentControlPort is null ? agent : agent with { Address = routing.Value.StopAddressOf(agent.Address) };

    /// <summary>
    /// Every item of one of an agent's paged lists: the page <paramref name="page"/> asks for with a page token (empty
    /// first), then the next, following <c>next_page_token</c> until the agent gives none. The agent answers at most one
    /// page a call (500 items by default, so a page stays far below the 4 MB message limit); reading only the first would
    /// silently drop the rest. A page that does not move the cursor on is a broken agent: 502.
    /// </summary>
    private async Task<IReadOnlyList<TItem>> ListAllAsync<TResponse, TItem>(
        AgentEndpoint agent,
        string callerName,
        string operation,
        Func<string, Func<AgentClient, CallOptions, AsyncUnaryCall<TResponse>>> page,
        Func<TResponse, (IReadOnlyCollection<TItem> Items, string NextPageToken)> read,
        CancellationToken cancellationToken)
    {
        var all = new List<TItem>();
        var token = "";
        while (true)
        {
            var (items, next) = read(await caller.CallAsync(agent, callerName, operation, page(token), cancellationToken).ConfigureAwait(false));
            all.AddRange(items);
            if (string.IsNullOrEmpty(next))
            {
                return all;
            }

            if (next == token || items.Count == 0)
            {
                throw new ApiProblemException(StatusCodes.Status502BadGateway, "Agent paging broken", $"The agent on node '{agent.NodeName}' answered a page that does not move its cursor on.");
            }

            token = next;
        }
    }
}
