using FaultApi.Problems;
using FaultApi.Storage;
using k8s.Autorest;

namespace FaultApi.EmergencyStop;

/// <summary>
/// What an engaged stop did to one drill or suite running when it was engaged (its listeners attempt every one, in the
/// cluster, before the stop answers): cancelled by this stop, found ended otherwise, or not cancelled and why.
/// </summary>
/// <param name="Kind"><c>drill</c> or <c>suite</c>.</param>
/// <param name="Id">The drill's or suite's id.</param>
/// <param name="Cancelled">It ended cancelled by this stop.</param>
/// <param name="State">The state it is in after the attempt (e.g. <c>cancelled</c>, or <c>passed</c> when it ended first); null when it could not be read.</param>
/// <param name="Error">Why the attempt failed (a store error, a conflict that outlasted the retries, a timeout); null when it did not.</param>
public sealed record StopCancellationOutcome(string Kind, string Id, bool Cancelled, string? State, string? Error)
{
    /// <summary>The outcome of an attempt that threw <paramref name="exception"/>: its problem, the API server's refusal, or its message.</summary>
    public static StopCancellationOutcome Failed(string kind, string id, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new(kind, id, false, null, exception switch
        {
            ApiProblemException problem => $"{problem.Status} {problem.Title}: {problem.Message}",
            HttpOperationException refused => StoreRefusal.Describe(refused),
            _ => exception.Message,
        });
    }
}
