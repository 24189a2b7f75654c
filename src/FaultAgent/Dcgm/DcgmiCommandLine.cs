using System.Globalization;
using FaultAgent.HostProcesses;
using Microsoft.Extensions.Options;

namespace FaultAgent.Dcgm;

/// <summary>
/// The dcgmi commands the agent runs, as argument lists (never a shell string): <c>discovery -l</c>,
/// <c>dmon -e &lt;field&gt; -i &lt;gpu&gt; -c 1</c> and <c>test --inject --gpuid &lt;gpu&gt; -f &lt;field&gt; -v &lt;value&gt;</c>
/// (<c>--gpuid</c> has no short form in <c>test</c>), each with <c>--host &lt;address&gt;</c> when
/// <c>Agent:Dcgm:HostEngineAddress</c> is set, and under <c>chroot &lt;root&gt;</c> when <c>Agent:Dcgm:DriverRoot</c> is.
/// </summary>
public sealed class DcgmiCommandLine(IOptions<DcgmOptions> options, IOptions<HostToolsOptions> tools)
{
    /// <summary>The most bytes kept of each of dcgmi's stdout and stderr (a 16-GPU discovery table is about 5 KB).</summary>
    public const int MaxOutputBytes = 256 * 1024;

    /// <summary>The hostengine as dcgmi is told it; empty: dcgmi's default (localhost).</summary>
    public string HostEngine => options.Value.HostEngineAddress;

    public HostCommand Discovery() => Build(["discovery", "-l"]);

    public HostCommand ReadField(int dcgmGpuId, int fieldId) =>
        Build(["dmon", "-e", Text(fieldId), "-i", Text(dcgmGpuId), "-c", "1"]);

    public HostCommand Inject(int dcgmGpuId, int fieldId, long value) =>
        Build(["test", "--inject", "--gpuid", Text(dcgmGpuId), "-f", Text(fieldId), "-v", Text(value)]);

    private HostCommand Build(List<string> arguments)
    {
        var dcgm = options.Value;
        if (dcgm.HostEngineAddress.Length > 0)
        {
            arguments.Add("--host");
            arguments.Add(dcgm.HostEngineAddress);
        }

        var command = dcgm.DriverRoot.Length > 0
            ? new HostCommand(tools.Value.ChrootPath, [dcgm.DriverRoot, dcgm.DcgmiPath, .. arguments], dcgm.CommandTimeout)
            : new HostCommand(dcgm.DcgmiPath, arguments, dcgm.CommandTimeout);
        return command with { MaxOutputBytes = MaxOutputBytes };
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
