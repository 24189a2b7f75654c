using System.Globalization;
using k8s.Models;

namespace FaultApi.Drills;

/// <summary>
/// The drill's judge, free of I/O: compares the node and its pods as last seen with the baseline taken before the
/// injection and appends a step for every expectation met since the last look (in the order of the request's list,
/// <c>recover</c> last: it counts only once every other expectation was met).
/// </summary>
public static class DrillProgress
{
    private const string ConditionTrue = "True";

    public static DrillBaseline BaselineOf(V1Node node, IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(pods);
        return new DrillBaseline
        {
            BootId = node.Status?.NodeInfo?.BootID ?? "",
            Pods = [.. pods.Where(IsWorkload).Select(PodKey).Order(StringComparer.Ordinal)],
            Taints = [.. (node.Spec?.Taints ?? []).Select(t => t.Key).Distinct(StringComparer.Ordinal)],
            Conditions = (node.Status?.Conditions ?? []).GroupBy(c => c.Type, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Fingerprint(g.First()), StringComparer.Ordinal),
        };
    }

    public static IReadOnlyList<DrillExpectation> Expectations(DrillRecord drill)
    {
        ArgumentNullException.ThrowIfNull(drill);
        return [.. drill.Expect.Select(text => DrillExpectation.TryParse(text, out var e, out _) ? e : throw new InvalidOperationException($"stored expectation '{text}' does not parse"))];
    }

    /// <summary>Appends the steps met now to <paramref name="drill"/> (and updates <c>missing</c>); returns them.</summary>
    public static IReadOnlyList<DrillStep> Observe(DrillRecord drill, V1Node? node, IReadOnlyCollection<V1Pod> pods, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(drill);
        ArgumentNullException.ThrowIfNull(pods);
        var expectations = Expectations(drill);
        var met = drill.Steps.Select(s => s.Step).ToHashSet(StringComparer.Ordinal);
        var added = new List<DrillStep>();
        if (node is not null && drill.InjectedAt is { } t0)
        {
            var seconds = Math.Max(0, (now - t0).TotalSeconds);
            foreach (var expectation in expectations.Where(e => e.Kind != DrillExpectationKind.Recover && !met.Contains(e.Text)))
            {
                if (Evidence(expectation, drill.Baseline, node, pods) is { } evidence)
                {
                    added.Add(new DrillStep(expectation.Text, now, seconds, evidence));
                    met.Add(expectation.Text);
                }
            }

            var recover = expectations.FirstOrDefault(e => e.Kind == DrillExpectationKind.Recover);
            if (recover is not null && !met.Contains(recover.Text)
                && expectations.All(e => e.Kind == DrillExpectationKind.Recover || met.Contains(e.Text))
                && RecoveredEvidence(expectations, node) is { } recovered)
            {
                added.Add(new DrillStep(recover.Text, now, seconds, recovered));
                met.Add(recover.Text);
            }
        }

        foreach (var step in added)
        {
            drill.Steps.Add(step);
        }

        drill.Missing.Clear();
        foreach (var expectation in expectations.Where(e => !met.Contains(e.Text)))
        {
            drill.Missing.Add(expectation.Text);
        }

        return added;
    }

    public static bool IsWorkload(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var daemon = pod.Metadata?.OwnerReferences?.Any(o => o.Kind == "DaemonSet" && o.Controller == true) ?? false;
        var mirror = pod.Metadata?.Annotations?.ContainsKey("kubernetes.io/config.mirror") ?? false;
        var finished = pod.Status?.Phase is "Succeeded" or "Failed";
        return !daemon && !mirror && !finished;
    }

    public static string PodKey(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return $"{pod.Metadata?.NamespaceProperty}/{pod.Metadata?.Name}";
    }

    private static Dictionary<string, string>? Evidence(DrillExpectation expectation, DrillBaseline baseline, V1Node node, IReadOnlyCollection<V1Pod> pods)
    {
        switch (expectation.Kind)
        {
            case DrillExpectationKind.Condition:
                var condition = node.Status?.Conditions?.FirstOrDefault(c => c.Type == expectation.Argument);
                if (condition is null || condition.Status != ConditionTrue
                    || (baseline.Conditions.TryGetValue(condition.Type, out var before) && before == Fingerprint(condition)))
                {
                    return null;
                }

                return new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["type"] = condition.Type,
                    ["status"] = condition.Status,
                    ["reason"] = condition.Reason ?? "",
                    ["message"] = condition.Message ?? "",
                    ["last_transition_time"] = Time(condition.LastTransitionTime),
                };
            case DrillExpectationKind.Cordon:
                return node.Spec?.Unschedulable == true
                    ? new Dictionary<string, string>(StringComparer.Ordinal) { ["unschedulable"] = "true" }
                    : null;
            case DrillExpectationKind.Taint:
                var taint = node.Spec?.Taints?.FirstOrDefault(t => t.Key == expectation.Argument);
                if (taint is null || baseline.Taints.Contains(taint.Key))
                {
                    return null;
                }

                return new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["key"] = taint.Key,
                    ["value"] = taint.Value ?? "",
                    ["effect"] = taint.Effect ?? "",
                    ["time_added"] = Time(taint.TimeAdded),
                };
            case DrillExpectationKind.Drain:
                var scope = baseline.Pods.Where(p => expectation.Argument is null || p.StartsWith(expectation.Argument + "/", StringComparison.Ordinal)).ToList();
                var still = pods.Where(IsWorkload).Select(PodKey).ToHashSet(StringComparer.Ordinal);
                if (scope.Any(still.Contains))
                {
                    return null;
                }

                return new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["pods_evicted"] = string.Join(",", scope),
                    ["count"] = scope.Count.ToString(CultureInfo.InvariantCulture),
                };
            case DrillExpectationKind.Reboot:
                var bootId = node.Status?.NodeInfo?.BootID ?? "";
                return bootId.Length > 0 && bootId != baseline.BootId
                    ? new Dictionary<string, string>(StringComparer.Ordinal) { ["boot_id_before"] = baseline.BootId, ["boot_id"] = bootId }
                    : null;
            default:
                return null;
        }
    }

    private static Dictionary<string, string>? RecoveredEvidence(IReadOnlyList<DrillExpectation> expectations, V1Node node)
    {
        var conditions = node.Status?.Conditions ?? [];
        var ready = conditions.FirstOrDefault(c => c.Type == "Ready");
        var taints = node.Spec?.Taints ?? [];
        var healthy = node.Spec?.Unschedulable != true
            && ready?.Status == ConditionTrue
            && !expectations.Any(e => e.Kind == DrillExpectationKind.Taint && taints.Any(t => t.Key == e.Argument))
            && !expectations.Any(e => e.Kind == DrillExpectationKind.Condition && conditions.Any(c => c.Type == e.Argument && c.Status == ConditionTrue));
        return healthy
            ? new Dictionary<string, string>(StringComparer.Ordinal) { ["unschedulable"] = "false", ["ready"] = ConditionTrue, ["ready_reason"] = ready?.Reason ?? "" }
            : null;
    }

    private static string Fingerprint(V1NodeCondition condition) => $"{condition.Status}|{condition.Reason}|{condition.Message}|{Time(condition.LastTransitionTime)}";

    private static string Time(DateTime? time) => time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)).ToString("O", CultureInfo.InvariantCulture) : "";
}
