using System.Globalization;
using FaultAgent.Registry;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Grpc.Net.Client;

namespace FaultAgent.Tests.Registry;

/// <summary>
/// Two real agent processes and one state directory: the second refuses to start, naming the first, and leaves the
/// directory as it was; the first appends its journal through a descriptor opened O_APPEND (checked in /proc).
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class StateDirectoryTests : IDisposable
{
    private const int OAppend = 0x400; // 02000 octal, as /proc/<pid>/fdinfo prints flags
    private readonly TestDirectory _directory = new();
    private readonly TargetNamespaceProcess _target = new();
    private readonly string _marker = "sd" + Guid.NewGuid().ToString("N")[..12];

    public void Dispose()
    {
        _target.Dispose();
        _directory.Dispose();
    }

    [RootFact]
    public async Task Start_SecondAgentOnSameStateDirectory_RefusesNamingTheHolderAndWritesNothing()
    {
        var settings = Settings();
        await using var first = await AgentProcess.StartAsync(settings);
        using var channel = GrpcChannel.ForAddress(first.GrpcAddress);
        var client = new AgentClient(channel);
        await client.InjectXidAsync(new InjectXidRequest { FaultId = "held", Xid = 79, GpuId = 0, Pid = 4242, ProcessName = _marker }, AgentApplicationFactory.Auth());
        var journal = File.ReadAllBytes(Path.Combine(settings["Agent:StateDirectory"], FaultJournal.FileName));

        var (exitCode, output) = await AgentProcess.RunUntilExitAsync(settings);

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"Another agent holds the state directory {settings["Agent:StateDirectory"]}", output, StringComparison.Ordinal);
        Assert.Contains($"pid {first.Pid.ToString(CultureInfo.InvariantCulture)}, node node-sd", output, StringComparison.Ordinal);
        Assert.Equal(journal, File.ReadAllBytes(Path.Combine(settings["Agent:StateDirectory"], FaultJournal.FileName)));
        Assert.Equal("held", Assert.Single((await client.ListFaultsAsync(new ListFaultsRequest(), AgentApplicationFactory.Auth())).Faults).FaultId);
    }

    [RootFact]
    public async Task Start_AfterTheHolderWasKilled_TakesTheDirectoryOver()
    {
        var settings = Settings();
        await using (var first = await AgentProcess.StartAsync(settings))
        {
            await first.KillAsync();
        }

        await using var second = await AgentProcess.StartAsync(settings);

        // Read with cat: .NET's own file APIs take a shared flock to emulate FileShare, which the holder's exclusive lock refuses.
        var holder = await ReadWithCatAsync(Path.Combine(settings["Agent:StateDirectory"], StateDirectoryLock.FileName));
        Assert.StartsWith($"pid {second.Pid.ToString(CultureInfo.InvariantCulture)}, node node-sd", holder, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task InjectXid_Journal_AppendedThroughAnOAppendDescriptor()
    {
        var settings = Settings();
        await using var agent = await AgentProcess.StartAsync(settings);
        using var channel = GrpcChannel.ForAddress(agent.GrpcAddress);
        var client = new AgentClient(channel);
        await client.InjectXidAsync(new InjectXidRequest { FaultId = "appended", Xid = 79, GpuId = 0, Pid = 4242, ProcessName = _marker }, AgentApplicationFactory.Auth());

        var journalPath = Path.Combine(settings["Agent:StateDirectory"], FaultJournal.FileName);
        var descriptors = Directory.GetFiles($"/proc/{agent.Pid}/fd")
            .Where(fd => new FileInfo(fd).LinkTarget == journalPath)
            .Select(fd => Path.GetFileName(fd))
            .ToList();
        Assert.NotEmpty(descriptors);
        Assert.All(descriptors, fd =>
        {
            var flags = File.ReadAllLines($"/proc/{agent.Pid}/fdinfo/{fd}").Single(l => l.StartsWith("flags:", StringComparison.Ordinal));
            Assert.NotEqual(0, Convert.ToInt32(flags["flags:".Length..].Trim(), 8) & OAppend);
        });
    }

    private static async Task<string> ReadWithCatAsync(string path)
    {
        var start = new System.Diagnostics.ProcessStartInfo("cat") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(path);
        using var process = System.Diagnostics.Process.Start(start)!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return text;
    }

    private Dictionary<string, string> Settings()
    {
        var procRoot = TestProcRoot.Create(_directory.Path);
        File.WriteAllText(_directory.Combine("token"), $"{AgentApplicationFactory.ApiTokenName}:{AgentApplicationFactory.ApiToken}\n");
        return new Dictionary<string, string>
        {
            ["Agent:NodeName"] = "node-sd",
            ["Agent:ProcRoot"] = procRoot,
            ["Agent:TargetPid"] = _target.Pid.ToString(CultureInfo.InvariantCulture),
            ["Agent:StateDirectory"] = _directory.Combine("state"),
            ["Agent:TokenFile"] = _directory.Combine("token"),
        };
    }
}
