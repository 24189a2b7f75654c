using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RetryInfo = Google.Rpc.RetryInfo;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace FaultAgent.Grpc;

/// <summary>
/// A gRPC answer written before any service runs (authentication's refusals): a trailers-only response, so the client
/// sees the status and its message, not a bare HTTP status. The gRPC types stay in this adapter folder.
/// </summary>
public static class GrpcTrailersOnlyStatus
{
    /// <summary>UNAUTHENTICATED with <paramref name="reason"/>.</summary>
    public static void WriteUnauthenticated(HttpResponse response, string reason) =>
        Write(response, StatusCode.Unauthenticated, reason, details: null);

    /// <summary>RESOURCE_EXHAUSTED with <paramref name="reason"/> and a <c>google.rpc.RetryInfo</c> of <paramref name="retryAfterSeconds"/>.</summary>
    public static void WriteResourceExhausted(HttpResponse response, string reason, long retryAfterSeconds)
    {
        var status = new Google.Rpc.Status { Code = (int)StatusCode.ResourceExhausted, Message = reason };
        status.Details.Add(Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(retryAfterSeconds)) }));
        Write(response, StatusCode.ResourceExhausted, reason, status);
    }

    private static void Write(HttpResponse response, StatusCode code, string reason, Google.Rpc.Status? details)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)code).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(reason);
        if (details is not null)
        {
            response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(details.ToByteArray());
        }
    }
}
