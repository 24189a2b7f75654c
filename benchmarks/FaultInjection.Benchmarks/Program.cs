// End-to-end benchmarks of the real FaultAgent and FaultApi processes on this machine (as root): see BENCHMARKS.md.
// Usage: dotnet FaultInjection.Benchmarks.dll <repo-root> [configuration]
// Environment: BENCH_LATENCY_COUNT (2000), BENCH_SEED_COUNT (500), BENCH_THROUGHPUT_SECONDS (5), BENCH_CONCURRENCY (16),
// BENCH_FANOUT_AGENTS (1000), BENCH_FANOUT_REQUESTS (30), BENCH_FLOOR_COUNT (1000), BENCH_PROFILE_COUNT (1000),
// BENCH_STRACE_COUNT (200; 0 skips the strace -c window), BENCH_AGENT_EXECUTABLE (the Native AOT agent; unset: dotnet FaultAgent.dll),
// BENCH_FANOUT_CONCURRENCIES (the API's Agents:MaxConcurrency values to compare, "16,<agents>"), BENCH_FANOUT_PARALLEL (4 farm
// apps starting at a time), BENCH_FANOUT_STALL_SECONDS (120: the farm fails when one app is not healthy that long after its start),
// BENCH_API_PROFILE_COUNT (1000 profiled API injections; 0 skips the API's profile and its strace -c window),
// BENCH_API_BASELINE (another build's FaultApi.dll profiled beside this one, in alternating blocks, on the same agent),
// BENCH_API_DLL (the FaultApi.dll every API phase runs; unset: the Release build's),
// BENCH_FANOUT_API_VARIANTS (settings of the fan-out API alone compared on one farm: "|" between variants, "K=V;K=V" in one;
// BENCH_API_DLL=<FaultApi.dll> in a variant runs that build of the API instead of this one),
// BENCH_FANOUT_HOLD_SECONDS (0: the fan-out API left idle that long after its gathers, for tools, then its RSS read again),
// BENCH_PROFILE_PERF (a file: `perf record -a` of ext4's fsyncs, jbd2's commits, block requests and scheduler switches over the
// profile's measured loop), BENCH_PROFILE_KEEP (a directory: the profile's spans with each call's round trip and client GC pause are copied there, and
// the latency API's perf map), BENCH_WARMUP_BLOCK (200 gRPC + 200 API injections per block), BENCH_WARMUP_QUIET_METHODS (2 per block),
// BENCH_WARMUP_QUIET_BLOCKS (2 in a row), BENCH_WARMUP_API_AGE_SECONDS (40), BENCH_WARMUP_SECONDS (60).
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using FaultInjection.Agent.V1;
using FaultInjection.Benchmarks;
using Grpc.Core;
using Grpc.Net.Client;

var root = Path.GetFullPath(args.Length > 0 ? args[0] : ".");
var configuration = args.Length > 1 ? args[1] : "Release";
int Setting(string name, int fallback) => int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out var v) ? v : fallback;
var latencyCount = Setting("BENCH_LATENCY_COUNT", 2000);
var seedCount = Setting("BENCH_SEED_COUNT", 500);
var throughputSeconds = Setting("BENCH_THROUGHPUT_SECONDS", 5);
var concurrency = Setting("BENCH_CONCURRENCY", 16);
var fanoutAgents = Setting("BENCH_FANOUT_AGENTS", 1000);
var fanoutRequests = Setting("BENCH_FANOUT_REQUESTS", 30);
var fanoutParallel = Setting("BENCH_FANOUT_PARALLEL", 4);
var fanoutStallSeconds = Setting("BENCH_FANOUT_STALL_SECONDS", 120);
var floorCount = Setting("BENCH_FLOOR_COUNT", 1000);
var profileCount = Setting("BENCH_PROFILE_COUNT", 1000);
var latencyRepeat = Setting("BENCH_LATENCY_REPEAT", 0);
var straceCount = Setting("BENCH_STRACE_COUNT", 200);
var apiProfileCount = Setting("BENCH_API_PROFILE_COUNT", 1000);
var agentExecutable = Environment.GetEnvironmentVariable("BENCH_AGENT_EXECUTABLE") is { Length: > 0 } native ? Path.GetFullPath(native) : null;

string Dll(string project, string name) => Path.Combine(root, project, "bin", configuration, "net10.0", name);
var agentDll = Dll("src/FaultAgent", "FaultAgent.dll");
var apiDll = Environment.GetEnvironmentVariable("BENCH_API_DLL") is { Length: > 0 } otherBuild ? Path.GetFullPath(otherBuild) : Dll("src/FaultApi", "FaultApi.dll");
var farmDll = Dll("benchmarks/AgentFarm", "AgentFarm.dll");
var procRoot = Path.Combine(root, "samples", "nodes", "gpu-node-001", "proc");
var run = Guid.NewGuid().ToString("N")[..10];
var work = Directory.CreateTempSubdirectory("fault-bench-").FullName;
var token = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + "bench";
var agentTokenFile = Path.Combine(work, "agent-token");
var callerTokenFile = Path.Combine(work, "caller-tokens");
var apiAgentTokenFile = Path.Combine(work, "api-agent-token");
await File.WriteAllTextAsync(apiAgentTokenFile, $"{token}\n");
await File.WriteAllTextAsync(agentTokenFile, $"fault-api:{token}\n");
await File.WriteAllTextAsync(callerTokenFile, $"bench:{token}\n");
var table = new ResultTable();
var children = new List<ChildProcess>();
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
var grpcHeaders = new Metadata { { "authorization", $"Bearer {token}" } };

