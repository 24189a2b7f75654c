using System.Globalization;
using FaultAgent.Xids;

namespace FaultAgent.Metrics;

/// <summary>
/// The labels of one injection's <c>fault_agent_injections_total</c> sample, taken only from validated values so that no
/// caller can grow the number of series: <c>code</c> is the Xid/SXid number only when the catalog knows it (<c>other</c>
/// for a valid number it does not, <c>invalid</c> for one out of range); <c>gpu</c> is a GPU's Device Minor or
/// <c>nvswitch&lt;N&gt;</c> only once that GPU or NVSwitch was found on the node, else <c>unknown</c>.
/// </summary>
public sealed class InjectionMetricLabels
{
    public const string Invalid = "invalid";
    public const string Other = "other";
    public const string Unknown = "unknown";

    private InjectionMetricLabels(string kind, string code)
    {
        Kind = kind;
        Code = code;
    }

    public string Kind { get; }

    public string Code { get; }

    public string Gpu { get; private set; } = Unknown;

    public static InjectionMetricLabels ForXid(int xid, XidCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new("xid", xid is < 1 or > 999 ? Invalid : catalog.FindXid(xid) is null ? Other : Number(xid));
    }

    public static InjectionMetricLabels ForSxid(int sxid, XidCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new("sxid", sxid is < 1 or > 99999 ? Invalid : catalog.FindSxid(sxid) is null ? Other : Number(sxid));
    }

    /// <summary>The GPU was found on the node.</summary>
    public void FoundGpu(int deviceMinor) => Gpu = Number(deviceMinor);

    /// <summary>The NVSwitch was found on the node.</summary>
    public void FoundNvSwitch(int instance) => Gpu = "nvswitch" + Number(instance);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
