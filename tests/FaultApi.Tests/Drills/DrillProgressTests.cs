using FaultApi.Drills;
using k8s.Models;

namespace FaultApi.Tests.Drills;

/// <summary>The drill's judge alone: node and pod states in, steps out.</summary>
public sealed class DrillProgressTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Observe_ConditionAlreadyTrueBeforeInjection_IsNotCountedUntilItChanges()
    {
        var before = Node(conditions: [Condition("SysLogsXIDError", "True", "Old", "earlier Xid")]);
        var drill = Drill(before, [], "condition:SysLogsXIDError");

        Assert.Empty(DrillProgress.Observe(drill, before, [], T0.AddSeconds(1)));
        var step = Assert.Single(DrillProgress.Observe(drill, Node(conditions: [Condition("SysLogsXIDError", "True", "SysLogsXIDErrorIsNotHealthy", "ErrorCode:79")]), [], T0.AddSeconds(3)));

        Assert.Equal("condition:SysLogsXIDError", step.Step);
        Assert.Equal(3, step.SecondsSinceInjection);
        Assert.Equal("ErrorCode:79", step.Evidence["message"]);
        Assert.Empty(drill.Missing);
    }

    [Fact]
    public void Observe_DrainInNamespace_IgnoresDaemonSetPodsAndOtherNamespaces()
    {
        var node = Node();
        var trainer = Pod("training", "trainer");
        var notebook = Pod("default", "notebook");
        var exporter = Pod("training", "exporter", daemonSet: true);
        var drill = Drill(node, [trainer, notebook, exporter], "drain:training");

        Assert.Empty(DrillProgress.Observe(drill, node, [trainer, notebook, exporter], T0.AddSeconds(1)));
        var step = Assert.Single(DrillProgress.Observe(drill, node, [notebook, exporter], T0.AddSeconds(2)));

        Assert.Equal("training/trainer", step.Evidence["pods_evicted"]);
        Assert.Equal("1", step.Evidence["count"]);
    }

    [Fact]
    public void Observe_Recover_CountsOnlyAfterEveryOtherExpectation()
    {
        var healthy = Node();
        var drill = Drill(healthy, [], "cordon", "taint:trainy.konduktor.ai/faulty", "recover");

        Assert.Empty(DrillProgress.Observe(drill, healthy, [], T0.AddSeconds(1)));
        var cordoned = Node(unschedulable: true, taints: [new V1Taint { Key = "trainy.konduktor.ai/faulty", Effect = "NoSchedule", Value = "true" }]);
        Assert.Equal(["cordon", "taint:trainy.konduktor.ai/faulty"], DrillProgress.Observe(drill, cordoned, [], T0.AddSeconds(2)).Select(s => s.Step));
        var uncordonedStillTainted = Node(taints: [new V1Taint { Key = "trainy.konduktor.ai/faulty", Effect = "NoSchedule" }]);
        Assert.Empty(DrillProgress.Observe(drill, uncordonedStillTainted, [], T0.AddSeconds(3)));
        Assert.Equal(["recover"], DrillProgress.Observe(drill, healthy, [], T0.AddSeconds(4)).Select(s => s.Step));
        Assert.Equal(["injected", "cordon", "taint:trainy.konduktor.ai/faulty", "recover"], drill.Steps.Select(s => s.Step));
    }

    [Fact]
    public void Observe_BootIdChanges_IsAReboot()
    {
        var drill = Drill(Node(bootId: "a"), [], "reboot");

        Assert.Empty(DrillProgress.Observe(drill, Node(bootId: "a"), [], T0));
        var step = Assert.Single(DrillProgress.Observe(drill, Node(bootId: "b"), [], T0.AddSeconds(30)));

        Assert.Equal(("a", "b"), (step.Evidence["boot_id_before"], step.Evidence["boot_id"]));
    }

    [Theory]
    [InlineData("condition:SysLogsXIDError", DrillExpectationKind.Condition, "SysLogsXIDError")]
    [InlineData("taint:trainy.konduktor.ai/faulty", DrillExpectationKind.Taint, "trainy.konduktor.ai/faulty")]
    [InlineData("drain", DrillExpectationKind.Drain, null)]
    [InlineData("drain:kube-system", DrillExpectationKind.Drain, "kube-system")]
    [InlineData("cordon", DrillExpectationKind.Cordon, null)]
    [InlineData("reboot", DrillExpectationKind.Reboot, null)]
    [InlineData("recover", DrillExpectationKind.Recover, null)]
    public void TryParse_Valid_GivesKindAndArgument(string text, DrillExpectationKind kind, string? argument)
    {
        Assert.True(DrillExpectation.TryParse(text, out var expectation, out _));
        Assert.Equal((kind, argument, text), (expectation.Kind, expectation.Argument, expectation.Text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("condition")]
    [InlineData("condition:")]
    [InlineData("taint:")]
    [InlineData("taint:bad key")]
    [InlineData("drain:Not_A_Namespace")]
    [InlineData("cordon:now")]
    [InlineData("Cordon")]
    [InlineData("explode")]
    public void TryParse_Invalid_SaysWhy(string text)
    {
        Assert.False(DrillExpectation.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Validator_DefaultAboveMax_FailsNamingTheSetting()
    {
        var result = new DrillOptionsValidator().Validate(null, new DrillOptions { MaxTimeout = TimeSpan.FromMinutes(5), DefaultTimeout = TimeSpan.FromMinutes(10) });

        Assert.True(result.Failed);
        Assert.Contains("Drills:DefaultTimeout", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(new DrillOptionsValidator().Validate(null, new DrillOptions()).Succeeded);
    }

    private static DrillRecord Drill(V1Node node, List<V1Pod> pods, params string[] expect)
    {
        var drill = new DrillRecord { DrillId = "0123456789abcdef", NodeName = "n", Expect = expect, InjectedAt = T0, Baseline = DrillProgress.BaselineOf(node, pods) };
        drill.Steps.Add(new DrillStep("injected", T0, 0, new Dictionary<string, string>()));
        return drill;
    }

    private static V1Node Node(bool unschedulable = false, List<V1Taint>? taints = null, List<V1NodeCondition>? conditions = null, string bootId = "boot-1") => new()
    {
        Metadata = new V1ObjectMeta { Name = "n" },
        Spec = new V1NodeSpec { Unschedulable = unschedulable, Taints = taints },
        Status = new V1NodeStatus
        {
            NodeInfo = new V1NodeSystemInfo { BootID = bootId },
            Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }, .. conditions ?? []],
        },
    };

    private static V1NodeCondition Condition(string type, string status, string reason, string message) =>
        new() { Type = type, Status = status, Reason = reason, Message = message, LastTransitionTime = DateTime.UtcNow };

    private static V1Pod Pod(string ns, string name, bool daemonSet = false) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            OwnerReferences = daemonSet ? [new V1OwnerReference { Kind = "DaemonSet", Name = "ds", ApiVersion = "apps/v1", Uid = "u", Controller = true }] : null,
        },
        Status = new V1PodStatus { Phase = "Running" },
    };
}
