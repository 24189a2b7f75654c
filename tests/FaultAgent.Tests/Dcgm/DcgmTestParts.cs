using FaultAgent.Dcgm;
using FaultAgent.Hosting;
using FaultAgent.HostProcesses;
using FaultAgent.Tests.HostProcesses;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaultAgent.Tests.Dcgm;

/// <summary>The DCGM parts wired as the agent wires them, over the real nsenter runner into a stand-in host.</summary>
internal static class DcgmTestParts
{
    public static DcgmiClient Client(HostNamespaceFixture host, DcgmOptions options) =>
        new(
            NsenterHostCommandRunnerTests.CreateRunner(host.TargetPid),
            new DcgmiCommandLine(Options.Create(options), Options.Create(new HostToolsOptions())),
            NullLogger<DcgmiClient>.Instance);

    public static DcgmWriteLedger Ledger(string stateDirectory) =>
        new(Options.Create(new AgentOptions { NodeName = "node-a", StateDirectory = stateDirectory }), NullLogger<DcgmWriteLedger>.Instance);

    public static DcgmFieldWriter Writer(DcgmiClient client, DcgmWriteLedger ledger) =>
        new(client, ledger, TimeProvider.System, NullLogger<DcgmFieldWriter>.Instance);
}