// A port the OS reports free on the address, never one handed out before in this run: a port is bound by a child only
// later, so the next bind to port 0 may be given the same number (an agent's HTTP port equal to its gRPC port).
var handedOutPorts = new HashSet<IPEndPoint>();
int FreePort(IPAddress address)
{
    while (true)
    {
        int port;
        using (var listener = new TcpListener(address, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        lock (handedOutPorts)
        {
            if (handedOutPorts.Add(new IPEndPoint(address, port)))
            {
                return port;
            }
        }
    }
}

// The agent as it ships (the Native AOT executable, BENCH_AGENT_EXECUTABLE; benchmarks/run.sh publishes it), else the build output.
ChildProcess StartAgent(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
{
    var child = agentExecutable is null
        ? new ChildProcess("dotnet", new[] { agentDll }.Concat(arguments), Path.GetDirectoryName(agentDll), environment)
        : new ChildProcess(agentExecutable, arguments, Path.GetDirectoryName(agentExecutable), environment);
    children.Add(child);
    return child;
}

ChildProcess Start(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
{
    var child = new ChildProcess("dotnet", new[] { dll }.Concat(arguments), Path.GetDirectoryName(dll), environment);
    children.Add(child);
    return child;
}


// The benchmarks measure the write path as fast as it goes, thousands of injections a minute, all left active: the
// node's limits (Agent:Limits, by default 20 injections/s, bursts of 100, 1,000 open faults) are raised out of the way.
string[] unlimitedAgent = ["--Agent:Limits:InjectionsPerSecond=1000000", "--Agent:Limits:InjectionBurst=1000000", "--Agent:Limits:MaxActiveFaults=1000000"];

var kernelLog = new KernelLogTail($"bench-{run}-v ", $"bench-{run}-s ");
Console.WriteLine($"run {run}, {Environment.ProcessorCount} cores, load {ResultTable.LoadAverage()}, work dir {work}, agent {agentExecutable ?? agentDll}");
var target = new ChildProcess("unshare", ["--mount", "--propagation", "private", "sleep", "infinity"]);
children.Add(target);
var ownNamespace = new FileInfo("/proc/self/ns/mnt").LinkTarget;
while (new FileInfo($"/proc/{target.Pid}/ns/mnt").LinkTarget == ownNamespace)
{
    await Task.Delay(5);
}

try
{
    // --- one agent and the API in static routing, both real processes on loopback ---
    var grpcPort = FreePort(IPAddress.Loopback);
    var agentHttpPort = FreePort(IPAddress.Loopback);
    var apiPort = FreePort(IPAddress.Loopback);
    var agentState = Directory.CreateDirectory(Path.Combine(work, "agent-state")).FullName;
    string[] AgentArguments(string state, int grpc, int httpPort) => [
        "--Agent:NodeName=gpu-node-001", $"--Agent:ProcRoot={procRoot}", $"--Agent:TargetPid={target.Pid}",
        $"--Agent:StateDirectory={state}", $"--Agent:TokenFile={agentTokenFile}",
        $"--Kestrel:Endpoints:Http:Url=http://127.0.0.1:{httpPort}", $"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{grpc}",
        "--Logging:LogLevel:Default=Warning", .. unlimitedAgent];
    // At each latency phase's edges (#14): the page cache's dirty/writeback state, and the CPU each process used since
    // the previous reading (an idle API or agent burning CPU would be its JIT, GC or background work, not a request's).
    var disk = DiskState.Read();
    var jitTime = System.Runtime.JitInfo.GetCompilationTime();
    var jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount();
    var gcPause = GC.GetTotalPauseDuration();
    var cpuWatched = new List<(string Name, int Pid, double Last)> { ("benchmark", Environment.ProcessId, ChildProcess.CpuMilliseconds(Environment.ProcessId)) };
    PerfMapJit? apiJit = null;
    // The warm-up's and the settling's quiet: at most this many methods JIT-compiled per block / per 500 ms, in each process.
    var warmupQuiet = Setting("BENCH_WARMUP_QUIET_METHODS", 2);
    using var ownJit = new PerfMapJit(Environment.ProcessId);
    var mapsAtDisk = new Dictionary<PerfMapJit, (int Methods, Dictionary<string, int> ByTier)>();
    void Disk(string where)
    {
        var now = DiskState.Read();
        var cpu = new List<string>();
        for (var k = 0; k < cpuWatched.Count; k++)
        {
            var (name, pid, last) = cpuWatched[k];
            var used = ChildProcess.CpuMilliseconds(pid);
            cpu.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {used - last:0} ms"));
            cpuWatched[k] = (name, pid, used);
        }

        var jitNow = System.Runtime.JitInfo.GetCompilationTime();
        var methodsNow = System.Runtime.JitInfo.GetCompiledMethodCount();
        var pauseNow = GC.GetTotalPauseDuration();
        // The API's JIT since the previous reading, from its perf map (the latency API runs with DOTNET_PerfMapEnabled=3), and
        // the benchmark's own by tier when it runs with a perf map too; each with the map's line count, to find the methods.
        var maps = new List<string>();
        foreach (var (name, map) in new[] { ("the API's JIT since", apiJit), ("the benchmark's own by tier", ownJit) })
        {
            if (map is null)
            {
                continue;
            }

            // Since this function's previous reading of that map (the warm-up and the settling read it in between).
            var (methodsBefore, tiersBefore) = mapsAtDisk.TryGetValue(map, out var earlier) ? earlier : (0, new Dictionary<string, int>());
            if (map.Read())
            {
                maps.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: {map.Since(methodsBefore, tiersBefore)} methods (perf map line {map.Lines})"));
                mapsAtDisk[map] = (map.Methods, map.SnapshotByTier());
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  disk, {where}: {now.Since(disk)}; CPU since: {string.Join(", ", cpu)}; the benchmark's own JIT since: {methodsNow - jitMethods} methods, {(jitNow - jitTime).TotalMilliseconds:0} ms, its GC pauses {(pauseNow - gcPause).TotalMilliseconds:0} ms{string.Concat(maps.Select(m => "; " + m))}"));
        disk = now;
        jitTime = jitNow;
        jitMethods = methodsNow;
        gcPause = pauseNow;
    }

    // The latency phases start once the benchmark's and the API's start-up work is done (#14): both are JIT-compiled
    // dotnet processes, and until this wait the first measured phase ran beside it — the benchmark's recompilation of
    // the warm-up's hot code (2.5–3.1 s of JIT after the warm-up began) and the idle API's CPU: 1.5 s each in a ~1.6 s
    // phase on two cores, against 0.5 and 0.1 s for the same calls later in the run (BENCHMARKS.md, the agenttail section). Waits until every watched process used at most 4 % of a core over
    // 500 ms (/proc's CPU times count 10 ms ticks: at most 2), at most 20 s, and prints how long that took.
    async Task SettleAsync(string where)
    {
        var settle = Stopwatch.StartNew();
        var window = TimeSpan.FromMilliseconds(500);
        var used = new List<string>();
        var (ownJitted, apiJitted) = (0L, 0);
        while (settle.Elapsed < TimeSpan.FromSeconds(20))
        {
            // Since the benchwarm pass also until neither JIT compiled more than the warm-up's quiet count in the window:
            // promotions still queued behind tiered compilation's call-counting delay run on a background thread, and
            // would otherwise run during the phase that follows.
            var ownBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
            apiJit?.Read();
            var apiBefore = apiJit?.Methods ?? 0;
            var before = cpuWatched.Select(w => ChildProcess.CpuMilliseconds(w.Pid)).ToArray();
            await Task.Delay(window);
            var busy = cpuWatched.Select((w, k) => ChildProcess.CpuMilliseconds(w.Pid) - before[k]).ToArray();
            ownJitted = System.Runtime.JitInfo.GetCompiledMethodCount() - ownBefore;
            apiJit?.Read();
            apiJitted = (apiJit?.Methods ?? 0) - apiBefore;
            used = [.. cpuWatched.Select((w, k) => string.Create(CultureInfo.InvariantCulture, $"{w.Name} {busy[k]:0} ms"))];
            if (busy.All(ms => ms <= window.TotalMilliseconds * 0.04) && ownJitted <= warmupQuiet && apiJitted <= warmupQuiet)
            {
                break;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  settled {where} after {settle.Elapsed.TotalSeconds:0.00} s (in the last 500 ms: CPU {string.Join(", ", used)}; JIT: the benchmark {ownJitted} methods, the API {apiJitted})"));
    }

    Disk("before the agent starts");
    var agent = StartAgent(AgentArguments(agentState, grpcPort, agentHttpPort));
    var agentStartup = await agent.WaitReadyAsync(http, new Uri($"http://127.0.0.1:{agentHttpPort}/health"), TimeSpan.FromSeconds(60));
    // An agent refuses real injections until an API confirmed its stop state (README, Emergency stop): push back the state it holds.
    async Task ConfirmStopAsync(int grpc, string host = "127.0.0.1")
    {
        using var confirm = GrpcChannel.ForAddress($"http://{host}:{grpc}");
        var c = new FaultAgent.FaultAgentClient(confirm);
        var held = await c.GetEmergencyStopAsync(new GetEmergencyStopRequest(), grpcHeaders);
        try
        {
            await c.SetEmergencyStopAsync(new SetEmergencyStopRequest { State = held }, grpcHeaders);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument && held.Version == 0)
        {
            // An agent from before the stop confirmation (main 6697d61 and older, measured beside this one) refuses
            // version 0 and needs no confirmation: it injects from its start.
        }
    }

    await ConfirmStopAsync(grpcPort);
    // The warm-up's agent (#14): the warm-up runs until both JITs are quiet (tens of thousands of injections), on a
    // second agent the API routes as node gpu-node-002, so the measured agent holds what the phases made — the same
    // faults as before the warm-up waited for the JITs (its 300 + 300 injections below), not ~40,000 more, which the
    // "agent RSS after load" row would count. The client's and the API's code is the same for either node.
    var warmGrpcPort = FreePort(IPAddress.Loopback);
    var warmHttpPort = FreePort(IPAddress.Loopback);
    var warmState = Directory.CreateDirectory(Path.Combine(work, "warm-agent-state")).FullName;
    var warmAgent = StartAgent([.. AgentArguments(warmState, warmGrpcPort, warmHttpPort).Select(a => a == "--Agent:NodeName=gpu-node-001" ? "--Agent:NodeName=gpu-node-002" : a)]);
    await warmAgent.WaitReadyAsync(http, new Uri($"http://127.0.0.1:{warmHttpPort}/health"), TimeSpan.FromSeconds(60));
    await ConfirmStopAsync(warmGrpcPort);
    string[] ApiArguments(int port, int agentGrpc, string stopFile) => [
        "--urls", $"http://127.0.0.1:{port}", "--Routing:Mode=Static", $"--Routing:Static:Nodes:gpu-node-001=http://127.0.0.1:{agentGrpc}",
        $"--Auth:TokenFile={callerTokenFile}", $"--Agents:TokenFile={apiAgentTokenFile}", $"--Stop:StateFile={Path.Combine(work, stopFile)}",
        "--Logging:LogLevel:Default=Warning"];
    // The latency API writes its perf map (DOTNET_PerfMapEnabled=3: the map alone, one line per method it compiles and per
    // stub block, nothing when it compiles nothing): the warm-up's signal that the API's tier-up is over (PerfMapJit).
    var api = Start(apiDll, [.. ApiArguments(apiPort, grpcPort, "api-stop.json"), $"--Routing:Static:Nodes:gpu-node-002=http://127.0.0.1:{warmGrpcPort}"], new Dictionary<string, string>
    {
        ["DOTNET_PerfMapEnabled"] = "3",
        ["DOTNET_PerfMapShowOptimizationTiers"] = "1",
    });
    apiJit = new PerfMapJit(api.Pid);
    var apiStartup = await api.WaitReadyAsync(http, new Uri($"http://127.0.0.1:{apiPort}/ready"), TimeSpan.FromSeconds(60));
    cpuWatched.Add(("agent", agent.Pid, ChildProcess.CpuMilliseconds(agent.Pid)));
    cpuWatched.Add(("API", api.Pid, ChildProcess.CpuMilliseconds(api.Pid)));
    Console.WriteLine("startup and idle memory:");
    table.Add("agent startup to healthy (process start → GET /health 200)", agentStartup.TotalMilliseconds, "ms");
    table.Add("API startup to ready (process start → GET /ready 200)", apiStartup.TotalMilliseconds, "ms");
    await Task.Delay(TimeSpan.FromSeconds(2));
    var agentIdleRss = agent.RssMegabytes;
    table.Add("agent RSS idle (after start)", agentIdleRss, "MB");
    table.Add("API RSS idle (after start)", api.RssMegabytes, "MB");

    using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
    var client = new FaultAgent.FaultAgentClient(channel);
    var verified = 0;
    async Task<TimeSpan> GrpcInjectAsync(FaultAgent.FaultAgentClient c, string marker)
    {
        var watch = Stopwatch.StartNew();
        var response = await c.InjectXidAsync(new InjectXidRequest { Xid = 79, GpuId = 0, Message = marker }, grpcHeaders);
        var elapsed = watch.Elapsed;
        if (response.Fault.Records.Count == 0 || response.Fault.Records[0].Sequence == 0)
        {
            throw new InvalidOperationException("an injection came back without kernel-log proof");
        }

        Interlocked.Increment(ref verified);
        return elapsed;
    }

    var apiInjectUri = new Uri($"http://127.0.0.1:{apiPort}/api/v1/faults/gpu/inject/xid-79");
    async Task<TimeSpan> ApiInjectAsync(string marker, Uri? uri = null, string node = "gpu-node-001")
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.PostAsJsonAsync(uri ?? apiInjectUri, new { node_name = node, gpu_id = 0, message = marker });
        var body = await response.Content.ReadAsStringAsync();
        var elapsed = watch.Elapsed;
        if (response.StatusCode != HttpStatusCode.OK || !body.Contains("\"sequence\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"API inject failed: {(int)response.StatusCode} {body}");
        }

        Interlocked.Increment(ref verified);
        return elapsed;
    }

    // The latency phases' loops, one method each: the warm-up runs the same code the phases run (the loop, LatencySample,
    // the JIT readings around the loop), so what the JIT compiles for a phase — its first call, its tier-up, an OSR of its
    // loop — is compiled in the warm-up. Each sample carries the JIT of both processes during its loop.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    (long Methods, TimeSpan Time, int Api) JitNow()
    {
        apiJit.Read();
        return (System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime(), apiJit.Methods);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void JitSince(LatencySample sample, (long Methods, TimeSpan Time, int Api) before)
    {
        var now = JitNow();
        sample.ClientJitMethods = now.Methods - before.Methods;
        sample.ClientJitMilliseconds = (now.Time - before.Time).TotalMilliseconds;
        sample.ApiJitMethods = now.Api - before.Api;
    }

    async Task<LatencySample> GrpcPhaseAsync(string name, int count, string marker, FaultAgent.FaultAgentClient? on = null)
    {
        var sample = new LatencySample(name);
        var jit = JitNow();
        var c = on ?? client;
        for (var i = 0; i < count; i++)
        {
            sample.Add(await GrpcInjectAsync(c, $"bench-{run}-v {marker}-{i}"));
        }

        JitSince(sample, jit);
        return sample;
    }

    async Task<LatencySample> ApiPhaseAsync(string name, int count, string marker, string node = "gpu-node-001")
    {
        var sample = new LatencySample(name);
        var jit = JitNow();
        for (var i = 0; i < count; i++)
        {
            sample.Add(await ApiInjectAsync($"bench-{run}-v {marker}-{i}", node: node));
        }

        JitSince(sample, jit);
        return sample;
    }

    void PrintPhaseJit(LatencySample phase) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  JIT during the phase itself (read right before and after its loop): the benchmark {phase.ClientJitMethods} methods ({phase.ClientJitMilliseconds:0} ms), the API {phase.ApiJitMethods} methods"));

    // The warm-up (#14): the benchmark measures the product, not its own tier-up, and a deployed API is warm for days, so
    // the latency phases start after both JIT-compiled processes' tier-up (the agent is Native AOT: no JIT). Blocks of
    // BENCH_WARMUP_BLOCK gRPC then as many API injections, through the phases' own methods, until BENCH_WARMUP_QUIET_BLOCKS
    // blocks in a row in each of which the benchmark compiled at most BENCH_WARMUP_QUIET_METHODS methods (JitInfo) and so did
    // the API (its perf map), and the API is BENCH_WARMUP_API_AGE_SECONDS old, at most BENCH_WARMUP_SECONDS; each block's
    // counts printed after the warm-up. Until 2026-12-05: 300 + 300 interleaved injections, after which the benchmark still
    // compiled 190-1050 methods during the floor and the first phase, most of them the final Tier1 of methods tiered PGO
    // had instrumented. One quiet block is not enough: tiered compilation
    // promotes methods in batches after its call-counting delay, so a block with 0 methods was followed by one with 46
    // (BENCHMARKS.md, 2026-12-05 benchwarm).
    Disk("before the warm-up");
    var warmupBlock = Setting("BENCH_WARMUP_BLOCK", 200);
    var warmupQuietBlocks = Setting("BENCH_WARMUP_QUIET_BLOCKS", 2);
    var warmupCap = TimeSpan.FromSeconds(Setting("BENCH_WARMUP_SECONDS", 60));
    // The API's code that runs on a timer, not per request, is promoted by the API's age: Kestrel's heartbeat (once a
    // second: date header, connection and timeout walks) reached Tier1 at ~28-30 s of the API's life, during its latency
    // phase (36 of the 51 methods the API compiled during its phase in one run): the warm-up also lasts until the API is
    // that old, as a deployed API has long been.
    var warmupApiAge = TimeSpan.FromSeconds(Setting("BENCH_WARMUP_API_AGE_SECONDS", 40));
    // The measured agent's own warm-up, as before the warm-up waited for the JITs: 300 + 300 injections (its connections,
    // its GPU inventory, the API's channel to it).
    for (var i = 0; i < 300; i++)
    {
        await GrpcInjectAsync(client, $"bench-{run}-v warm-grpc-{i}");
        await ApiInjectAsync($"bench-{run}-v warm-api-{i}");
    }

    using var warmChannel = GrpcChannel.ForAddress($"http://127.0.0.1:{warmGrpcPort}");
    var warmClient = new FaultAgent.FaultAgentClient(warmChannel);
    var warmup = Stopwatch.StartNew();
    Console.WriteLine($"warm-up (on the warm-up agent, gpu-node-002: blocks of {warmupBlock} gRPC + {warmupBlock} API injections until, over {warmupQuietBlocks} blocks in a row, the benchmark and the API each JIT-compile at most {warmupQuiet} methods per block, and the API is {warmupApiAge.TotalSeconds:0} s old; at most {warmupCap.TotalSeconds:0} s):");
    var blocks = 0;
    var quietInARow = 0;
    var blockLines = new List<string>(1000);
    var quiet = false;
    while ((!quiet || api.Started.Elapsed < warmupApiAge) && warmup.Elapsed < warmupCap)
    {
        // Per block only what the phases run, two counters and a line kept for the end: code the warm-up runs once per
        // block is call-counted once per block and keeps the JIT busy for dozens of blocks itself (a first version printed
        // each block's percentiles: LINQ's sort promoted a few dozen methods at a time until block 33; with a Console line
        // per block, the console's write path was promoted at blocks ~22 and ~53).
        var blockStart = Stopwatch.GetTimestamp();
        var grpcWarm = await GrpcPhaseAsync("warm-up gRPC", warmupBlock, "warm-grpc", warmClient);
        var apiWarm = await ApiPhaseAsync("warm-up API", warmupBlock, "warm-api", "gpu-node-002");
        var ownCompiled = grpcWarm.ClientJitMethods + apiWarm.ClientJitMethods;
        var apiCompiled = grpcWarm.ApiJitMethods + apiWarm.ApiJitMethods;
        blocks++;
        quietInARow = ownCompiled <= warmupQuiet && apiCompiled <= warmupQuiet ? quietInARow + 1 : 0;
        quiet = quietInARow >= warmupQuietBlocks;
        blockLines.Add($"  block {blocks} ({(int)Stopwatch.GetElapsedTime(blockStart).TotalMilliseconds} ms): the benchmark's JIT {ownCompiled} methods, the API's {apiCompiled}");
    }

    foreach (var line in blockLines)
    {
        Console.WriteLine(line);
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  warm-up: {blocks} blocks ({blocks * warmupBlock} + {blocks * warmupBlock} injections) in {warmup.Elapsed.TotalSeconds:0.0} s, {(quiet ? $"both JITs quiet in the last {warmupQuietBlocks}" : $"NOT quiet within {warmupCap.TotalSeconds:0} s")}, the API {api.Started.Elapsed.TotalSeconds:0.0} s old; the API's perf map: {apiJit.Methods} methods, {apiJit.Stubs} stub blocks"));
    table.Add("warm-up: blocks of gRPC + API injections until both JITs were quiet and the API old enough", blocks, $"x {warmupBlock}+{warmupBlock}{(quiet ? "" : ", cap reached")}");
    table.Add("warm-up: its length", warmup.Elapsed.TotalSeconds, "s");

    // --- the floor: what the disk and the kernel log cost, raw, from this process, right before the latency phases ---
    Console.WriteLine("floor (raw syscalls from this process):");
    await SettleAsync("before the floor");
    Disk("before the floor");
    var floorAppend = HardwareFloor.AppendAndFsync(agentState, floorCount);
    Console.WriteLine("  " + floorAppend);
    var floorKmsg = HardwareFloor.KmsgWriteAndReadBack($"bench-{run}-f", floorCount);
    Console.WriteLine("  " + floorKmsg);
    var floor = floorAppend.Percentile(50) + floorKmsg.Percentile(50);
    table.Add("floor: 200-byte append + fsync p50 (state directory's disk)", floorAppend.Percentile(50), "ms");
    table.Add("floor: /dev/kmsg write + read-back p50", floorKmsg.Percentile(50), "ms");
    table.Add("floor (the two together)", floor, "ms");
    Disk("after the floor");

    Console.WriteLine("latency (sequential, one keep-alive connection, each injection verified by the agent):");
    await SettleAsync("before the gRPC latency phase");
    var grpcLatency = await GrpcPhaseAsync("agent-direct gRPC InjectXid", latencyCount, "grpc");
    PrintPhaseJit(grpcLatency);

    Console.WriteLine("  " + grpcLatency);
    Console.WriteLine("  " + grpcLatency.Blocks(100));
    Disk("after the gRPC latency phase");
    await SettleAsync("before the API latency phase");
    var apiLatency = await ApiPhaseAsync("API POST /api/v1/faults/gpu/inject/xid-79", latencyCount, "api");
    PrintPhaseJit(apiLatency);

    Console.WriteLine("  " + apiLatency);
    Console.WriteLine("  " + apiLatency.Blocks(100));
    Disk("after the API latency phase");

    // BENCH_LATENCY_REPEAT=n: the floor's append + fsync and the gRPC latency phase n times more, right after the API's
    // (printed, not in the table): the same calls as the first phase, minutes later in the same run (#14).
    for (var r = 0; r < latencyRepeat; r++)
    {
        var again = HardwareFloor.AppendAndFsync(agentState, floorCount);
        Console.WriteLine($"  again #{r + 1}: " + again);
        var grpcAgain = await GrpcPhaseAsync($"agent-direct gRPC InjectXid, again #{r + 1}", latencyCount, $"again-{r}");
        PrintPhaseJit(grpcAgain);

        Console.WriteLine("  " + grpcAgain);
        Console.WriteLine("  " + grpcAgain.Blocks(100));
        Disk($"after repeat #{r + 1}");
    }

    // the seed's method: a subprocess per injection, unverified
    var seedLatency = new LatencySample("seed: nsenter ... sh -c \"echo '<line>' > /dev/kmsg\" subprocess");
    for (var i = 0; i < seedCount; i++)
    {
        var line = $"NVRM: Xid (PCI:0000:18:00): 79, pid=4242, name=bench, bench-{run}-s seed-{i}";
        var start = new ProcessStartInfo("nsenter") { UseShellExecute = false };
        foreach (var a in new[] { "--target", target.Pid.ToString(CultureInfo.InvariantCulture), "--mount", "--uts", "--ipc", "--pid", "--", "sh", "-c", $"echo '{line}' > /dev/kmsg" })
        {
            start.ArgumentList.Add(a);
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        seedLatency.Add(watch.Elapsed);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"nsenter exited with {process.ExitCode}");
        }
    }

    Console.WriteLine("  " + seedLatency);
    table.Add("API inject p50 (target: floor + 0.6 ms)", apiLatency.Percentile(50), "ms", Math.Round(floor + 0.6, 3));
    table.Add("API inject p99", apiLatency.Percentile(99), "ms", 3);
    table.Add("agent-direct gRPC inject p50 (target: floor + 0.25 ms)", grpcLatency.Percentile(50), "ms", Math.Round(floor + 0.25, 3));
    table.Add("agent-direct gRPC inject p99", grpcLatency.Percentile(99), "ms", 2);
    table.Add("seed subprocess step p50", seedLatency.Percentile(50), "ms");
    table.Add("seed subprocess step p99", seedLatency.Percentile(99), "ms");
    table.Add("seed step p50 / API inject p50", seedLatency.Percentile(50) / apiLatency.Percentile(50), "x", 4, lowerIsBetter: false);
    table.Add("seed step p50 / gRPC inject p50", seedLatency.Percentile(50) / grpcLatency.Percentile(50), "x");

    // sustained throughput: concurrent gRPC clients, each with its own channel (connection)
    Console.WriteLine($"throughput ({concurrency} concurrent gRPC clients, {throughputSeconds} s):");
    var before = verified;
    var agentMetricsUri = new Uri($"http://127.0.0.1:{agentHttpPort}/metrics");
    var commitsBefore = await GroupCommitCounters.ScrapeAsync(http, agentMetricsUri);
    var agentCpuBefore = ChildProcess.CpuMilliseconds(agent.Pid);
    var stop = Stopwatch.StartNew();
    var duration = TimeSpan.FromSeconds(throughputSeconds);
    var workers = Enumerable.Range(0, concurrency).Select(async w =>
    {
        using var ch = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var c = new FaultAgent.FaultAgentClient(ch);
        var n = 0;
        while (stop.Elapsed < duration)
        {
            await GrpcInjectAsync(c, $"bench-{run}-v tp-{w}-{n++}");
        }
    }).ToArray();
    await Task.WhenAll(workers);
    var elapsed = stop.Elapsed;
    var agentCpu = ChildProcess.CpuMilliseconds(agent.Pid) - agentCpuBefore;
    var throughput = (verified - before) / elapsed.TotalSeconds;
    table.Add("verified injections/s on one agent", throughput, "/s", 2000, lowerIsBetter: false);
    table.Add("throughput phase: agent CPU (user + system) per verified injection", verified > before ? agentCpu / (verified - before) : 0, "ms");

    // Group commit, from the agent's own /metrics: fsyncs of the journal and injections per batch in this phase.
    var commitsAfter = await GroupCommitCounters.ScrapeAsync(http, agentMetricsUri);
    var phaseInjections = verified - before;
    var phaseFsyncs = commitsAfter.Fsyncs - commitsBefore.Fsyncs;
    var phaseBatches = commitsAfter.Batches - commitsBefore.Batches;
    var phaseJournaled = commitsAfter.Injections - commitsBefore.Injections;
    Console.WriteLine($"  group commit: {phaseInjections} verified injections, {phaseJournaled} journaled in {phaseBatches} batches, {phaseFsyncs} journal fsyncs; batches by size: {commitsAfter.DistributionSince(commitsBefore)}");
    table.Add($"throughput phase: journal fsyncs (for {phaseInjections} verified injections)", phaseFsyncs, "fsyncs");
    table.Add("throughput phase: mean injections per group commit (verified injections / fsyncs)", phaseFsyncs > 0 ? phaseInjections / phaseFsyncs : 0, "per fsync");
    var agentLoadedRss = agent.RssMegabytes;
    table.Add("agent RSS after load", agentLoadedRss, "MB", 60);
    // What the reading holds (every verified injection of the run stays an active fault, so the phase's fixed length makes
    // a faster machine's reading higher), and the growth per 1,000 of them: comparable across runs of different counts
    // (BENCHMARKS.md, the agentrss section).
    table.Add("agent active faults at the after-load reading", commitsAfter.FaultsActive, "faults");
    table.Add("agent RSS after load above idle, per 1,000 active faults", commitsAfter.FaultsActive > 0 ? (agentLoadedRss - agentIdleRss) * 1000 / commitsAfter.FaultsActive : 0, "MB");
    table.Add("API RSS after load", api.RssMegabytes, "MB");

    // What the transport alone costs, beside an injection: the agent's cheapest authenticated call (GetEmergencyStop, answered
    // from memory), its anonymous gRPC health check, and on the API its GET /api/v1/stop (one GetEmergencyStop to the agent)
    // and GET /health, taken in alternating blocks of 100 with injections through both paths, so every difference compares.
    // After the throughput phase and its RSS reading, so the reference injections do not change what that reading holds.
    var referenceRounds = Math.Max(1, latencyCount / 100);
    Console.WriteLine($"transport reference (sequential, {referenceRounds} rounds of 100 calls of each, in turns, on the latency phases' connections):");
    var health = new Grpc.Health.V1.Health.HealthClient(channel);
    var apiStopUri = new Uri($"http://127.0.0.1:{apiPort}/api/v1/stop");
    var apiHealthUri = new Uri($"http://127.0.0.1:{apiPort}/health");
    async Task ApiGetAsync(Uri uri)
    {
        using var response = await http.GetAsync(uri);
        _ = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {uri} answered {(int)response.StatusCode}");
        }
    }

    var reference = new AlternatingBlocks();
    var refInject = reference.Add("agent gRPC InjectXid", i => GrpcInjectAsync(client, $"bench-{run}-v ref-grpc-{i}"));
    var refStop = reference.Add("agent gRPC GetEmergencyStop (authenticated, answered from memory)", async _ =>
    {
        var state = await client.GetEmergencyStopAsync(new GetEmergencyStopRequest(), grpcHeaders);
        if (state.Engaged)
        {
            throw new InvalidOperationException("the agent's emergency stop is engaged");
        }
    });
    var refHealth = reference.Add("agent gRPC grpc.health.v1.Health/Check (anonymous)", async _ =>
    {
        var answer = await health.CheckAsync(new Grpc.Health.V1.HealthCheckRequest());
        if (answer.Status != Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving)
        {
            throw new InvalidOperationException($"the agent's health check answered {answer.Status}");
        }
    });
    var refApiInject = reference.Add("API POST /api/v1/faults/gpu/inject/xid-79", i => ApiInjectAsync($"bench-{run}-v ref-api-{i}"));
    var refApiStop = reference.Add("API GET /api/v1/stop (one GetEmergencyStop to the agent)", _ => ApiGetAsync(apiStopUri));
    var refApiHealth = reference.Add("API GET /health (anonymous, no agent call)", _ => ApiGetAsync(apiHealthUri));
    await reference.RunAsync(referenceRounds, 100);
    foreach (var sample in new[] { refInject, refStop, refHealth, refApiInject, refApiStop, refApiHealth })
    {
        Console.WriteLine("  " + sample);
    }

    table.Add("reference: agent gRPC InjectXid p50 (in turns with the rows below)", refInject.Percentile(50), "ms");
    table.Add("reference: agent gRPC GetEmergencyStop p50 (authenticated, from memory: the gRPC call alone)", refStop.Percentile(50), "ms");
    table.Add("reference: agent gRPC health Check p50 (anonymous)", refHealth.Percentile(50), "ms");
    table.Add("reference: InjectXid p50 - GetEmergencyStop p50 (the injection's own work)", refInject.Percentile(50) - refStop.Percentile(50), "ms");
    table.Add("reference: API inject p50 (in turns)", refApiInject.Percentile(50), "ms");
    table.Add("reference: API GET /api/v1/stop p50 (HTTP/1.1 in, one gRPC call out)", refApiStop.Percentile(50), "ms");
    table.Add("reference: API GET /health p50 (HTTP/1.1 alone)", refApiHealth.Percentile(50), "ms");
    table.Add("reference: API GET /api/v1/stop p50 - agent GetEmergencyStop p50 (the API's own hop)", refApiStop.Percentile(50) - refStop.Percentile(50), "ms");

    // spot check: every verified injection and every seed line reached the kernel log (read by our own /dev/kmsg reader)
    var spotDeadline = Stopwatch.StartNew();
    while ((kernelLog.Count($"bench-{run}-v ") < verified || kernelLog.Count($"bench-{run}-s ") < seedCount) && spotDeadline.Elapsed < TimeSpan.FromSeconds(10))
    {
        await Task.Delay(50);
    }

    var inLogVerified = kernelLog.Count($"bench-{run}-v ");
    var inLogSeed = kernelLog.Count($"bench-{run}-s ");
    Console.WriteLine($"kernel log spot check: {inLogVerified} of {verified} verified injections, {inLogSeed} of {seedCount} seed lines read back ({kernelLog.Overruns} reader overruns)");
    table.Add("kernel log holds the run's verified injections", inLogVerified, $"of {verified}");

    api.Dispose();
    agent.Dispose();
    warmAgent.Dispose();
    apiJit.Dispose();
    // The latency API's perf map: kept with BENCH_PROFILE_KEEP (to look up the methods its JIT compiled in a phase by the
    // line numbers printed at the phases' edges), else removed.
    if (File.Exists(apiJit.Path))
    {
        if (Environment.GetEnvironmentVariable("BENCH_PROFILE_KEEP") is { Length: > 0 } keepMaps)
        {
            Directory.CreateDirectory(keepMaps);
            File.Copy(apiJit.Path, Path.Combine(keepMaps, $"api-perf-{DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture)}.map"), overwrite: true);
        }

        File.Delete(apiJit.Path);
    }

    // --- the profile: a fresh agent with its benchmark-only spans on (FAULT_AGENT_PROFILE_FILE), sequential gRPC injections ---
    if (profileCount > 0)
    {
        Console.WriteLine($"profile ({profileCount} sequential gRPC injections, agent spans; then strace -c -f over {straceCount} more):");
        var profileFile = Path.Combine(work, "injection-profile.tsv");
        var profileGrpc = FreePort(IPAddress.Loopback);
        var profileHttp = FreePort(IPAddress.Loopback);
        var profileState = Directory.CreateDirectory(Path.Combine(work, "profile-state")).FullName;
        var profiled = StartAgent(
            AgentArguments(profileState, profileGrpc, profileHttp),
            new Dictionary<string, string> { ["FAULT_AGENT_PROFILE_FILE"] = profileFile });
        await profiled.WaitReadyAsync(http, new Uri($"http://127.0.0.1:{profileHttp}/health"), TimeSpan.FromSeconds(60));
        await ConfirmStopAsync(profileGrpc);
        // The agent's start collection (StartupHeapCompaction: blocking, 1 s after its host started, 40-90 ms here) happens
        // before the warm-up, not among the measured injections: the 300 warm-up injections take ~0.3-0.5 s, so without
        // this wait it fell among the profiled injections in most runs (BENCHMARKS.md, the agentp99 section).
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        using var profileChannel = GrpcChannel.ForAddress($"http://127.0.0.1:{profileGrpc}");
        var profileClient = new FaultAgent.FaultAgentClient(profileChannel);
        for (var i = 0; i < 300; i++)
        {
            await GrpcInjectAsync(profileClient, $"bench-{run}-p warm-{i}");
        }

        // The journal's entries as this agent writes them (#14): the sizes of its last pending and recorded lines, which
        // the journal-shaped floor below appends (the previous injection's recorded entry unflushed, then a pending entry
        // and one fsync, as a sequential injection does).
        var (pendingBytes, recordedBytes) = InjectionTailReport.JournalEntrySizes(Path.Combine(profileState, "faults.journal"));
        Console.WriteLine($"  the agent's journal entries: pending {pendingBytes} B, recorded {recordedBytes} B (after the warm-up)");

        // Only the measured injections' spans are kept: the warm-up's go with a restart of the file's content below. In
        // blocks of 100, each followed by 100 of each raw append + fsync shape on the agent's state directory (the same
        // disk, the same minutes): the floor's 200 bytes, and the journal's own shape with fsync and with fdatasync.
        var profileLatency = new LatencySample("profiled agent-direct gRPC InjectXid");
        // The benchmark's own GC pause during each call (µs): a collection in the client lengthens the round trip too.
        var profileClientGc = new List<double>(profileCount);
        LatencySample[] shapes =
        [
            new("  interleaved: 200-byte append + fsync (the floor's shape)"),
            new($"  interleaved: {recordedBytes} B unflushed + {pendingBytes} B append + fsync (the journal's shape)"),
            new($"  interleaved: {recordedBytes} B unflushed + {pendingBytes} B append + fdatasync"),
        ];
        var shapeFiles = shapes.Select((_, k) => Path.Combine(profileState, $"shape-{k}.journal")).ToArray();

        // BENCH_PROFILE_PERF=<file> (#14, the fsyncgap pass): the kernel's own view of the measured loop, system-wide —
        // ext4's fsync entry and exit (the syscall's own time, the agent's and the interleaved raw appends' alike), jbd2's
        // commits, the block requests and the scheduler's wake-ups and switches — recorded with `perf record` from right
        // before the loop to right after it, for `perf script` to attribute the journal's Fsync phase afterwards. The
        // agent's pid and this process's are printed for telling their fsyncs apart.
        Process? perf = null;
        if (Environment.GetEnvironmentVariable("BENCH_PROFILE_PERF") is { Length: > 0 } perfFile)
        {
            Console.WriteLine($"  perf record -a into {perfFile} over the measured loop: agent pid {profiled.Pid}, benchmark pid {Environment.ProcessId}");
            perf = Process.Start("perf", ["record", "-a", "-q", "-o", perfFile,
                "-e", "ext4:ext4_sync_file_enter,ext4:ext4_sync_file_exit,jbd2:jbd2_start_commit,jbd2:jbd2_commit_flushing,jbd2:jbd2_commit_logging,jbd2:jbd2_end_commit,jbd2:jbd2_run_stats",
                "-e", "block:block_rq_issue,block:block_rq_complete,sched:sched_wakeup,sched:sched_switch"]);
            await Task.Delay(1500);
        }

        for (var done = 0; done < profileCount; done += 100)
        {
            for (var i = done; i < Math.Min(done + 100, profileCount); i++)
            {
                var clientPauseBefore = GC.GetTotalPauseDuration();
                profileLatency.Add(await GrpcInjectAsync(profileClient, $"bench-{run}-p grpc-{i}"));
                profileClientGc.Add((GC.GetTotalPauseDuration() - clientPauseBefore).TotalMicroseconds);
            }

            HardwareFloor.JournalShapedAppends(shapeFiles[0], 100, 0, 200, dataSync: false, shapes[0]);
            HardwareFloor.JournalShapedAppends(shapeFiles[1], 100, recordedBytes, pendingBytes, dataSync: false, shapes[1]);
            HardwareFloor.JournalShapedAppends(shapeFiles[2], 100, recordedBytes, pendingBytes, dataSync: true, shapes[2]);
        }

        if (perf is not null)
        {
            using (var interrupt = Process.Start("kill", ["-INT", perf.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await interrupt.WaitForExitAsync();
            }

            await perf.WaitForExitAsync();
            perf.Dispose();
        }

        foreach (var file in shapeFiles)
        {
            File.Delete(file);
        }

        Console.WriteLine("  " + profileLatency);
        foreach (var shape in shapes)
        {
            Console.WriteLine(shape);
        }
        var straceFile = Path.Combine(work, "strace.txt");
        if (straceCount > 0)
        {
            using var strace = Process.Start("strace", ["-c", "-f", "-o", straceFile, "-p", profiled.Pid.ToString(CultureInfo.InvariantCulture)]);
            await Task.Delay(1000);
            for (var i = 0; i < straceCount; i++)
            {
                await GrpcInjectAsync(profileClient, $"bench-{run}-p strace-{i}");
            }

            using (var interrupt = Process.Start("kill", ["-INT", strace.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await interrupt.WaitForExitAsync();
            }

            await strace.WaitForExitAsync();
        }

        profiled.Terminate();
        var spans = File.ReadAllLines(profileFile);
        File.WriteAllLines(profileFile, [spans[0], .. spans.Skip(1 + 300).Take(profileCount)]);
        InjectionProfileReport.Print(profileFile, profileLatency);
        InjectionTailReport.Print(profileFile, profileLatency, profileClientGc);

        // BENCH_PROFILE_KEEP=<dir>: the spans with each call's round trip (ms) and the client's GC pause (µs) as the last two
        // columns, and the compactions, kept for analysis after the run's temp directory is deleted.
        if (Environment.GetEnvironmentVariable("BENCH_PROFILE_KEEP") is { Length: > 0 } keep)
        {
            Directory.CreateDirectory(keep);
            var kept = File.ReadAllLines(profileFile);
            var stamp = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
            File.WriteAllLines(Path.Combine(keep, $"profile-{stamp}.tsv"),
                [kept[0] + "\tClientMs\tClientGcPause", .. kept.Skip(1).Take(profileLatency.Count).Select((line, i) => string.Create(CultureInfo.InvariantCulture, $"{line}\t{profileLatency.Values[i]:0.000}\t{profileClientGc[i]:0.0}"))]);
            if (File.Exists(profileFile + ".compactions"))
            {
                File.Copy(profileFile + ".compactions", Path.Combine(keep, $"profile-{stamp}.tsv.compactions"), overwrite: true);
            }
        }

        // The journal's background compactions of the profiled agent, warm-up included (agents since #14's agenttail
        // pass write them): the snapshot's write beside the journal, off the injections' path, and the gate's hold for the swap.
        if (File.Exists(profileFile + ".compactions"))
        {
            Console.WriteLine("  the journal's background compactions (written µs, gate held for the swap µs, records, entries carried over; agents since #14's agenthot pass: the time after the gate µs (the directory's fsync, and since 47e2bf8 the old descriptor's close); the swap's tail copy + fsync, its rename, the old descriptor's close (since 47e2bf8; after the directory's fsync from its next commit), the directory's fsync µs):");
            foreach (var line in File.ReadLines(profileFile + ".compactions").Skip(1))
            {
                Console.WriteLine("    " + line.Replace('\t', ' '));
            }
        }
        if (straceCount > 0)
        {
            StraceSummary.Print(straceFile, straceCount, "the agent", "gRPC InjectXid");
        }
    }

    // --- the API's profile: a fresh agent and API, both with their benchmark-only spans on, sequential API injections.
    // With BENCH_API_BASELINE (another build's FaultApi.dll, e.g. main's before a change) a second API of that build runs
    // beside this one on the same agent, in alternating blocks of 100 injections: before and after in one machine state. ---
    if (apiProfileCount > 0)
    {
        var baselineDll = Environment.GetEnvironmentVariable("BENCH_API_BASELINE") is { Length: > 0 } baseline ? Path.GetFullPath(baseline) : null;
        (string Name, string Dll)[] builds = baselineDll is null ? [("this build", apiDll)] : [("baseline " + baselineDll, baselineDll), ("this build", apiDll)];
        Console.WriteLine($"API profile ({apiProfileCount} sequential API injections per build, API laps and agent spans; then strace -c -f on the API over {straceCount} more):");
        var agentProfileFile = Path.Combine(work, "api-agent-profile.tsv");
        var profileGrpc = FreePort(IPAddress.Loopback);
        var profileHttp = FreePort(IPAddress.Loopback);
        var profiledAgent = StartAgent(
            AgentArguments(Directory.CreateDirectory(Path.Combine(work, "api-profile-state")).FullName, profileGrpc, profileHttp),
            new Dictionary<string, string> { ["FAULT_AGENT_PROFILE_FILE"] = agentProfileFile });
        await profiledAgent.WaitReadyAsync(http, new Uri($"http://127.0.0.1:{profileHttp}/health"), TimeSpan.FromSeconds(60));
        await ConfirmStopAsync(profileGrpc);
        var profiled = new List<(string Name, ChildProcess Process, Uri Uri, string File, LatencySample Latency)>();
        foreach (var (name, dll) in builds)
        {
            var port = FreePort(IPAddress.Loopback);
            var file = Path.Combine(work, $"api-profile-{profiled.Count}.tsv");
            var process = Start(dll, ApiArguments(port, profileGrpc, $"api-profile-stop-{profiled.Count}.json"), new Dictionary<string, string> { ["FAULT_API_PROFILE_FILE"] = file });
            await process.WaitReadyAsync(http, new Uri($"http://127.0.0.1:{port}/ready"), TimeSpan.FromSeconds(60));
            profiled.Add((name, process, new Uri($"http://127.0.0.1:{port}/api/v1/faults/gpu/inject/xid-79"), file, new LatencySample($"profiled API POST .../inject/xid-79 ({name})")));
        }

        // Which build made each of the agent's injections, in order (-1: warm-up), so its spans are told apart.
        var agentOwner = new List<int>();
        for (var i = 0; i < 300; i++)
        {
            for (var b = 0; b < profiled.Count; b++)
            {
                await ApiInjectAsync($"bench-{run}-v api-profile-warm-{b}-{i}", profiled[b].Uri);
                agentOwner.Add(-1);
            }
        }

        var cpu = new double[profiled.Count];
        for (var done = 0; done < apiProfileCount; done += 100)
        {
            for (var b = 0; b < profiled.Count; b++)
            {
                var cpuBefore = ChildProcess.CpuMilliseconds(profiled[b].Process.Pid);
                for (var i = done; i < Math.Min(done + 100, apiProfileCount); i++)
                {
                    profiled[b].Latency.Add(await ApiInjectAsync($"bench-{run}-v api-profile-{b}-{i}", profiled[b].Uri));
                    agentOwner.Add(b);
                }

                cpu[b] += ChildProcess.CpuMilliseconds(profiled[b].Process.Pid) - cpuBefore;
            }
        }

        var straceFiles = new List<string>();
        for (var b = 0; b < profiled.Count; b++)
        {
            Console.WriteLine("  " + profiled[b].Latency);
            var straceFile = Path.Combine(work, $"api-strace-{b}.txt");
            straceFiles.Add(straceFile);
            if (straceCount > 0)
            {
                using var strace = Process.Start("strace", ["-c", "-f", "-o", straceFile, "-p", profiled[b].Process.Pid.ToString(CultureInfo.InvariantCulture)]);
                await Task.Delay(1000);
                for (var i = 0; i < straceCount; i++)
                {
                    await ApiInjectAsync($"bench-{run}-v api-strace-{b}-{i}", profiled[b].Uri);
                }

                using (var interrupt = Process.Start("kill", ["-INT", strace.Id.ToString(CultureInfo.InvariantCulture)]))
                {
                    await interrupt.WaitForExitAsync();
                }

                await strace.WaitForExitAsync();
            }

            profiled[b].Process.Terminate();
        }

        profiledAgent.Terminate();
        var agentLines = File.ReadAllLines(agentProfileFile);
        var handlerColumn = Array.IndexOf(agentLines[0].Split('\t'), "Handler");
        var agentSpans = agentLines.Skip(1).Where(l => l.Length > 0)
            .Select(l => double.Parse(l.Split('\t')[handlerColumn], CultureInfo.InvariantCulture)).ToList();
        for (var b = 0; b < profiled.Count; b++)
        {
            var spans = File.ReadAllLines(profiled[b].File);
            File.WriteAllLines(profiled[b].File, [spans[0], .. spans.Skip(1 + 300).Take(apiProfileCount)]);
            var handler = agentOwner.Select((owner, i) => (owner, i)).Where(x => x.owner == b).Select(x => agentSpans[x.i]).ToList();
            Console.WriteLine();
            Console.WriteLine($"API build: {profiled[b].Name}; its CPU (user + system) per injection: {cpu[b] / apiProfileCount:0.000} ms");
            ApiInjectionProfileReport.Print(profiled[b].File, handler, profiled[b].Latency);
            if (straceCount > 0)
            {
                StraceSummary.Print(straceFiles[b], straceCount, $"the API ({profiled[b].Name})", "POST /api/v1/faults/gpu/inject/xid-79");
            }
        }
    }

    // --- fan-out: BENCH_FANOUT_AGENTS real agent apps (hosted in one process), the API gathering from all of them ---
    if (fanoutAgents > 0)
    {
        Console.WriteLine($"fan-out over {fanoutAgents} agents (127.0.1.1..):");
        var farmGrpc = FreePort(IPAddress.Parse("127.0.1.1"));
        var farmHttp = FreePort(IPAddress.Parse("127.0.1.1"));
        var farmState = Directory.CreateDirectory(Path.Combine(work, "farm")).FullName;
        var farm = Start(farmDll, [
            "127.0.1.1", fanoutAgents.ToString(CultureInfo.InvariantCulture), farmGrpc.ToString(CultureInfo.InvariantCulture), farmHttp.ToString(CultureInfo.InvariantCulture),
            procRoot, target.Pid.ToString(CultureInfo.InvariantCulture), farmState, agentTokenFile,
            fanoutParallel.ToString(CultureInfo.InvariantCulture), fanoutStallSeconds.ToString(CultureInfo.InvariantCulture)]);
        // The farm's addressing: the i-th app on 127.0.1.1 + i, counting through .255 into 127.0.2.0 (127.0.1.1…127.0.4.232 for 1000).
        IPAddress FarmAddress(int i) => new([127, 0, (byte)(1 + ((1 + i) / 256)), (byte)((1 + i) % 256)]);

        // The farm starts its apps a few at a time and prints "ready n/N <ms> ms" as each answers /health: wait on that
        // progress (it exits naming how many came up when one app stalls; this is the backstop if the farm itself hangs).
        var farmProgress = await FarmProgress.WaitAllReadyAsync(farm, fanoutAgents, TimeSpan.FromSeconds(fanoutStallSeconds + 30));
        for (var i = 0; i < fanoutAgents; i++)
        {
            await farm.WaitReadyAsync(http, new Uri($"http://{FarmAddress(i)}:{farmHttp}/health"), TimeSpan.FromSeconds(10));
        }

        var farmRss = farm.RssMegabytes;
        Console.WriteLine($"  farm: first agent healthy after {farmProgress.First.TotalMilliseconds:0} ms, all {fanoutAgents} after {farmProgress.All.TotalMilliseconds:0} ms ({fanoutParallel} at a time), RSS {farmRss:0.0} MB");
        table.Add($"{fanoutAgents} agent apps in one process: first healthy after (JIT warm-up, alone)", farmProgress.First.TotalMilliseconds, "ms");
        table.Add($"{fanoutAgents} agent apps in one process: all healthy after ({fanoutParallel} starting at a time)", farmProgress.All.TotalMilliseconds, "ms");
        table.Add($"{fanoutAgents} agent apps in one process: RSS (all healthy, idle)", farmRss, "MB");
        table.Add($"{fanoutAgents} agent apps in one process: RSS per agent app", farmRss / fanoutAgents, "MB");
        var farmGc = await FarmGcReading.NextAsync(farm);
        table.Add($"{fanoutAgents} agent apps in one process: GC pause while starting (total; full collections)", farmGc.PausedMilliseconds, $"ms ({farmGc.FullCollections} gen2)");
        for (var i = 0; i < fanoutAgents; i++)
        {
            await ConfirmStopAsync(farmGrpc, FarmAddress(i).ToString());
            using var ch = GrpcChannel.ForAddress($"http://{FarmAddress(i)}:{farmGrpc}");
            await GrpcInjectAsync(new FaultAgent.FaultAgentClient(ch), $"bench-{run}-v fanout-{i}");
        }

        var concurrencies = Environment.GetEnvironmentVariable("BENCH_FANOUT_CONCURRENCIES") is { Length: > 0 } listed
            ? listed.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : ["16", fanoutAgents.ToString(CultureInfo.InvariantCulture)];
        // BENCH_FANOUT_API_VARIANTS: settings of the fan-out API alone to compare on the same farm, "|" between variants and
        // "K=V;K=V" within one (an empty variant is the build's own settings), each run at every concurrency, in the order given.
        var apiVariants = Environment.GetEnvironmentVariable("BENCH_FANOUT_API_VARIANTS") is { Length: > 0 } variantList
            ? variantList.Split('|', StringSplitOptions.TrimEntries)
            : [""];
        var apiRuns = apiVariants.SelectMany((variant, variantIndex) => concurrencies.Select(concurrencySetting => (variant, variantIndex, concurrencySetting)));
        foreach (var (variant, variantIndex, concurrencySetting) in apiRuns)
        {
            var label = apiVariants.Length > 1 ? $"MaxConcurrency={concurrencySetting}, API env '{variant}', #{variantIndex + 1}" : $"MaxConcurrency={concurrencySetting}";
            var variantEnvironment = variant.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(pair => pair.Split('=', 2))
                .ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1] : "");
            // BENCH_API_DLL=<another build's FaultApi.dll> in a variant runs that build instead of this one (before/after of a
            // change to the API on one farm); it is not passed to the API.
            var variantApiDll = variantEnvironment.Remove("BENCH_API_DLL", out var otherApi) ? Path.GetFullPath(otherApi) : apiDll;
            var fanApiPort = FreePort(IPAddress.Loopback);
            var apiArgs = new List<string>
            {
                "--urls", $"http://127.0.0.1:{fanApiPort}", "--Routing:Mode=Static", $"--Auth:TokenFile={callerTokenFile}",
                $"--Agents:TokenFile={apiAgentTokenFile}", "--Logging:LogLevel:Default=Warning", $"--Agents:MaxConcurrency={concurrencySetting}",
                $"--Stop:StateFile={Path.Combine(work, $"fan-api-stop-{concurrencySetting}-{variantIndex}.json")}",
                // The blast-radius guard checks (it is skipped when it cannot refuse): every node may be faulted, no more.
                $"--Safety:MaxFaultedNodes={fanoutAgents}",
            };
            for (var i = 0; i < fanoutAgents; i++)
            {
                apiArgs.Add($"--Routing:Static:Nodes:gpu-node-{i + 1:000}=http://{FarmAddress(i)}:{farmGrpc}");
                apiArgs.Add($"--Routing:Static:Labels:gpu-node-{i + 1:000}:bench-pool=fanout");
            }

            var fanApi = Start(variantApiDll, apiArgs, variantEnvironment);
            await fanApi.WaitReadyAsync(http, new Uri($"http://127.0.0.1:{fanApiPort}/ready"), TimeSpan.FromSeconds(60));
            var idle = fanApi.RssMegabytes;
            foreach (var (route, check) in new[] { ("/api/v1/nodes", "\"nodes\""), ("/api/v1/faults", "\"faults\"") })
            {
                var sample = new LatencySample($"GET {route} over {fanoutAgents} agents ({label})");
                for (var i = 0; i < fanoutRequests + 3; i++)
                {
                    var watch = Stopwatch.StartNew();
                    var body = await http.GetStringAsync(new Uri($"http://127.0.0.1:{fanApiPort}{route}"));
                    if (i >= 3)
                    {
                        sample.Add(watch.Elapsed);
                    }

                    if (!body.Contains(check, StringComparison.Ordinal) || body.Contains("\"errors\":[{", StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException($"fan-out {route} failed: {body[..Math.Min(body.Length, 500)]}");
                    }
                }

                Console.WriteLine("  " + sample);
                table.Add($"fan-out GET {route}, {fanoutAgents} agents, {label}, p50", sample.Percentile(50), "ms", route == "/api/v1/faults" ? 250 : null);
                table.Add($"fan-out GET {route}, {fanoutAgents} agents, {label}, p99", sample.Percentile(99), "ms");
            }

            table.Add($"fan-out API RSS idle → after ({label})", idle, "MB");
            table.Add($"fan-out API RSS after {2 * fanoutRequests} gathers ({label})", fanApi.RssMegabytes, "MB", 200);

            // BENCH_FANOUT_HOLD_SECONDS: the API is left idle that long after its gathers, for tools to attach (dotnet-gcdump,
            // smaps), and its RSS is read again after it: what a pod holds once the gathers are over.
            var holdSeconds = Setting("BENCH_FANOUT_HOLD_SECONDS", 0);
            if (holdSeconds > 0)
            {
                Console.WriteLine($"  holding {holdSeconds} s after the gathers: fan-out API pid {fanApi.Pid} ({label})");
                await Task.Delay(TimeSpan.FromSeconds(holdSeconds));
                table.Add($"fan-out API RSS {holdSeconds} s after the gathers ({label})", fanApi.RssMegabytes, "MB");
            }

            // One injection on every node through a selector, with the blast-radius check (ledger read, compare-and-swap
            // reservation, completion): only at the default concurrency, so at most 16 agents write the shared kernel
            // log at once and no agent's read-back loses its record to the ring wrapping. With API variants, after the last
            // one's gathers only: every variant gathers the same faults.
            if (concurrencySetting == "16" && variantIndex == apiVariants.Length - 1)
            {
                var selectorWatch = Stopwatch.StartNew();
                using var selectorResponse = await http.PostAsJsonAsync(
                    new Uri($"http://127.0.0.1:{fanApiPort}/api/v1/faults/gpu/inject/xid-79"),
                    new { node_selector = "bench-pool=fanout", count = fanoutAgents, gpu_id = 0, message = $"bench-{run}-v fanout-selector", omit_companion_records = true });
                var selectorBody = await selectorResponse.Content.ReadAsStringAsync();
                var selectorElapsed = selectorWatch.Elapsed;
                using var selectorJson = System.Text.Json.JsonDocument.Parse(selectorBody);
                var injected = selectorResponse.StatusCode == HttpStatusCode.OK && selectorJson.RootElement.TryGetProperty("faults", out var faultList) ? faultList.GetArrayLength() : -1;
                if (injected != fanoutAgents)
                {
                    throw new InvalidOperationException($"selector injection on {fanoutAgents} nodes failed: {(int)selectorResponse.StatusCode} {selectorBody[..Math.Min(selectorBody.Length, 500)]}");
                }

                Interlocked.Add(ref verified, injected);
                Console.WriteLine($"  POST xid-79 node_selector over {fanoutAgents} nodes: {selectorElapsed.TotalMilliseconds:0.0} ms");
                table.Add($"fan-out POST inject xid-79, node_selector count={fanoutAgents}, blast-radius check (MaxConcurrency={concurrencySetting})", selectorElapsed.TotalMilliseconds, "ms");
                table.Add($"fan-out API RSS after the selector injection (MaxConcurrency={concurrencySetting})", fanApi.RssMegabytes, "MB");
            }

            var farmGcAfter = await FarmGcReading.NextAsync(farm);
            table.Add($"{fanoutAgents} agent apps: their GC pause during this fan-out ({label})",
                farmGcAfter.PausedMilliseconds - farmGc.PausedMilliseconds, $"ms ({farmGcAfter.FullCollections - farmGc.FullCollections} gen2)");
            farmGc = farmGcAfter;
            fanApi.Dispose();
        }

        table.Add($"{fanoutAgents} agent apps in one process: RSS after the fan-out", farm.RssMegabytes, "MB");
        farm.Dispose();
    }

    table.Print();
}
finally
{
    foreach (var child in children)
    {
        child.Dispose();
    }

    try
    {
        Directory.Delete(work, recursive: true);
    }
    catch (IOException)
    {
    }
}
