using FaultApi.Agents;
using FaultApi.Faults;
using FaultApi.Problems;
using FaultApi.Routing;
using FaultInjection.Agent.V1;
using Microsoft.Extensions.Logging;

namespace FaultApi.BugReports;

/// <summary>
/// <c>"collect_bug_report": true</c> on an injection: after the (non-dry-run) injection succeeded, starts a report on each
/// injected node with trigger <c>injection:&lt;fault_id&gt;</c> and names it in the fault's <c>bug_report_id</c> (the running
/// one when a report was already under way on that node). A report that cannot start does not undo the injection: the
/// fault carries <c>bug_report_error</c> instead.
/// </summary>
public sealed class InjectionBugReportStarter(AgentRouter router, AgentGateway agents, ILogger<InjectionBugReportStarter> logger)
{
    public const string TriggerPrefix = "injection:";

    public async Task<IReadOnlyList<FaultResource>> StartAsync(IReadOnlyList<FaultResource> faults, string caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var tasks = faults.Select(async fault =>
        {
            if (fault.DryRun)
            {
                return fault;
            }

            try
            {
                var agent = router.Resolve(fault.NodeName);
                var started = await agents.StartBugReportAsync(agent, TriggerPrefix + fault.FaultId, caller, cancellationToken).ConfigureAwait(false);
                return fault with { BugReportId = started.Report.ReportId };
            }
            catch (ApiProblemException problem)
            {
                BugReportApiLog.InjectionReportNotStarted(logger, fault.NodeName, fault.FaultId, problem.Message);
                return fault with { BugReportError = problem.Message };
            }
        });
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }
}
