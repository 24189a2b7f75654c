using FaultApi.Problems;

namespace FaultApi.Audit;

public static class AuditLogExtensions
{
    /// <summary>
    /// Runs one state-changing call and writes its audit event: <c>ok</c> with what <paramref name="describe"/> names
    /// (the ids concerned, a detail) when it succeeds, the problem's title, status and message when it is refused.
    /// </summary>
    public static async Task<T> AuditAsync<T>(
        this IAuditLog auditLog,
        string action,
        string caller,
        string target,
        int successStatus,
        Func<Task<T>> call,
        Func<T, (string Ids, string Detail)> describe)
    {
        ArgumentNullException.ThrowIfNull(auditLog);
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(describe);
        T result;
        try
        {
            result = await call().ConfigureAwait(false);
        }
        catch (ApiProblemException problem)
        {
            auditLog.Write(new AuditEvent(action, caller, target, problem.Title, problem.Status, "", problem.Message));
            throw;
        }

        var (ids, detail) = describe(result);
        auditLog.Write(new AuditEvent(action, caller, target, "ok", successStatus, ids, detail));
        return result;
    }
}
