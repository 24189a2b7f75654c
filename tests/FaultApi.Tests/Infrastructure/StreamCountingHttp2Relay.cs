using System.Net;
using System.Text;

namespace FaultApi.Tests.Infrastructure;

/// <summary>
/// A TCP relay on loopback (port 0) in front of an agent's gRPC (HTTP/2, prior knowledge) port that counts the requests
/// the API started through it for one gRPC method (<see cref="Requests"/>: HEADERS frames from the API opening a stream
/// whose <c>:path</c> names the method, on every connection — SocketsHttpHandler writes the path as a plain literal), so
/// a test can tell how many times a call was sent, and can cut the network under such a call
/// (<see cref="CutMethodConnections"/>). Everything passes through unchanged otherwise.
/// </summary>
public sealed class StreamCountingHttp2Relay : Http2FrameRelay
{
    private readonly byte[] _path;
    private readonly Dictionary<RelayedConnection, int> _lastStreams = [];
    private readonly List<RelayedConnection> _methodConnections = [];
    private int _requests;

    /// <param name="target">The agent's gRPC endpoint.</param>
    /// <param name="method">The counted method's path, e.g. <c>/faultinjection.agent.v1.FaultAgent/DownloadBugReport</c>.</param>
    public StreamCountingHttp2Relay(IPEndPoint target, string method)
        : base(target)
    {
        ArgumentNullException.ThrowIfNull(method);
        _path = Encoding.ASCII.GetBytes(method);
        Start();
    }

    /// <summary>Requests for the method the API started through the relay.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Resets every connection that carried a request for the method (the calls on them break); how many it reset.</summary>
    public int CutMethodConnections()
    {
        lock (_lastStreams)
        {
            foreach (var connection in _methodConnections)
            {
                connection.Reset();
            }

            return _methodConnections.Count;
        }
    }

    protected override ValueTask<bool> OnFrameAsync(RelayedConnection connection, Http2Frame frame)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(frame);
        if (!frame.FromClient || frame.Type != HeadersFrame || frame.Stream == 0)
        {
            return ValueTask.FromResult(true);
        }

        lock (_lastStreams)
        {
            // A client opens streams with increasing odd ids; a HEADERS frame on a stream already open would be trailers.
            if (frame.Stream > _lastStreams.GetValueOrDefault(connection) && frame.Payload.AsSpan().IndexOf(_path) >= 0)
            {
                Interlocked.Increment(ref _requests);
                if (!_methodConnections.Contains(connection))
                {
                    _methodConnections.Add(connection);
                }
            }

            _lastStreams[connection] = Math.Max(frame.Stream, _lastStreams.GetValueOrDefault(connection));
        }

        return ValueTask.FromResult(true);
    }
}
