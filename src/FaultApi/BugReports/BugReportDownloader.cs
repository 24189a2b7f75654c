using System.Globalization;
using System.Security.Cryptography;
using FaultApi.Agents;
using FaultApi.Problems;
using FaultApi.Routing;
using FaultInjection.Agent.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace FaultApi.BugReports;

/// <summary>
/// Streams a report's archive from the agent's <c>DownloadBugReport</c> server stream straight into the HTTP response, one
/// chunk at a time (never the whole archive in memory). An error before the first chunk is a problem response (404 unknown
/// report, 400 still running, ...); after the headers went out, a broken stream, a gap or a size/SHA-256 mismatch aborts
/// the connection, so the client sees a truncated transfer rather than a complete-looking file. The stream is opened a
/// second time only when its first read met the cause-less handshake failure (nothing was sent; see
/// <see cref="AgentProblems.HandshakeFailedWithoutCause"/>), never after a chunk was read. A chunk the client does not
/// take within <see cref="BugReportApiOptions.DownloadIdleTimeoutSeconds"/> ends the download the same way, and the agent's
/// stream is cancelled with it (the node's download place freed): Kestrel's own MinResponseDataRate does not catch such a
/// client, as it averages over everything sent so far (a client that stalled after megabytes is allowed hours).
/// </summary>
public sealed class BugReportDownloader(AgentGateway agents, IOptions<BugReportApiOptions> options, TimeProvider time, ILogger<BugReportDownloader> logger)
{
    public const string ChecksumHeader = "X-Checksum-Sha256";

    public async Task WriteAsync(AgentEndpoint agent, string caller, string reportId, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(http);
        var deadline = TimeSpan.FromSeconds(options.Value.DownloadTimeoutSeconds);
        using var call = agents.OpenBugReportDownload(agent, reportId, caller, deadline, cancellationToken);
        BugReportChunk first;
        try
        {
            try
            {
                first = await ReadFirstChunkAsync(agent, reportId, call, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException ex) when (AgentProblems.HandshakeFailedWithoutCause(ex) && !cancellationToken.IsCancellationRequested)
            {
                // The stream's new connection shut down before the call had a stream (nothing of the request was written)
                // and SocketsHttpHandler kept no cause: an HTTP/1.1-only agent's HTTP_1_1_REQUIRED processed between the
                // preface and the stream's reservation, in a few of 100 first downloads (see AgentProblems). Opened once
                // more, as AgentCaller.CallAsync resends a unary call: with the same deadline (it bounds both) and
                // cancellation, through a connection that lets the agent's answer reach the call, whose answer decides
                // (502 wrong protocol, 503 unavailable, or the archive). Only here: no chunk has been read and nothing
                // has been written to the HTTP response (its status is set below, after the first chunk); an error on any
                // later read aborts the response and is never resent, and the second attempt is never opened again.
                call.OpenAgainAnsweringAfterRequest();
                first = await ReadFirstChunkAsync(agent, reportId, call, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested || ex.StatusCode != StatusCode.Cancelled)
        {
            throw AgentProblems.FromRpc(agent, ex, deadline);
        }

        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/gzip";
        response.ContentLength = first.TotalSize;
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = $"\"{FileName(agent.NodeName, reportId, first.FileName)}\"" }.ToString();
        response.Headers[ChecksumHeader] = first.Sha256;

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var idleTimeout = TimeSpan.FromSeconds(options.Value.DownloadIdleTimeoutSeconds);
        long written = 0;
        try
        {
            var chunk = first;
            while (true)
            {
                if (chunk.Offset != written)
                {
                    BugReportApiLog.DownloadBroken(logger, agent.NodeName, reportId, $"chunk at offset {chunk.Offset} after {written} bytes");
                    http.Abort();
                    return;
                }

                hash.AppendData(chunk.Data.Span);
                if (!await WriteWithinAsync(response.Body, chunk.Data.Memory, idleTimeout, cancellationToken).ConfigureAwait(false))
                {
                    BugReportApiLog.DownloadStalled(logger, agent.NodeName, reportId, idleTimeout.TotalSeconds, written);
                    http.Abort();
                    return; // disposing the call cancels the agent's stream
                }

                written += chunk.Data.Length;
                if (!await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                chunk = call.ResponseStream.Current;
            }
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            BugReportApiLog.DownloadBroken(logger, agent.NodeName, reportId, $"{ex.StatusCode} after {written} bytes: {ex.Status.Detail}");
            http.Abort();
            return;
        }

        var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (written != first.TotalSize || (first.Sha256.Length > 0 && !string.Equals(sha, first.Sha256, StringComparison.OrdinalIgnoreCase)))
        {
            BugReportApiLog.DownloadBroken(logger, agent.NodeName, reportId, string.Create(CultureInfo.InvariantCulture, $"{written} of {first.TotalSize} bytes, sha256 {sha}, agent said {first.Sha256}"));
            http.Abort();
            return;
        }

        BugReportApiLog.Downloaded(logger, agent.NodeName, reportId, written);
    }

    /// <summary>
    /// Writes one chunk; false when the client did not take it within <paramref name="idleTimeout"/>. Kestrel answers a
    /// write cancelled while it waits for the client by aborting the connection (its TimingPipeFlusher), which cancels the
    /// request's token before the write throws: so the idle timer decides, not the request's token (checked again after a
    /// write that returns, in case it fired as the write completed: the chunk went out, but the timeout had passed).
    /// </summary>
    private async Task<bool> WriteWithinAsync(Stream body, ReadOnlyMemory<byte> data, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        using var idle = new CancellationTokenSource(idleTimeout, time);
        using var write = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        try
        {
            await body.WriteAsync(data, write.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested)
        {
            return false;
        }

        return !idle.IsCancellationRequested;
    }

    /// <summary>The stream's first chunk (it announces the archive's size, name and SHA-256); none at all is a 502.</summary>
    private static async Task<BugReportChunk> ReadFirstChunkAsync(AgentEndpoint agent, string reportId, AgentStreamCall<BugReportChunk> call, CancellationToken cancellationToken)
    {
        if (!await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            throw new ApiProblemException(StatusCodes.Status502BadGateway, "Empty download", $"The agent on node '{agent.NodeName}' sent no data for bug report '{reportId}'.");
        }

        return call.ResponseStream.Current;
    }

    /// <summary>The download's file name: <c>&lt;node&gt;_&lt;report id&gt;_&lt;archive name&gt;</c> (characters outside [A-Za-z0-9._-] become '_').</summary>
    public static string FileName(string nodeName, string reportId, string archiveName)
    {
        var name = $"{nodeName}_{reportId}_{(archiveName.Length > 0 ? archiveName : "nvidia-bug-report.log.gz")}";
        return string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_'));
    }
}
