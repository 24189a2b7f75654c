using FaultApi.Auth;
using FaultApi.Faults;
using FaultApi.Problems;
using FaultApi.Routing;
using FaultInjection.Agent.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FaultApi.Agents;

/// <summary>
/// One call to one agent, under <see cref="AgentGateway"/>'s typed operations: adds the API's bearer credential and the
/// human caller (<c>x-fault-caller</c>), sets the deadline, records the call (<see cref="AgentCallMetrics"/>, by the
/// operation it names) and turns an agent's error into the API's problem.
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
        string operation,
        Func<AgentClient, CallOptions, AsyncUnaryCall<TResponse>> call,
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
        InjectionProfile.Lap(InjectionPhase.Credential);
        var started = timeProvider.GetTimestamp();
        try
        {
            var client = pool.GetClient(agent.Address);
            InjectionProfile.Lap(InjectionPhase.ChannelAcquire);
            var response = await call(client, callOptions).ConfigureAwait(false);
            InjectionProfile.Lap(InjectionPhase.AgentCall);
            metrics.Record(agent.NodeName, operation, nameof(StatusCode.OK), timeProvider.GetElapsedTime(started));
            InjectionProfile.Lap(InjectionPhase.CallMetrics);
            return response;
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested || ex.StatusCode != StatusCode.Cancelled)
        {
            metrics.Record(agent.NodeName, operation, ex.StatusCode.ToString(), timeProvider.GetElapsedTime(started));
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
        Func<AgentClient, CallOptions, AsyncServerStreamingCall<TResponse>> call,
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
