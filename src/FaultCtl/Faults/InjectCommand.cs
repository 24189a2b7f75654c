using System.CommandLine;
using FaultCtl.Hosting;
using FaultCtl.Output;
using FaultInjection.Client.Faults;

namespace FaultCtl.Faults;

/// <summary><c>faultctl inject xid|sxid</c>: <c>POST /api/v1/faults/gpu/inject/xid-{n}</c> and <c>sxid-{n}</c>.</summary>
public static class InjectCommand
{
    /// <summary>The <c>inject</c> command with its <c>xid</c> and <c>sxid</c> subcommands.</summary>
    public static Command Create(CommandActions actions) => new("inject", "Write an NVIDIA Xid (GPU) or SXid (NVSwitch) line into a node's kernel log, as the driver prints it.")
    {
        CreateXid(actions),
        CreateSxid(actions),
    };

    private static Command CreateXid(CommandActions actions)
    {
        var xid = new Argument<int>("xid") { Description = "The Xid (1 to 999), e.g. 79 (GPU has fallen off the bus)." };
        var target = new InjectionOptions();
        var gpu = new Option<int>("--gpu", "-g") { Description = "The GPU's Device Minor (0 to 247).", DefaultValueFactory = _ => 0, HelpName = "id" };
        var companionLines = new Option<bool>("--companion-lines") { Description = "Also write the lines the driver prints with it (GPU at PCI..., fallen off the bus)." };
        var processName = new Option<string?>("--process-name") { Description = "The process the driver names (at most 15 characters).", HelpName = "comm" };
        var pid = new Option<long?>("--pid") { Description = "Its pid (0 to 4194304).", HelpName = "pid" };
        var driverVersion = new Option<string?>("--driver-version") { Description = "Write the line form of this driver (535.161.08, 570); default: the node's driver.", HelpName = "version" };
        var gpuInstance = new Option<int?>("--gpu-instance") { Description = "MIG GPU instance the line names (GPU-I); one of the node's (faultctl nodes).", HelpName = "id" };
        var computeInstance = new Option<int?>("--compute-instance") { Description = "MIG compute instance of that GPU instance (GPU-CI).", HelpName = "id" };
        var channel = OptionFactory.Word("--channel", "The channel printed as 'Ch %08x' by the messages that name one (decimal or 0x hex).");
        var previousXid = new Option<int?>("--previous-xid") { Description = "Xid 45 (drivers from 570.123.01): 'caused by previous Xid N'.", HelpName = "xid" };
        var probe = new Option<bool>("--fallen-off-bus-probe") { Description = "Xid 79: also write the probe-time 'fallen off the bus and is not responding' record." };
        var surface = OptionFactory.Surface();
        var command = new Command("xid", "Inject an Xid on a GPU: faultctl inject xid 79 --node gpu-node-001 --gpu 0 [--ttl 10m].") { xid };
        target.AddTo(command);
        command.Add(gpu);
        command.Add(companionLines);
        command.Add(processName);
        command.Add(pid);
        command.Add(driverVersion);
        command.Add(gpuInstance);
        command.Add(computeInstance);
        command.Add(channel);
        command.Add(previousXid);
        command.Add(probe);
        command.Add(surface);
        actions.Set(command, async (context, parse, cancellationToken) =>
        {
            var (node, selector, count) = target.Target(parse);
            var options = new XidInjectionOptions
            {
                Message = parse.GetValue(target.Message),
                Duration = parse.GetValue(target.Ttl),
                DryRun = parse.GetValue(target.DryRun),
                FaultId = parse.GetValue(target.FaultId),
                IdempotencyKey = parse.GetValue(target.IdempotencyKey),
                OmitCompanionRecords = parse.GetValue(target.OmitCompanionRecords),
                CollectBugReport = parse.GetValue(target.CollectBugReport),
                CompanionLines = parse.GetValue(companionLines),
                ProcessName = parse.GetValue(processName),
                Pid = parse.GetValue(pid),
                DriverVersion = parse.GetValue(driverVersion),
                GpuInstance = parse.GetValue(gpuInstance),
                ComputeInstance = parse.GetValue(computeInstance),
                Channel = parse.GetValue(channel),
                PreviousXid = parse.GetValue(previousXid),
                FallenOffBusProbe = parse.GetValue(probe),
                Surfaces = OptionFactory.Surfaces(parse, surface),
            };
            var code = parse.GetValue(xid);
            var gpuId = parse.GetValue(gpu);
            if (node is not null)
            {
                var handle = await context.Client.InjectXidAsync(node, code, gpuId, options, cancellationToken).ConfigureAwait(false);
                return Write(context, handle.Result);
            }

            return Write(context, await context.Client.InjectXidOnNodesAsync(selector!, count, code, gpuId, options, cancellationToken).ConfigureAwait(false));
        });
        return command;
    }

