using System.CommandLine;
using FaultCtl.Output;

namespace FaultCtl.Hosting;

/// <summary>The options every command takes: <c>--api</c> and <c>--output</c>.</summary>
public static class GlobalOptions
{
    /// <summary><c>--api URL</c>: the API's base address, instead of <c>FAULT_INJECTION_API</c>.</summary>
    public static Option<Uri?> Api { get; } = new("--api")
    {
        Description = "The FaultApi's address (default: $FAULT_INJECTION_API, else http://localhost:8080). The token is always read from $FAULT_INJECTION_TOKEN.",
        HelpName = "url",
        Recursive = true,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                return uri;
            }

            result.AddError($"--api '{text}' is not an http(s) address such as http://localhost:8080.");
            return null;
        },
    };

    /// <summary><c>--output table|json</c>.</summary>
    public static Option<OutputFormat> Output { get; } = new("--output", "-o")
    {
        Description = "table (aligned columns, the default) or json (the API's answer; a followed drill prints one JSON object a line).",
        HelpName = "table|json",
        Recursive = true,
        DefaultValueFactory = _ => OutputFormat.Table,
    };
}
