using Microsoft.Extensions.Options;

namespace FaultApi.Routing;

/// <summary>Checks what data annotations cannot: static addresses, the label selector's syntax, backoff order.</summary>
public sealed class RoutingOptionsValidator : IValidateOptions<RoutingOptions>
{
    public ValidateOptionsResult Validate(string? name, RoutingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!LabelSelector.TryParse(options.AgentLabelSelector, out _, out var selectorError))
        {
            failures.Add($"Routing:AgentLabelSelector '{options.AgentLabelSelector}' is not a label selector: {selectorError}");
        }

        if (options.WatchBackoffMaxMilliseconds < options.WatchBackoffInitialMilliseconds)
        {
            failures.Add("Routing:WatchBackoffMaxMilliseconds must not be less than Routing:WatchBackoffInitialMilliseconds.");
        }

        if (options.Mode == RoutingMode.Static)
        {
            if (options.Static.Nodes.Count == 0)
            {
                failures.Add("Routing:Mode is Static but Routing:Static:Nodes names no node (Routing:Static:Nodes:<node-name> = http://host:port).");
            }

            foreach (var (node, address) in options.Static.Nodes)
            {
                if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                {
                    failures.Add($"Routing:Static:Nodes:{node} = '{address}' is not an http:// or https:// address.");
                }
            }

            foreach (var node in options.Static.Labels.Keys)
            {
                if (!options.Static.Nodes.ContainsKey(node))
                {
                    failures.Add($"Routing:Static:Labels:{node} names a node that Routing:Static:Nodes does not list.");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
