using FaultApi.Dcgm;
using FaultApi.Faults;
using FaultApi.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;

namespace FaultApi.Audit;

/// <summary>
/// Audits the fault routes that change state (inject, clear/recover): one event with the caller, the target (node or
/// selector from the body, or the fault id), the result and the fault ids, also when the call is refused or fails. These
/// routes run under the API's shutdown token, not the client's connection: a client that disconnects mid-call does not
/// cancel a write already on its way to an agent, and the event records how it ended, with
/// <c>client disconnected before the answer</c> in its detail.
/// </summary>
public sealed class AuditEndpointFilter(IAuditLog auditLog, ILogger<AuditEndpointFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        InjectionProfile.Lap(InjectionPhase.BodyBinding);
        var http = context.HttpContext;
        var caller = http.User.Identity?.Name ?? "";
        var faultId = http.Request.RouteValues.TryGetValue("faultId", out var id) ? id as string : null;
        var action = faultId is null ? "inject" : "clear";
        var target = context.Arguments.OfType<InjectXidBody>().Select(b => b.NodeName ?? b.NodeSelector).FirstOrDefault()
            ?? context.Arguments.OfType<InjectSxidBody>().Select(b => b.NodeName ?? b.NodeSelector).FirstOrDefault()
            ?? context.Arguments.OfType<InjectDcgmFieldBody>().Select(b => b.NodeName ?? b.NodeSelector).FirstOrDefault()
            ?? faultId
            ?? "";
        using var disconnected = http.RequestAborted.Register(() => AuditLogMessages.ClientDisconnected(logger, action, caller, target));
        try
        {
            var result = await next(context).ConfigureAwait(false);
            var (status, faults, detail) = Describe(result);
            auditLog.Write(new AuditEvent(action, caller, target, status < 400 ? "ok" : "refused", status, faults.Length > 0 ? faults : faultId ?? "", detail + Gone(http)));
            InjectionProfile.Lap(InjectionPhase.AuditWrite);
            return result;
        }
        catch (ApiProblemException problem)
        {
            auditLog.Write(new AuditEvent(action, caller, target, problem.Title, problem.Status, faultId ?? "", problem.Message + Gone(http)));
            throw;
        }
        catch (Exception ex)
        {
            // Anything else (the API shutting down mid-call, a bug): still one event, saying how the call ended.
            var result = ex is OperationCanceledException ? "cancelled" : "failed";
            auditLog.Write(new AuditEvent(action, caller, target, result, StatusCodes.Status500InternalServerError, faultId ?? "", ex.Message + Gone(http)));
            throw;
        }
    }

    private static string Gone(HttpContext http) => http.RequestAborted.IsCancellationRequested ? " (client disconnected before the answer)" : "";

    private static (int Status, string FaultIds, string Detail) Describe(object? result) => result switch
    {
        IValueHttpResult<FaultResource> { Value: { } fault } => (200, fault.FaultId, fault.DryRun ? "dry_run" : fault.Status),
        IValueHttpResult<MultiInjectionResource> { Value: { } many } => (200, string.Join(',', many.Faults.Select(f => f.FaultId)), many.Status),
        ProblemHttpResult problem => (problem.StatusCode, "", problem.ProblemDetails.Detail ?? ""),
        IStatusCodeHttpResult { StatusCode: { } code } => (code, "", ""),
        _ => (200, "", ""),
    };
}
