using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace FaultApi.Faults;

/// <summary>
/// Benchmark-only wall-time phases of one API injection (<see cref="InjectionPhase"/>), on when the environment variable
/// <see cref="FileVariable"/> names a file and off otherwise (then every call is one test of a static field). A request
/// starts at the first middleware (<see cref="InjectionProfileStartupFilter"/>); each <see cref="Lap"/> gives the time
/// since the previous one to its phase, so the phases add up to the request's whole time in the pipeline, kept beside
/// them. Only requests that reached an inject handler (<see cref="Lap"/> of <see cref="InjectionPhase.Validation"/>)
/// are kept. The laps of the request under way live in one static slot, so the figures are right only for injections
/// made one at a time (the benchmark's API profile phase: sequential requests). At process exit (SIGTERM) every kept
/// request is written to the file, one line each, microseconds, tab-separated, under a header of the phase names and
/// <c>Request</c>. The agent's own spans are FaultAgent's <c>FAULT_AGENT_PROFILE_FILE</c>. Never set it in production.
/// </summary>
public static class InjectionProfile
{
    /// <summary>The environment variable that turns the profile on and names its output file.</summary>
    public const string FileVariable = "FAULT_API_PROFILE_FILE";

    private static readonly int PhaseCount = Enum.GetValues<InjectionPhase>().Length;
    private static readonly string? OutputFile = Environment.GetEnvironmentVariable(FileVariable) is { Length: > 0 } file ? file : null;
    private static readonly long[] Current = new long[PhaseCount];
    private static readonly List<long[]> Samples = [];
    private static long _started;
    private static long _last;
    private static bool _injection;

    static InjectionProfile()
    {
        if (OutputFile is not null)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Write();
        }
    }

    /// <summary>True when the profile is on.</summary>
    public static bool Enabled => OutputFile is not null;

    /// <summary>Starts a request's laps (the first middleware).</summary>
    public static void Begin()
    {
        if (OutputFile is null)
        {
            return;
        }

        Array.Clear(Current);
        _injection = false;
        _started = _last = Stopwatch.GetTimestamp();
    }

    /// <summary>Gives the time since the previous lap to <paramref name="phase"/> of the request under way.</summary>
    public static void Lap(InjectionPhase phase)
    {
        if (OutputFile is null || _started == 0)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        Current[(int)phase] += now - _last;
        _last = now;
        _injection |= phase == InjectionPhase.Validation;
    }

    /// <summary>Ends the request (the first middleware, after the response) and keeps it when it was an injection.</summary>
    public static void Complete()
    {
        if (OutputFile is null || _started == 0)
        {
            return;
        }

        Lap(InjectionPhase.ResponseWrite);
        if (_injection)
        {
            var sample = new long[PhaseCount + 1];
            Array.Copy(Current, sample, PhaseCount);
            sample[PhaseCount] = _last - _started;
            lock (Samples)
            {
                Samples.Add(sample);
            }
        }

        _started = 0;
    }

    private static void Write()
    {
        var text = new StringBuilder();
        text.AppendJoin('\t', Enum.GetNames<InjectionPhase>()).Append("\tRequest\n");
        lock (Samples)
        {
            foreach (var sample in Samples)
            {
                text.AppendJoin('\t', sample.Select(t => (t * 1_000_000.0 / Stopwatch.Frequency).ToString("0.0", CultureInfo.InvariantCulture))).Append('\n');
            }
        }

        File.WriteAllText(OutputFile!, text.ToString());
    }
}
