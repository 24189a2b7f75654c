using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FaultAgent.Tests.Infrastructure;
using FaultApi.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace FaultApi.Tests.Hosting;

/// <summary>
/// A REAL agent process's connection cap (<c>Agent:Http:MaxConnections</c>, counted per Kestrel endpoint) and its
/// Control endpoint (the probes' gRPC health service and the emergency stop's RPCs), with the API in front sending the
/// stop there (<c>Routing:AgentControlPort</c>): with the gRPC endpoint's cap held by idle HTTP/2 connections, the next
/// connection is closed unanswered while the probe and the stop through the API still get through; once the held
/// connections close, the gRPC endpoint accepts again. A setting out of range stops the process.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class AgentConnectionCapTests : IDisposable
{
    private const int Cap = 8;
    private const string NodeName = "gpu-node-001";
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [RootFact]
    public async Task GrpcEndpoint_CapHeldByIdleConnections_NextClosedUnanswered_ProbeAndStopThroughControlAnswer_FreedCapAcceptsAgain()
    {
        using var target = new TargetNamespaceProcess();
        var address = LoopbackAddresses.Allocate(1)[0];
        var control = new IPEndPoint(address, LoopbackAddresses.FreePort(address));
        await using var agent = await RealAgentProcess.StartInAsync(
            _directory,
            NodeName,
            address,
            target.Pid,
            new Dictionary<string, string>
            {
                ["Agent:Http:MaxConnections"] = Cap.ToString(CultureInfo.InvariantCulture),
                ["Kestrel:Endpoints:Control:Url"] = $"http://{control}",
            });
        var grpcPort = agent.GrpcAddress.Port;
        await using var api = new ApiApplicationFactory(new Dictionary<string, string?>
        {
            ["Routing:Mode"] = "Static",
            [$"Routing:Static:Nodes:{NodeName}"] = agent.GrpcAddress.ToString(),
            ["Routing:AgentGrpcPort"] = grpcPort.ToString(CultureInfo.InvariantCulture),
            ["Routing:AgentControlPort"] = control.Port.ToString(CultureInfo.InvariantCulture),
        });
        using var client = api.CreateAuthenticatedClient();
        using var controlChannel = GrpcChannel.ForAddress($"http://{control}");
        var auth = new Metadata { { "authorization", $"Bearer {ApiApplicationFactory.AgentToken}" } };
        var grpc = new IPEndPoint(address, grpcPort);

        var held = await IdleConnections.HoldAsync(grpc, Cap, http2: true);
        int refused;
        HealthCheckResponse probe;
        HttpStatusCode stop;
        JsonElement stopBody;
        RpcException other, anonymousStop;
        try
        {
            refused = await IdleConnections.BytesBeforeCloseAsync(grpc, IdleConnections.Http2Preface);
            probe = await new Grpc.Health.V1.Health.HealthClient(controlChannel).CheckAsync(new HealthCheckRequest());
            using (var response = await client.PostAsJsonAsync("/api/v1/stop", new { reason = "connection flood drill" }))
            {
                stop = response.StatusCode;
                stopBody = await response.Content.ReadFromJsonAsync<JsonElement>();
            }

            other = await Assert.ThrowsAsync<RpcException>(() => new AgentClient(controlChannel).ListFaultsAsync(new ListFaultsRequest(), auth).ResponseAsync);
            anonymousStop = await Assert.ThrowsAsync<RpcException>(() => new AgentClient(controlChannel).GetEmergencyStopAsync(new GetEmergencyStopRequest()).ResponseAsync);
        }
        finally
        {
            IdleConnections.Close(held);
        }

        Assert.Equal(0, refused);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, probe.Status);
        Assert.True(stop == HttpStatusCode.OK, $"{stop}: {stopBody}");
        var copy = Assert.Single(stopBody.GetProperty("agents").EnumerateArray());
        Assert.True(copy.GetProperty("acknowledged").GetBoolean(), stopBody.ToString());
        Assert.Equal(StatusCode.Unimplemented, other.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, anonymousStop.StatusCode);
        EmergencyStopState? agentStop = null;
        await Eventually.TrueAsync(
            async () =>
            {
                using var fresh = GrpcChannel.ForAddress(agent.GrpcAddress);
                try
                {
                    agentStop = await new AgentClient(fresh).GetEmergencyStopAsync(new GetEmergencyStopRequest(), auth);
                    return true;
                }
                catch (RpcException)
                {
                    return false;
                }
            },
            "a new connection to the agent's gRPC port answered after the held ones closed");
        Assert.True(agentStop!.Engaged);
    }

    [RootTheory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("100001")]
    public async Task Start_MaxConnectionsOutOfRange_ExitsWithTheFailureCodeNamingTheSetting(string value)
    {
        using var target = new TargetNamespaceProcess();
        var address = LoopbackAddresses.Allocate(1)[0];
        var tokenFile = _directory.Combine("agent-tokens");
        await File.WriteAllTextAsync(tokenFile, $"fault-api:{ApiApplicationFactory.AgentToken}\n");
        var settings = RealAgentProcess.Settings(
            NodeName,
            Path.Combine(AppContext.BaseDirectory, "TestData", "proc", "h100x8"),
            target.Pid,
            Directory.CreateDirectory(_directory.Combine("state")).FullName,
            tokenFile,
            new Uri($"http://{address}:{LoopbackAddresses.FreePort(address)}"),
            new Uri($"http://{address}:{LoopbackAddresses.FreePort(address)}"));
        settings["Agent:Http:MaxConnections"] = value;
        var (program, arguments, workingDirectory) = AgentCommand.For(RealAgentProcess.AgentAssembly);

        var (exitCode, output) = await ProductProcess.RunUntilExitAsync(program, arguments, settings, workingDirectory);

        Assert.True(exitCode == 1, $"exit code {exitCode}:\n{output}");
        Assert.Contains(output.Split('\n'), l => l.StartsWith("FaultAgent cannot run: ", StringComparison.Ordinal) && l.Contains("Agent:Http:MaxConnections", StringComparison.Ordinal));
    }
}
