using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace FaultInjection.Benchmarks;

/// <summary>A product process started by the benchmark (dotnet &lt;dll&gt; args), its output kept, killed on dispose.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public ChildProcess(string program, IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");

        // BENCH_CLIENT_SPIN_LIMIT (benchmarks/run.sh) sets the thread pool's spin for the benchmark process alone: the
        // product processes keep their own default unless BENCH_CHILD_ENV names it.
        if (Environment.GetEnvironmentVariable("BENCH_CLIENT_SPIN_LIMIT") is { Length: > 0 })
        {
            start.Environment.Remove("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit");
        }

        // BENCH_CHILD_ENV="K=V;K=V" (e.g. DOTNET_gcServer=0) is applied to every product process, to compare runtime settings.
        foreach (var pair in (Environment.GetEnvironmentVariable("BENCH_CHILD_ENV") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            start.Environment[parts[0]] = parts.Length > 1 ? parts[1] : "";
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        Started = Stopwatch.StartNew();
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Stopwatch Started { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Resident set size in MB (VmRSS of /proc/PID/status).</summary>
    public double RssMegabytes => ReadRssMegabytes(Pid);

    /// <summary>CPU time the process used so far (user + system, all threads), in ms: fields 14 and 15 of /proc/PID/stat.</summary>
    public static double CpuMilliseconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After the command: state is field 3, so utime (14) and stime (15) are at 11 and 12; clock ticks of 1/100 s.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    public static double ReadRssMegabytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kb / 1024.0;
            }
        }

        throw new InvalidOperationException($"no VmRSS for {pid}");
    }

    /// <summary>Polls <paramref name="url"/> until it answers 2xx; returns the time since the process started.</summary>
    public async Task<TimeSpan> WaitReadyAsync(HttpClient http, Uri url, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(http);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"process exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return Started.Elapsed;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"{url} not ready after {timeout}:\n{Output}");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>SIGTERM (a graceful stop: the process runs its exit handlers), then waits up to 30 s for the exit.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException($"process {Pid} did not exit within 30 s of SIGTERM");
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 1_000_000)
            {
                _output.AppendLine(line);
            }
        }
    }
}
