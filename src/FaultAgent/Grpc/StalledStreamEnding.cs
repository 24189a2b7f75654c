using System.Globalization;
using System.Text;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace FaultAgent.Grpc;

/// <summary>
/// Ends a server stream whose caller stopped reading, without cancelling the write it never took (grpc-dotnet resets the
/// stream when a write's token fires, and the caller would never learn why): the status goes into the trailers and the
/// response is completed, which queues the trailers behind the data HTTP/2 flow control still holds, so a caller that
/// reads again within <c>grace</c> gets the rest and then the status. After the grace the stream is reset (RST_STREAM
/// CANCEL: a caller still reading sees CANCELLED; one that finished ignores it), so Kestrel drops what it still buffers
/// for the stream instead of keeping it until the connection closes. The handler runs until then, so the stream is never
/// one Kestrel already reuses.
/// </summary>
public static class StalledStreamEnding
{
    /// <summary>HTTP/2 CANCEL (RFC 9113, section 7).</summary>
    public const int Http2Cancel = 0x8;

    public static async Task EndAsync(ServerCallContext context, RpcException status, TimeSpan grace, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(time);
        context.Status = status.Status;
        var http = context.GetHttpContext();
        try
        {
            if (http.Features.Get<IHttpResponseTrailersFeature>()?.Trailers is { IsReadOnly: false } trailers
                && http.Features.Get<IHttpResponseBodyFeature>() is { } body)
            {
                trailers["grpc-status"] = ((int)status.StatusCode).ToString(CultureInfo.InvariantCulture);
                trailers["grpc-message"] = PercentEncode(status.Status.Detail);
                foreach (var entry in status.Trailers)
                {
                    trailers[entry.Key] = entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes) : entry.Value;
                }

                // Queues the trailers (Kestrel does not wait for them to leave).
                await body.CompleteAsync().ConfigureAwait(false);
            }

            await Task.Delay(grace, time, http.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The caller went away: nothing left to deliver.
        }

        if (http.Features.Get<IHttpResetFeature>() is { } reset)
        {
            reset.Reset(Http2Cancel);
        }
        else
        {
            http.Abort();
        }

        // grpc-dotnet writes the call's status into the response trailers once the handler returns; the real ones are sent
        // (or dropped with the stream) and read-only now, so it writes into a set of its own.
        http.Features.Set<IHttpResponseTrailersFeature>(new DiscardedResponseTrailers());
    }

    /// <summary>gRPC's grpc-message encoding: bytes outside 0x20-0x7E, and '%', as %XX of their UTF-8.</summary>
    public static string PercentEncode(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var builder = new StringBuilder(message.Length);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
