using System.Text.RegularExpressions;

namespace FaultAgent.Telemetry;

/// <summary>Recognises nvidia-smi's answer to a query field it does not know: <c>Field "x" is not a valid field to query.</c></summary>
public static partial class NvidiaSmiInvalidField
{
    public static bool TryFind(string output, out string field)
    {
        var match = Pattern().Match(output ?? "");
        field = match.Success ? match.Groups[1].Value : "";
        return match.Success;
    }

    [GeneratedRegex("Field \"([^\"]+)\" is not a valid field to query", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
