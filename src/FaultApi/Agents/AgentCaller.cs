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
            // Held until the call ended: the pool disposes a channel given up meanwhile (its agent left the routing table)
            // only once no call holds it.
            using var lease = pool.Lease(agent.Address);
            InjectionProfile.Lap(InjectionPhase.ChannelAcquire);
            TResponse response;
            try
            {
                response = await call(lease.Client, callOptions).ConfigureAwait(false);
            }
            catch (RpcException ex) when (AgentProblems.HandshakeFailedWithoutCause(ex) && !cancellationToken.IsCancellationRequested)
            {
                response = await CallAgainAsync(agent.Address, call, callOptions).ConfigureAwait(false);
            }

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
    /// Sends a call once more, with the same options (the same deadline: it bounds both attempts; the same cancellation),
    /// after its new connection shut down before the call had a stream and the HTTP client kept no cause
    /// (<see cref="AgentProblems.HandshakeFailedWithoutCause"/>). Nothing of the first attempt was written: in
    /// dotnet/runtime's SocketsHttpHandler a request's bytes go out only through Http2Connection.SendHeadersAsync, which it
    /// reaches only on a stream the pool reserved for it, and that exception is raised by
    /// HttpConnectionPool.ReturnHttp2Connection precisely when the new connection could not reserve the waiting request a
    /// stream (the request then fails and is not tried on another connection); the handler's own retries on HTTP/2 resend
    /// only requests that a connection refused before their HEADERS were written (Http2Connection.AddStream), or that the
    /// agent's end said it never processed (GOAWAY past its last stream id, REFUSED_STREAM). The channel's retry policy
    /// does not retry this INTERNAL status; any earlier attempt of a method under that policy was one the channel resends
    /// anyway. This attempt goes through <see cref="AgentClientPool.CreateAnswerAfterRequestChannel"/>, whose connection
    /// reads the agent's answer to the preface only after the call's HEADERS frame, so that answer is the call's cause:
    /// HTTP_1_1_REQUIRED (502 wrong protocol), a close or reset (503 unavailable), or, from an agent that speaks HTTP/2,
    /// the call's own answer. Never sent a third time.
    /// </summary>
    private async Task<TResponse> CallAgainAsync<TResponse>(Uri address, Func<AgentClient, CallOptions, AsyncUnaryCall<TResponse>> call, CallOptions callOptions)
    {
        using var channel = pool.CreateAnswerAfterRequestChannel(address);
        return await call(new AgentClient(channel), callOptions).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens a server-streaming call to one agent with <paramref name="deadline"/> (longer than <see cref="Deadline"/>: a
    /// stream runs as long as its data takes). Errors surface while reading; turn them into problems with
    /// <see cref="AgentProblems.FromRpc"/>. A first read that fails with <see cref="AgentProblems.HandshakeFailedWithoutCause"/>
    /// is the reader's to resend, once (<see cref="AgentStreamCall{TResponse}.OpenAgainAnsweringAfterRequest"/>), as
    /// <see cref="CallAsync"/> resends a unary call.
    /// </summary>
    public AgentStreamCall<TResponse> OpenStream<TResponse>(
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
        return new AgentStreamCall<TResponse>(pool, agent.Address, call, new CallOptions(headers, timeProvider.GetUtcNow().UtcDateTime + deadline, cancellationToken));
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
