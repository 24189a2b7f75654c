// Runs N instances of the real FaultAgent app in this one process (each its own WebApplication, settings, state
// directory and Kestrel endpoints), by calling the agent assembly's entry point once per instance on its own thread.
// Usage: AgentFarm <first-address e.g. 127.0.1.1> <count> <grpc-port> <http-port> <proc-root> <target-pid> <state-root> <token-file>
// Prints "ready <n>" lines are not needed: the caller polls each agent's /health. Runs until killed.
using System.Globalization;
using System.Net;

var first = IPAddress.Parse(args[0]).GetAddressBytes();
var count = int.Parse(args[1], CultureInfo.InvariantCulture);
var grpcPort = args[2];
var httpPort = args[3];
var procRoot = args[4];
var targetPid = args[5];
var stateRoot = args[6];
var tokenFile = args[7];
var entryPoint = typeof(FaultAgent.Hosting.AgentOptions).Assembly.EntryPoint
    ?? throw new InvalidOperationException("FaultAgent has no entry point");

var threads = new List<Thread>();
for (var i = 0; i < count; i++)
{
    var bytes = (byte[])first.Clone();
    var host = bytes[3] + i;
    bytes[2] += (byte)(host / 256);
    bytes[3] = (byte)(host % 256);
    var address = new IPAddress(bytes);
    var node = string.Create(CultureInfo.InvariantCulture, $"gpu-node-{i + 1:000}");
    var state = Directory.CreateDirectory(Path.Combine(stateRoot, node)).FullName;
    string[] agentArgs =
    [
        $"--Agent:NodeName={node}",
        $"--Agent:ProcRoot={procRoot}",
        $"--Agent:TargetPid={targetPid}",
        $"--Agent:StateDirectory={state}",
        $"--Agent:TokenFile={tokenFile}",
        $"--Kestrel:Endpoints:Http:Url=http://{address}:{httpPort}",
        $"--Kestrel:Endpoints:Http:Protocols=Http1",
        $"--Kestrel:Endpoints:Grpc:Url=http://{address}:{grpcPort}",
        $"--Kestrel:Endpoints:Grpc:Protocols=Http2",
        "--Logging:LogLevel:Default=Warning",
        // Benchmarks inject as fast as they can: the node's limits (Agent:Limits) are raised out of the way.
        "--Agent:Limits:InjectionsPerSecond=1000000",
        "--Agent:Limits:InjectionBurst=1000000",
        "--Agent:Limits:MaxActiveFaults=1000000",
    ];
    var thread = new Thread(() => entryPoint.Invoke(null, [agentArgs])) { IsBackground = true, Name = node };
    thread.Start();
    threads.Add(thread);
}

foreach (var thread in threads)
{
    thread.Join();
}
