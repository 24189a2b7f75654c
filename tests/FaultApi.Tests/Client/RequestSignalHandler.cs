namespace FaultApi.Tests.Client;

/// <summary>A pass-through handler that completes <see cref="Sent"/> when a request whose path ends with <paramref name="pathSuffix"/> goes out.</summary>
public sealed class RequestSignalHandler(string pathSuffix) : DelegatingHandler
{
    public TaskCompletionSource Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestUri?.AbsolutePath.EndsWith(pathSuffix, StringComparison.Ordinal) == true)
        {
            Sent.TrySetResult();
        }

        return base.SendAsync(request, cancellationToken);
    }
}