    private static Command CreateSxid(CommandActions actions)
    {
        var sxid = new Argument<int>("sxid") { Description = "The SXid (1 to 99999), e.g. 12028 (NVLink link down)." };
        var target = new InjectionOptions();
        var nvswitch = new Option<int>("--nvswitch") { Description = "The N of nvidia-nvswitchN (0 to 63; faultctl nodes lists them).", Required = true, HelpName = "n" };
        var link = new Option<int>("--link") { Description = "The NVLink port on that switch (0 to 99).", Required = true, HelpName = "port" };
        var pciBusId = new Option<string?>("--pci-bus-id") { Description = "The NVSwitch's PCI bus id (dddd:bb:dd.f); default: the agent's nvidia-nvswitchN.", HelpName = "id" };
        var first = new Option<bool>("--first") { Description = "Mark it ' (First)', as the driver marks the first error of a burst." };
        var errorClass = new Option<string?>("--error-class") { Description = "Fatal, Non-fatal or Correctable (default: the catalog's).", HelpName = "class" };
        var data = OptionFactory.Words("--data", "The words of the follow-up 'Data {...}' lines: the flags, then data[0..15] (decimal or 0x hex; repeat or separate with commas).");
        var command = new Command("sxid", "Inject an SXid on an NVSwitch link: faultctl inject sxid 12028 --node gpu-node-001 --nvswitch 0 --link 3.") { sxid };
        target.AddTo(command);
        command.Add(nvswitch);
        command.Add(link);
        command.Add(pciBusId);
        command.Add(first);
        command.Add(errorClass);
        command.Add(data);
        actions.Set(command, async (context, parse, cancellationToken) =>
        {
            var (node, selector, count) = target.Target(parse);
            var words = parse.GetValue(data);
            var options = new SxidInjectionOptions
            {
                Message = parse.GetValue(target.Message),
                Duration = parse.GetValue(target.Ttl),
                DryRun = parse.GetValue(target.DryRun),
                FaultId = parse.GetValue(target.FaultId),
                IdempotencyKey = parse.GetValue(target.IdempotencyKey),
                OmitCompanionRecords = parse.GetValue(target.OmitCompanionRecords),
                CollectBugReport = parse.GetValue(target.CollectBugReport),
                PciBusId = parse.GetValue(pciBusId),
                First = parse.GetValue(first),
                ErrorClass = parse.GetValue(errorClass),
                Data = words is { Length: > 0 } ? words : null,
            };
            var code = parse.GetValue(sxid);
            if (node is not null)
            {
                var handle = await context.Client.InjectSxidAsync(node, code, parse.GetValue(nvswitch), parse.GetValue(link), options, cancellationToken).ConfigureAwait(false);
                return Write(context, handle.Result);
            }

            return Write(context, await context.Client.InjectSxidOnNodesAsync(selector!, count, code, parse.GetValue(nvswitch), parse.GetValue(link), options, cancellationToken).ConfigureAwait(false));
        });
        return command;
    }

    private static int Write(CommandContext context, Fault fault)
    {
        if (context.Json)
        {
            JsonOutput.Write(context.Output, fault, CliJsonContext.Default.Fault);
        }
        else
        {
            FaultTable.WriteInjected(context.Output, [fault]);
            WriteNotes(context, fault);
        }

        return ExitCodes.Success;
    }

    private static int Write(CommandContext context, MultiInjection injection)
    {
        if (context.Json)
        {
            JsonOutput.Write(context.Output, injection, CliJsonContext.Default.MultiInjection);
        }
        else
        {
            FaultTable.WriteInjected(context.Output, injection.Faults);
            foreach (var fault in injection.Faults)
            {
                WriteNotes(context, fault);
            }
        }

        return ExitCodes.Success;
    }

    private static void WriteNotes(CommandContext context, Fault fault)
    {
        foreach (var note in fault.Notes)
        {
            context.Warn($"{fault.FaultId}: {note}");
        }

        if (!string.IsNullOrEmpty(fault.BugReportError))
        {
            context.Warn($"{fault.FaultId}: no bug report: {fault.BugReportError}");
        }
    }
}
