using FaultApi.Faults;
using FaultApi.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FaultApi.Audit;

/// <summary>
/// Audits the fault routes that change state (inject, clear/recover): one event with the caller, the target (node or
/// selector from the body, or the fault id), the result and the fault ids, also when the call is refused.
/// </summary>
public sealed class AuditEndpointFilter(IAuditLog auditLog) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var caller = http.User.Identity?.Name ?? "";
        var faultId = http.Request.RouteValues.TryGetValue("faultId", out var id) ? id as string : null;
        var action = faultId is null ? "inject" : "clear";
        var target = context.Arguments.OfType<InjectXidBody>().Select(b => b.NodeName ?? b.NodeSelector).FirstOrDefault()
            ?? context.Arguments.OfType<InjectSxidBody>().Select(b => b.NodeName ?? b.NodeSelector).FirstOrDefault()
            ?? faultId
            ?? "";
        try
        {
            var result = await next(context).ConfigureAwait(false);
            var (status, faults, detail) = Describe(result);
            auditLog.Write(new AuditEvent(action, caller, target, status < 400 ? "ok" : "refused", status, faults.Length > 0 ? faults : faultId ?? "", detail));
            return result;
        }
        catch (ApiProblemException problem)
        {
            auditLog.Write(new AuditEvent(action, caller, target, problem.Title, problem.Status, faultId ?? "", problem.Message));
            throw;
        }
    }

    private static (int Status, string FaultIds, string Detail) Describe(object? result) => result switch
    {
        Ok<FaultResource> ok => (200, ok.Value!.FaultId, ok.Value.DryRun ? "dry_run" : ok.Value.Status),
        Ok<MultiInjectionResource> many => (200, string.Join(',', many.Value!.Faults.Select(f => f.FaultId)), many.Value.Status),
        ProblemHttpResult problem => (problem.StatusCode, "", problem.ProblemDetails.Detail ?? ""),
        IStatusCodeHttpResult { StatusCode: { } code } => (code, "", ""),
        _ => (200, "", ""),
    };
}
