using System.Net;

namespace FaultAgent.Auth;

/// <summary>The Kubernetes API answered a request with an error status (its <c>Status</c> message, when it sent one).</summary>
public sealed class KubernetesApiException(HttpStatusCode statusCode, string message) : Exception(message)
{
    public HttpStatusCode StatusCode { get; } = statusCode;
}
