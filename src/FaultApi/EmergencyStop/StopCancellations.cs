using FaultApi.Problems;
using Microsoft.AspNetCore.Http;

namespace FaultApi.EmergencyStop;

/// <summary>
/// The stop's listeners' loop (drills, suites): every running one is attempted, one's failure logged and named in its
/// <see cref="StopCancellationOutcome"/>, never keeping the others from their cancel; one gone meanwhile (404) has no
/// outcome. A list of the running ones that fails leaves this replica's own to attempt and an outcome with id <c>*</c>.
/// </summary>
public static class StopCancellations
{
    public static async Task<IReadOnlyList<StopCancellationOutcome>> AttemptAllAsync(
        string kind,
        Func<CancellationToken, Task<IEnumerable<string>>> listRunning,
        IEnumerable<string> local,
        Func<string, CancellationToken, Task<StopCancellationOutcome>> cancel,
        Action<Exception> listFailed,
        Action<Exception, string> cancelFailed,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(listRunning);
        ArgumentNullException.ThrowIfNull(cancel);
        ArgumentNullException.ThrowIfNull(listFailed);
        ArgumentNullException.ThrowIfNull(cancelFailed);
        var outcomes = new List<StopCancellationOutcome>();
        IEnumerable<string> listed = [];
        try
        {
            listed = await listRunning(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            listFailed(ex);
            outcomes.Add(new StopCancellationOutcome(kind, "*", false, null, $"listing the running ones failed ({ex.Message}); only this replica's own were attempted"));
        }

        foreach (var id in listed.Union(local).ToList())
        {
            try
            {
                outcomes.Add(await cancel(id, cancellationToken).ConfigureAwait(false));
            }
            catch (ApiProblemException problem) when (problem.Status == StatusCodes.Status404NotFound)
            {
                // Gone meanwhile: nothing runs.
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                cancelFailed(ex, id);
                outcomes.Add(StopCancellationOutcome.Failed(kind, id, ex));
            }
        }

        return outcomes;
    }
}
