using FaultCtl.Output;
using FaultInjection.Client;

namespace FaultCtl.Hosting;

/// <summary>What a command's action works with: the client, where to write, in which format.</summary>
public sealed class CommandContext(FaultInjectionClient client, OutputFormat format, TextWriter output, TextWriter error)
{
    /// <summary>The API's client (address and token from the environment or <c>--api</c>).</summary>
    public FaultInjectionClient Client { get; } = client;

    /// <summary>The <c>--output</c> format.</summary>
    public OutputFormat Format { get; } = format;

    /// <summary>Standard output: the result.</summary>
    public TextWriter Output { get; } = output;

    /// <summary>Standard error: warnings (nodes that did not answer), progress, the one-line error.</summary>
    public TextWriter Error { get; } = error;

    /// <summary>True for <c>--output json</c>.</summary>
    public bool Json => Format == OutputFormat.Json;

    /// <summary>Writes one warning line on stderr.</summary>
    public void Warn(string message) => Error.WriteLine($"warning: {OneLine.Of(message)}");
}
