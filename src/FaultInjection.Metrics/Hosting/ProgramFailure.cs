using Microsoft.Extensions.Options;

namespace FaultInjection.Hosting;

/// <summary>
/// What the process does with an exception nothing caught (a setting that fails validation, an unreadable token file or
/// kubeconfig, a port already bound): it prints why to stderr and exits with <see cref="ExitCode"/>. Left to the runtime,
/// the process aborts instead (SIGABRT, exit code 134, "Unhandled exception." and a stack trace), which on a node can
/// write a core dump on every restart of a crash-looping pod. The test host factories run Program on a thread of their
/// own and catch what it throws, so the handler never sees their failures. Both programs install it (FaultApi and
/// FaultAgent), each first thing in Program, naming itself: every line reads <c>&lt;program&gt; cannot run: &lt;why&gt;</c>.
/// </summary>
public static class ProgramFailure
{
    /// <summary>The exit code of a process that could not run (or stopped on an exception nothing caught).</summary>
    public const int ExitCode = 1;

    private static int _installed;

    /// <summary>
    /// Installs the handler once per process: an unhandled exception is reported under <paramref name="program"/>'s name
    /// and the process exits.
    /// </summary>
    public static void ExitInsteadOfAbort(string program)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(program);
        if (Interlocked.Exchange(ref _installed, 1) == 0)
        {
            AppDomain.CurrentDomain.UnhandledException += (_, e) =>
            {
                Report(program, e.ExceptionObject as Exception ?? new InvalidOperationException(e.ExceptionObject.ToString()), Console.Error);
                Environment.Exit(ExitCode);
            };
        }
    }

    /// <summary>
    /// Writes one line per failed setting (its own message, from every options type that failed), or the exception's
    /// message and then the exception itself for anything else.
    /// </summary>
    public static void Report(string program, Exception exception, TextWriter error)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(program);
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(error);
        var failures = Validation(exception);
        if (failures is not null)
        {
            foreach (var failure in failures)
            {
                error.WriteLine($"{program} cannot run: {failure}");
            }
        }
        else
        {
            error.WriteLine($"{program} cannot run: {exception.Message}");
            error.WriteLine(exception);
        }

        error.Flush();
    }

    /// <summary>The failures of a validation exception, or of an aggregate of them (ValidateOnStart with several failing options types).</summary>
    private static IEnumerable<string>? Validation(Exception exception) => exception switch
    {
        OptionsValidationException validation => validation.Failures,
        AggregateException aggregate when aggregate.InnerExceptions.All(e => e is OptionsValidationException) =>
            aggregate.InnerExceptions.SelectMany(e => ((OptionsValidationException)e).Failures),
        _ => null,
    };
}
