using System.Text;

namespace FaultApi.Tests.Cli;

/// <summary>faultctl's standard output in a test: keeps what was written and signals once a line holding <c>mark</c> was flushed.</summary>
public sealed class SignallingWriter(string? mark) : StringWriter
{
    /// <summary>Completed once a flushed output holds <c>mark</c>.</summary>
    public TaskCompletionSource Seen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override void Flush()
    {
        base.Flush();
        if (mark is not null && ToString().Contains(mark, StringComparison.Ordinal))
        {
            Seen.TrySetResult();
        }
    }

    public override Encoding Encoding => Encoding.UTF8;
}
