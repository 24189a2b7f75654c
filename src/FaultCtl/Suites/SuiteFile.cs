using System.Text.Json;
using System.Text.Json.Nodes;
using FaultCtl.Hosting;
using FaultInjection.Client.Suites;

namespace FaultCtl.Suites;

/// <summary>
/// A suite file: the body of <c>POST /api/v1/suites</c> as YAML (<c>.yaml</c>, <c>.yml</c>, anything else) or JSON
/// (<c>.json</c>), <c>-</c> for standard input. A field the API does not know (a typo such as <c>expects</c>) is refused
/// here with its path, before anything is sent; the API checks the values.
/// </summary>
public static class SuiteFile
{
    /// <summary>Reads <paramref name="path"/> into a suite request; a <see cref="UsageException"/> saying what is wrong and where.</summary>
    public static async Task<SuiteRequest> ReadAsync(string path, TextReader standardInput, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(standardInput);
        string text;
        try
        {
            text = path == "-"
                ? await standardInput.ReadToEndAsync(cancellationToken).ConfigureAwait(false)
                : await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the suite file {path}: {e.Message}", e);
        }

        return Parse(text, path);
    }

    /// <summary>Parses a suite file's <paramref name="text"/> (<paramref name="path"/> names it in errors and says JSON or YAML).</summary>
    public static SuiteRequest Parse(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(path);
        JsonNode? node;
        try
        {
            node = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                ? JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })
                : YamlJson.Parse(text);
        }
        catch (Exception e) when (e is InvalidDataException or JsonException)
        {
            throw new UsageException($"{path} is not a valid suite file: {e.Message}", e);
        }

        if (node is not JsonObject)
        {
            throw new UsageException($"{path} is not a suite: expected a mapping with drills (and name, concurrency, stop_on_failure, from_profile).");
        }

        try
        {
            return node.Deserialize(SuiteFileJsonContext.Default.SuiteRequest)
                ?? throw new UsageException($"{path} is empty.");
        }
        catch (JsonException e)
        {
            throw new UsageException($"{path}: {Describe(e)}", e);
        }
    }

    private static string Describe(JsonException e)
    {
        var where = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $"at {e.Path.TrimStart('$', '.')}: ";
        var message = e.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            var start = message.IndexOf('\'', StringComparison.Ordinal);
            var end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
            var field = end > start ? message[(start + 1)..end] : "?";
            var path = (e.Path ?? "").TrimStart('$', '.');
            path = path.EndsWith(field, StringComparison.Ordinal) ? path[..^field.Length].TrimEnd('.') : path;
            return $"{(path.Length == 0 ? "" : $"at {path}: ")}unknown field '{field}'";
        }

        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return where + (cut > 0 ? message[..cut] : message);
    }
}
