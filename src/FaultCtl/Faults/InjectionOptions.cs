using System.CommandLine;
using FaultCtl.Hosting;

namespace FaultCtl.Faults;

/// <summary>The options both <c>inject xid</c> and <c>inject sxid</c> take: where, how long, and the request's own settings.</summary>
public sealed class InjectionOptions
{
    /// <summary><c>--node</c>: one node.</summary>
    public Option<string?> Node { get; } = new("--node", "-n") { Description = "The node to inject on (one of --node or --selector).", HelpName = "node" };

    /// <summary><c>--selector</c>: k nodes matching a label selector.</summary>
    public Option<string?> Selector { get; } = new("--selector", "-l") { Description = "Inject on --count nodes matching this Kubernetes label selector (e.g. pool=a), picked from the idempotency key.", HelpName = "selector" };

    /// <summary><c>--count</c> with <c>--selector</c>.</summary>
    public Option<int?> Count { get; } = new("--count") { Description = "With --selector: how many matching nodes (default 1).", HelpName = "k" };

    /// <summary><c>--ttl</c>: the fault's duration.</summary>
    public Option<TimeSpan?> Ttl { get; } = OptionFactory.Duration("--ttl", "How long the fault stays active before the agent expires it (600, 90s, 10m, 1h30m); default: until cleared.");

    /// <summary><c>--message</c>.</summary>
    public Option<string?> Message { get; } = new("--message", "-m") { Description = "The text after the number (default: the catalog's message).", HelpName = "text" };

    /// <summary><c>--fault-id</c>.</summary>
    public Option<string?> FaultId { get; } = new("--fault-id") { Description = "The fault's own id ([A-Za-z0-9._-], at most 128); with --selector it becomes <id>-<node>.", HelpName = "id" };

    /// <summary><c>--dry-run</c>.</summary>
    public Option<bool> DryRun { get; } = new("--dry-run") { Description = "Show the exact records that would be written; write and record nothing." };

    /// <summary><c>--idempotency-key</c>.</summary>
    public Option<string?> IdempotencyKey { get; } = new("--idempotency-key") { Description = "A retry with the same key writes nothing and returns the first result (and picks the same nodes).", HelpName = "key" };

    /// <summary><c>--omit-companion-records</c>.</summary>
    public Option<bool> OmitCompanionRecords { get; } = new("--omit-companion-records") { Description = "Write the line alone: no preamble or follow-up records." };

    /// <summary><c>--collect-bug-report</c>.</summary>
    public Option<bool> CollectBugReport { get; } = new("--collect-bug-report") { Description = "After the injection, start nvidia-bug-report.sh on the node (the fault names the report)." };

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(Node);
        command.Add(Selector);
        command.Add(Count);
        command.Add(Ttl);
        command.Add(Message);
        command.Add(FaultId);
        command.Add(DryRun);
        command.Add(IdempotencyKey);
        command.Add(OmitCompanionRecords);
        command.Add(CollectBugReport);
    }

    /// <summary>The node, or the selector and count: exactly one of <c>--node</c> and <c>--selector</c>, <c>--count</c> only with a selector.</summary>
    public (string? Node, string? Selector, int Count) Target(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var node = parseResult.GetValue(Node);
        var selector = parseResult.GetValue(Selector);
        var count = parseResult.GetValue(Count);
        if (string.IsNullOrEmpty(node) == string.IsNullOrEmpty(selector))
        {
            throw new UsageException("Give exactly one of --node <node> or --selector <label selector>.");
        }

        if (count is not null && selector is null)
        {
            throw new UsageException("--count goes with --selector.");
        }

        return (node, selector, count ?? 1);
    }
}
