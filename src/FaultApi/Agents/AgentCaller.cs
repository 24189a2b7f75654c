using FaultApi.Auth;
using FaultApi.Problems;
using FaultApi.Routing;
using FaultInjection.Agent.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FaultApi.Agents;

/// <summary>
/// Calls agents: adds the API's bearer credential and the human caller (<c>x-fault-caller</c>), sets the deadline,
/// turns an agent's error into the API's problem, and gathers from many agents in parallel (bounded) with per-node errors.
/// </summary>
public sealed class AgentCaller(AgentClientPool pool, AgentCredential credential, IOptions<AgentsOptions> options, TimeProvider timeProvider, AgentCallMetrics metrics)
{
    public const string CallerHeader = "x-fault-caller";
    private readonly AgentsOptions _options = options.Value;

    public TimeSpan Deadline => TimeSpan.FromSeconds(_options.CallTimeoutSeconds);

    /// <summary>Calls one agent; an agent error becomes an <see cref="ApiProblemException"/>.</summary>
    public async Task<TResponse> CallAsync<TResponse>(
        AgentEndpoint agent,
        string caller,
        Func<FaultInjection.Agent.V1.FaultAgent.FaultAgentClient, CallOptions, AsyncUnaryCall<TResponse>> call,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(call);
        var headers = new Metadata
        {
            { "authorization", "Bearer " + ReadToken() },
            { CallerHeader, caller },
        };
        var callOptions = new CallOptions(headers, timeProvider.GetUtcNow().UtcDateTime + Deadline, cancellationToken);
        var started = timeProvider.GetTimestamp();
        try
        {
            var response = await call(pool.GetClient(agent.Address), callOptions).ConfigureAwait(false);
            metrics.Record(agent.NodeName, typeof(TResponse).Name, nameof(StatusCode.OK), timeProvider.GetElapsedTime(started));
            return response;
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested || ex.StatusCode != StatusCode.Cancelled)
        {
            metrics.Record(agent.NodeName, typeof(TResponse).Name, ex.StatusCode.ToString(), timeProvider.GetElapsedTime(started));
            throw AgentProblems.FromRpc(agent, ex, Deadline);
        }
    }

    /// <summary>
    /// Opens a server-streaming call to one agent with <paramref name="deadline"/> (longer than <see cref="Deadline"/>: a
    /// stream runs as long as its data takes). Errors surface while reading; turn them into problems with
    /// <see cref="AgentProblems.FromRpc"/>.
    /// </summary>
    public AsyncServerStreamingCall<TResponse> OpenStream<TResponse>(
        AgentEndpoint agent,
        string caller,
        Func<FaultInjection.Agent.V1.FaultAgent.FaultAgentClient, CallOptions, AsyncServerStreamingCall<TResponse>> call,
        TimeSpan deadline,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(call);
        var headers = new Metadata
        {
            { "authorization", "Bearer " + ReadToken() },
            { CallerHeader, caller },
        };
        return call(pool.GetClient(agent.Address), new CallOptions(headers, timeProvider.GetUtcNow().UtcDateTime + deadline, cancellationToken));
    }

    /// <summary>
    /// Every item of one of an agent's paged lists (ListFaults, ListAuditEvents, ListBugReports): the page
    /// <paramref name="page"/> asks for with a page token (empty first), then the next, following
    /// <c>next_page_token</c> until the agent gives none. The agent answers at most one page a call (500 items by
    /// default, so a page stays far below the 4 MB message limit); reading only the first would silently drop the rest.
    /// A page that does not move the cursor on is a broken agent: 502.
    /// </summary>
    public async Task<IReadOnlyList<TItem>> ListAllAsync<TResponse, TItem>(
        AgentEndpoint agent,
        string caller,
        Func<string, Func<FaultInjection.Agent.V1.FaultAgent.FaultAgentClient, CallOptions, AsyncUnaryCall<TResponse>>> page,
        Func<TResponse, (IReadOnlyCollection<TItem> Items, string NextPageToken)> read,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(read);
        var all = new List<TItem>();
        var token = "";
        while (true)
        {
            var (items, next) = read(await CallAsync(agent, caller, page(token), cancellationToken).ConfigureAwait(false));
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

    /// <summary>Calls every agent in <paramref name="agents"/> (at most <c>Agents:MaxConcurrency</c> at once); one agent's failure is reported next to the others' results.</summary>
    public Task<IReadOnlyList<AgentOutcome<TResponse>>> GatherAsync<TResponse>(
        IReadOnlyList<AgentEndpoint> agents,
        string caller,
        Func<FaultInjection.Agent.V1.FaultAgent.FaultAgentClient, CallOptions, AsyncUnaryCall<TResponse>> call,
        CancellationToken cancellationToken) =>
        GatherAsync(agents, (agent, ct) => CallAsync(agent, caller, call, ct), cancellationToken);

    /// <summary>Runs <paramref name="call"/> for every agent in <paramref name="agents"/> (at most <c>Agents:MaxConcurrency</c> at once); one agent's failure is reported next to the others' results.</summary>
    public async Task<IReadOnlyList<AgentOutcome<TResponse>>> GatherAsync<TResponse>(
        IReadOnlyList<AgentEndpoint> agents,
        Func<AgentEndpoint, CancellationToken, Task<TResponse>> call,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(call);
        var results = new AgentOutcome<TResponse>[agents.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, agents.Count),
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrency, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                try
                {
                    results[i] = new AgentOutcome<TResponse>(agents[i], await call(agents[i], ct).ConfigureAwait(false), null);
                }
                catch (ApiProblemException problem)
                {
                    results[i] = new AgentOutcome<TResponse>(agents[i], default, NodeError.From(agents[i].NodeName, problem));
                }
            }).ConfigureAwait(false);
        return results;
    }

    private string ReadToken()
    {
        try
        {
            return credential.GetToken();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or TokenFileFormatException)
        {
            throw new ApiProblemException(500, "Agent credential unreadable", $"The API cannot read its agent credential (Agents:TokenFile): {ex.Message}", innerException: ex);
        }
    }
}
