using System.Globalization;
using System.Text;
using System.Text.Json;
using FaultInjection.Client;

namespace FaultCtl.Output;

/// <summary>
/// An API error as ONE line: <c>409 Conflict: detail; errors: field: message; ... (node_name: n, reason: R)</c> — the
/// status, title and detail, every field error, and the extensions a person acts on.
/// </summary>
public static class ProblemLine
{
    private static readonly string[] ShownExtensions = ["node_name", "reason", "grpc_status", "stopped_by", "host_engine"];

    /// <summary>The one line for <paramref name="problem"/>.</summary>
    public static string Of(FaultInjectionApiException problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var line = new StringBuilder();
        line.Append(problem.Status.ToString(CultureInfo.InvariantCulture));
        line.Append(' ').Append(string.IsNullOrWhiteSpace(problem.Title) ? "Error" : OneLine.Of(problem.Title));
        if (!string.IsNullOrWhiteSpace(problem.Detail))
        {
            line.Append(": ").Append(OneLine.Of(problem.Detail));
        }
        else if (problem.Title is null && problem.ResponseBody.Length > 0)
        {
            line.Append(": ").Append(OneLine.Of(problem.ResponseBody.Length > 200 ? problem.ResponseBody[..200] + "..." : problem.ResponseBody));
        }

        if (problem.Errors.Count > 0)
        {
            line.Append("; errors: ").AppendJoin("; ", problem.Errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{OneLine.Of(e.Key)}: {OneLine.Of(string.Join(" ", e.Value))}"));
        }

        var extensions = ShownExtensions
            .Where(problem.Extensions.ContainsKey)
            .Select(name => $"{name}: {OneLine.Of(Text(problem.Extensions[name]))}")
            .ToList();
        if (extensions.Count > 0)
        {
            line.Append(" (").AppendJoin(", ", extensions).Append(')');
        }

        return line.ToString();
    }

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText();
}
