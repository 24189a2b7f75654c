using System.Globalization;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>The settings of a real agent process (<see cref="AgentProcess"/>) on a node of the test's own.</summary>
public static class AgentProcessSettings
{
    /// <summary>
    /// A node named <paramref name="nodeName"/> with <see cref="TestProcRoot"/>'s GPUs under <paramref name="directory"/>
    /// (this machine's boot id), its state directory there (<c>state</c>), the API's token, and the namespaces of
    /// <paramref name="targetPid"/> (a <see cref="TargetNamespaceProcess"/>) as the host's.
    /// </summary>
    public static Dictionary<string, string> ForNode(TestDirectory directory, int targetPid, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var procRoot = TestProcRoot.Create(directory.Path);
        File.WriteAllText(directory.Combine("token"), $"{AgentApplicationFactory.ApiTokenName}:{AgentApplicationFactory.ApiToken}\n");
        return new Dictionary<string, string>
        {
            ["Agent:NodeName"] = nodeName,
            ["Agent:ProcRoot"] = procRoot,
            ["Agent:TargetPid"] = targetPid.ToString(CultureInfo.InvariantCulture),
            ["Agent:StateDirectory"] = directory.Combine("state"),
            ["Agent:TokenFile"] = directory.Combine("token"),
        };
    }
}
