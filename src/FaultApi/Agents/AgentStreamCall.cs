using FaultInjection.Agent.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace FaultApi.Agents;

/// <summary>
/// A server-streaming call to one agent, opened by <see cref="AgentCaller.OpenStream"/>: its <see cref="ResponseStream"/>,
/// and the one way to send it again (<see cref="OpenAgainAnsweringAfterRequest"/>) with the same options — the same
/// headers, the same deadline (which so bounds both attempts), the same cancellation — through a channel of its own
/// (<see cref="AgentClientPool.CreateAnswerAfterRequestChannel"/>), kept until the call is disposed. Whether to open it
/// again is the reader's decision: only when the stream's first read failed with
/// <see cref="Problems.AgentProblems.HandshakeFailedWithoutCause"/> (nothing of the call was written), before it used
/// anything of the stream. The first attempt's pooled channel is leased (<see cref="AgentClientPool.Lease"/>) until the
/// call is disposed, so a download keeps its channel to the end even when its agent leaves the routing table meanwhile.
/// </summary>
public sealed class AgentStreamCall<TResponse> : IDisposable
{
    private readonly AgentClientPool _pool;
    private readonly Uri _address;
    private readonly Func<AgentClient, CallOptions, AsyncServerStreamingCall<TResponse>> _open;
    private readonly CallOptions _options;
    private readonly AgentChannelLease _lease;
    private AsyncServerStreamingCall<TResponse> _call;
    private GrpcChannel? _againChannel;

    internal AgentStreamCall(AgentClientPool pool, Uri address, Func<AgentClient, CallOptions, AsyncServerStreamingCall<TResponse>> open, CallOptions options)
    {
        _pool = pool;
        _address = address;
        _open = open;
        _options = options;
        _lease = pool.Lease(address);
        try
        {
            _call = open(_lease.Client, options);
        }
        catch
        {
            _lease.Dispose();
            throw;
        }
    }

    /// <summary>The current attempt's messages; errors surface while reading (<see cref="Problems.AgentProblems.FromRpc"/>).</summary>
    public IAsyncStreamReader<TResponse> ResponseStream => _call.ResponseStream;

    /// <summary>True once the call was opened again (it never is a third time).</summary>
    public bool OpenedAgain => _againChannel is not null;

    /// <summary>
    /// Ends the current attempt and opens the call once more, with the same options, through a connection that reads the
    /// agent's answer to the preface only after the call's HEADERS frame (so HTTP_1_1_REQUIRED, a close or reset, or the
    /// agent's own answer reaches this call as its cause). See <see cref="AgentCaller"/>'s resend of unary calls for why
    /// this is safe after <see cref="Problems.AgentProblems.HandshakeFailedWithoutCause"/>, and only then.
    /// </summary>
    /// <exception cref="InvalidOperationException">The call was opened again already.</exception>
    public void OpenAgainAnsweringAfterRequest()
    {
        if (OpenedAgain)
        {
            throw new InvalidOperationException("An agent stream is opened again at most once.");
        }

        _call.Dispose();
        _againChannel = _pool.CreateAnswerAfterRequestChannel(_address);
        _call = _open(new AgentClient(_againChannel), _options);
    }

    public void Dispose()
    {
        _call.Dispose();
        _lease.Dispose();
        _againChannel?.Dispose();
    }
}
