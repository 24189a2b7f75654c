namespace FaultApi.Agents;

/// <summary>
/// One HTTP/2 (prior knowledge) connection's stream to an agent, as <see cref="AgentClientPool.CreateAnswerAfterRequestChannel"/>
/// gives it to SocketsHttpHandler: nothing the agent's end sends (its first frame, a GOAWAY, the end of the connection)
/// is read until the client has written its first request's HEADERS frame. So whatever the agent's end answered to the
/// connection preface reaches the request itself, never the connection alone: SocketsHttpHandler otherwise raises, when
/// that answer arrives between its preface write and handing the new connection's stream to the waiting request, a
/// bare "did not complete the HTTP/2 handshake" that keeps no cause (<see cref="Problems.AgentProblems.HandshakeFailedWithoutCause"/>).
/// Writes pass straight through; the client's own frames are only looked at (their headers) until that HEADERS frame.
/// </summary>
public sealed class AnswerAfterRequestStream(Stream inner) : Stream
{
    private const int PrefaceLength = 24;
    private const int FrameHeaderLength = 9;
    private const byte HeadersFrame = 0x1;
    private readonly TaskCompletionSource _requestWritten = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly byte[] _frameHeader = new byte[FrameHeaderLength];
    private long _written;
    private long _nextFrame = PrefaceLength;
    private int _frameHeaderFilled;

    /// <summary>True once a request's HEADERS frame was written (or the stream disposed): reads pass from then on.</summary>
    public bool RequestWritten => _requestWritten.Task.IsCompleted;

    public override bool CanRead => inner.CanRead;

    public override bool CanWrite => inner.CanWrite;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!RequestWritten)
        {
            await _requestWritten.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(Span<byte> buffer)
    {
        _requestWritten.Task.GetAwaiter().GetResult();
        return inner.Read(buffer);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        RequestWritten || !CarriesRequestHeaders(buffer.Span)
            ? inner.WriteAsync(buffer, cancellationToken)
            : WriteThenPassReadsAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var opens = !RequestWritten && CarriesRequestHeaders(buffer);
        try
        {
            inner.Write(buffer);
        }
        finally
        {
            if (opens)
            {
                _requestWritten.TrySetResult();
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // A read still held ends on the closed stream, as SocketsHttpHandler expects of a connection it disposes.
            _requestWritten.TrySetResult();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The agent's bytes pass once the write carrying the request's HEADERS frame is done (or failed).</summary>
    private async ValueTask WriteThenPassReadsAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _requestWritten.TrySetResult();
        }
    }

    /// <summary>
    /// Follows the client's frames across writes (after the 24-byte preface: a 9-byte header, its 24-bit payload length)
    /// and tells whether <paramref name="bytes"/> hold the header of a HEADERS frame.
    /// </summary>
    private bool CarriesRequestHeaders(ReadOnlySpan<byte> bytes)
    {
        var start = _written;
        _written += bytes.Length;
        var i = 0;
        while (i < bytes.Length)
        {
            var position = start + i;
            if (position < _nextFrame)
            {
                i += (int)Math.Min(bytes.Length - i, _nextFrame - position);
                continue;
            }

            _frameHeader[_frameHeaderFilled++] = bytes[i++];
            if (_frameHeaderFilled < FrameHeaderLength)
            {
                continue;
            }

            _frameHeaderFilled = 0;
            if (_frameHeader[3] == HeadersFrame)
            {
                return true;
            }

            _nextFrame = start + i + ((_frameHeader[0] << 16) | (_frameHeader[1] << 8) | _frameHeader[2]);
        }

        return false;
    }
}
