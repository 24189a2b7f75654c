using System.CommandLine;
using System.Globalization;
using FaultCtl.Hosting;
using FaultCtl.Output;

namespace FaultCtl.Xids;

/// <summary><c>faultctl xid-types</c>: the injectable Xids and SXids (<c>GET /api/v1/faults/gpu/xid-types</c>).</summary>
public static class XidTypesCommand
{
    /// <summary>The <c>xid-types</c> command.</summary>
    public static Command Create(CommandActions actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var command = new Command("xid-types", "List the Xids and SXids the agents can write, with severity and recommended action.");
        actions.Set(command, async (context, _, cancellationToken) =>
        {
            var catalog = await context.Client.GetXidTypesAsync(cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                JsonOutput.Write(context.Output, catalog, CliJsonContext.Default.XidCatalog);
                return ExitCodes.Success;
            }

            var table = new Table("KIND", "CODE", "SEVERITY", "ACTION", "NAME");
            foreach (var xid in catalog.Xids)
            {
                table.Add("xid", xid.Xid.ToString(CultureInfo.InvariantCulture), xid.Severity, xid.RecommendedAction, xid.Name);
            }

            foreach (var sxid in catalog.Sxids)
            {
                table.Add("sxid", sxid.Sxid.ToString(CultureInfo.InvariantCulture), sxid.Fatal ? "fatal" : "non-fatal", sxid.RecommendedAction, sxid.Name);
            }

            table.WriteTo(context.Output);
            return ExitCodes.Success;
        });
        return command;
    }
}
