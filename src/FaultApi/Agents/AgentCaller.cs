using FaultApi.Auth;
using FaultApi.Metrics;
using FaultApi.Problems;
using FaultApi.Routing;
using FaultInjection.Agent.V1;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace FaultApi.Agents;

/// <summary>
/// Calls agents: adds the API's bearer credential and the human caller (<c>x-fault-caller</c>), sets the deadline,
/// turns an agent's error into the API's problem, and gathers from many agents in parallel (bounded) with per-node errors.
/// </summary>
public sealed class AgentCaller(AgentClientPool pool, AgentCredential credential, IOptions<AgentsOptions> options, TimeProvider timeProvider, ApiMetrics? metrics = null)
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
            metrics?.AgentCall(agent.NodeName, typeof(TResponse).Name, nameof(StatusCode.OK), timeProvider.GetElapsedTime(started));
            return response;
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested || ex.StatusCode != StatusCode.Cancelled)
        {
            metrics?.AgentCall(agent.NodeName, typeof(TResponse).Name, ex.StatusCode.ToString(), timeProvider.GetElapsedTime(started));
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

    /// <summary>Calls every agent in <paramref name="agents"/> (at most <c>Agents:MaxConcurrency</c> at once); one agent's failure is reported next to the others' results.</summary>
    public async Task<IReadOnlyList<AgentOutcome<TResponse>>> GatherAsync<TResponse>(
        IReadOnlyList<AgentEndpoint> agents,
        string caller,
        Func<FaultInjection.Agent.V1.FaultAgent.FaultAgentClient, CallOptions, AsyncUnaryCall<TResponse>> call,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agents);
        var results = new AgentOutcome<TResponse>[agents.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, agents.Count),
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrency, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                try
                {
                    results[i] = new AgentOutcome<TResponse>(agents[i], await CallAsync(agents[i], caller, call, ct).ConfigureAwait(false), null);
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
