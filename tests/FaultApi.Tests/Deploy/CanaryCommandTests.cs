using FaultCtl.Hosting;
using FaultCtl.Suites;
using FaultInjection.Client;
using k8s.Models;

namespace FaultApi.Tests.Deploy;

/// <summary>The canary CronJob's command is one faultctl parses (its own parser, FaultCtlApplication) and runs on the suite the overlay ships.</summary>
public sealed class CanaryCommandTests
{
    [Fact]
    public void CanaryCronJob_Args_ParseAsFaultctlSuiteRunOnTheShippedSuiteFile()
    {
        var canary = DeployManifests.Load("canary");
        var container = canary.All<V1CronJob>().Single().Spec.JobTemplate.Spec.Template.Spec.Containers.Single();
        var root = FaultCtlApplication.CreateRootCommand(_ => throw new InvalidOperationException("parsing only"));

        var parse = root.Parse(container.Args.ToList());

        Assert.Empty(parse.Errors);
        Assert.Equal(["suite", "run"], Path(parse.CommandResult.Command).Skip(1));
        var file = parse.GetValue<string>("--file")!;
        var junit = parse.GetValue<string?>("--junit");
        Assert.Equal("/etc/fault-injection/suite/suite.yaml", file);
        Assert.Equal("/reports/junit.xml", junit);

        // The file there is the overlay's suite.yaml (the ConfigMap's key), and it is a suite faultctl sends as it is.
        var volume = container.VolumeMounts.Single(m => file.StartsWith(m.MountPath.TrimEnd('/') + "/", StringComparison.Ordinal));
        var configMap = canary.Named<V1ConfigMap>(canary.All<V1CronJob>().Single().Spec.JobTemplate.Spec.Template.Spec.Volumes.Single(v => v.Name == volume.Name).ConfigMap.Name);
        var request = SuiteFile.Parse(configMap.Data[System.IO.Path.GetFileName(file)], file);
        Assert.Equal("canary", request.Name); // the suite label the alerts (canary-alerts.yaml) watch
        Assert.NotEmpty(request.Drills!);
        Assert.All(request.Drills!, d => Assert.True(d.NodeSelector is not null && d.Xid is not null && d.Expect!.Count > 0));
    }

    [Fact]
    public void CanaryCronJob_Environment_IsWhatFaultctlReads()
    {
        var container = DeployManifests.Load("canary").All<V1CronJob>().Single().Spec.JobTemplate.Spec.Template.Spec.Containers.Single();

        Assert.Contains(container.Env, e => e.Name == FaultInjectionClient.ApiAddressVariable);
        Assert.Contains(container.Env, e => e.Name == FaultInjectionClient.TokenVariable);
    }

    private static List<string> Path(System.CommandLine.Command command)
    {
        var path = new List<string>();
        for (var current = command; current is not null; current = current.Parents.OfType<System.CommandLine.Command>().FirstOrDefault())
        {
            path.Insert(0, current.Name);
        }

        return path;
    }
}
