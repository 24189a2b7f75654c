using System.Net;
using System.Text;
using FaultAgent.Tests.Infrastructure;
using FaultInjection.Agent.V1;
using FaultInjection.TestSupport.Http;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ReflectionService = Grpc.Reflection.V1Alpha.ServerReflection;

namespace FaultAgent.Tests.Auth;

/// <summary>
/// Every privileged action of the agent is authenticated: each method of every gRPC service it maps (taken from the
/// services' descriptors, so a method added later is covered without a change here) and each route of its HTTP port (taken
/// from the app's own endpoint table), called on the real app on real Kestrel without a valid token, is refused
/// (UNAUTHENTICATED; 401 problem details) — a write with a request that would otherwise succeed — and nothing changes:
/// the kernel log, the faults, the emergency stop, the bug reports, the audit trail. Only the probes answer anonymously.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync, as xUnit does.")]
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class AgentEveryMethodAuthenticationTests : IAsyncLifetime
{
    private readonly string _marker = "t" + Guid.NewGuid().ToString("N")[..12];
    private readonly KernelLogRecorder _kernelLog = KernelLogRecorder.Start();
    private TargetNamespaceProcess _target = null!;
    private AgentApplicationFactory _factory = null!;
    private AgentClient _client = null!;
    private string _heldFaultId = null!;

    /// <summary>
    /// The credentials that must not pass: none, an unknown token, the valid token one character short and one long, the
    /// valid token under another scheme, and two Authorization headers of which one is valid.
    /// </summary>
    public static TheoryData<string?, string?> Credentials => new()
    {
        { null, null },
        { "Bearer not-a-valid-token-0000000000", null },
        { "Bearer " + AgentApplicationFactory.ApiToken[..^1], null },
        { "Bearer " + AgentApplicationFactory.ApiToken + "0", null },
        { "Basic " + AgentApplicationFactory.ApiToken, null },
        { "Bearer not-a-valid-token-0000000000", "Bearer " + AgentApplicationFactory.ApiToken },
    };

    public async Task InitializeAsync()
    {
        _target = new TargetNamespaceProcess();
        _factory = new AgentApplicationFactory(_target.Pid);
        _client = _factory.CreateGrpcClient();
        // A fault for the clears to aim at: a clear with a valid token would end it.
        var held = await _client.InjectXidAsync(new InjectXidRequest { Xid = 79, GpuId = 1, Pid = 4242, ProcessName = "h" + _marker[1..] }, AgentApplicationFactory.Auth());
        _heldFaultId = held.Fault.FaultId;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _target.Dispose();
        _kernelLog.Dispose();
    }

    [RootTheory]
    [MemberData(nameof(Credentials))]
    public async Task EveryGrpcMethod_WithoutAValidToken_IsUnauthenticatedAndChangesNothing(string? authorization, string? secondAuthorization)
    {
        var before = await StateAsync();
        var methods = MappedServices().SelectMany(s => s.Methods).ToList();
        Assert.Contains(methods, m => m.FullName == "faultinjection.agent.v1.FaultAgent.InjectXid");
        Assert.Contains(methods, m => m.FullName == "grpc.reflection.v1alpha.ServerReflection.ServerReflectionInfo");

        var headers = new Metadata();
        foreach (var value in new[] { authorization, secondAuthorization }.OfType<string>())
        {
            headers.Add("authorization", value);
        }

        _factory.CreateClient(out var channel);
        var invoker = channel.CreateCallInvoker();
        var answered = new List<string>();
        foreach (var method in methods)
        {
            var status = (await RawGrpcCall.CallAsync(invoker, method, ValidRequest(method).ToByteArray(), headers)).Status.StatusCode;
            if (status != StatusCode.Unauthenticated)
            {
                answered.Add($"{method.FullName}: {status}");
            }
        }

        Assert.True(answered.Count == 0, "answered without a valid token: " + string.Join("; ", answered));
        Assert.Equal(before, await StateAsync());
        Assert.Empty(_kernelLog.SnapshotContaining(_marker + "x"));
    }

    [RootTheory]
    [MemberData(nameof(Credentials))]
    public async Task EveryHttpRoute_WithoutAValidToken_Is401ProblemAndChangesNothing(string? authorization, string? secondAuthorization)
    {
        var before = await StateAsync();
        var routes = HttpRoutes().Where(r => (r.Method, r.Pattern) is not ("GET", "/health")).ToList();
        Assert.Contains(routes, r => r.Method == "POST" && r.Pattern == "/inject-xid");

        using var http = _factory.CreateHttpClient(token: null);
        var answered = new List<string>();
        foreach (var route in routes)
        {
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Pattern.Replace("{faultId}", _heldFaultId, StringComparison.Ordinal));
            foreach (var value in new[] { authorization, secondAuthorization }.OfType<string>())
            {
                request.Headers.TryAddWithoutValidation("Authorization", value);
            }

            if (route.Method == "POST")
            {
                request.Content = new StringContent($$"""{"xid_type": 79, "gpu_id": 0, "pid": 4242, "process_name": "{{_marker}}x"}""", Encoding.UTF8, "application/json");
            }

            using var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                answered.Add($"{route.Method} {route.Pattern}: {(int)response.StatusCode}");
                continue;
            }

            _ = await ProblemResponse.ReadAsync(response, HttpStatusCode.Unauthorized);
        }

        Assert.True(answered.Count == 0, "answered without a valid token: " + string.Join("; ", answered));
        Assert.Equal(before, await StateAsync());
        Assert.Empty(_kernelLog.SnapshotContaining(_marker + "x"));
    }

    [RootFact]
    public async Task AnonymousEndpoints_AreOnlyTheProbes_AndAnswerWithoutAToken()
    {
        var anonymousRoutes = HttpRoutes().Where(r => r.Anonymous).Select(r => $"{r.Method} {r.Pattern}").Order(StringComparer.Ordinal);
        var anonymousGrpc = GrpcEndpoints().Where(e => e.Anonymous).Select(e => e.Method).Order(StringComparer.Ordinal);

        Assert.Equal(["GET /health"], anonymousRoutes);
        Assert.Equal(["grpc.health.v1.Health/Check", "grpc.health.v1.Health/Watch"], anonymousGrpc.Where(m => m.StartsWith("grpc.health", StringComparison.Ordinal)));
        Assert.All(anonymousGrpc, m => Assert.StartsWith("grpc.health.v1.Health/", m, StringComparison.Ordinal));
        _factory.CreateClient(out var channel);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest())).Status);
        using var http = _factory.CreateHttpClient(token: null);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
    }

    /// <summary>
    /// Every gRPC service the agent maps but the probes' health service, by its descriptor (a service mapped later fails
    /// here until its descriptor is added, so none escapes the check).
    /// </summary>
    private Google.Protobuf.Reflection.ServiceDescriptor[] MappedServices()
    {
        var mapped = GrpcEndpoints().Select(e => e.Method[..e.Method.IndexOf('/', StringComparison.Ordinal)]).Where(s => s != Health.Descriptor.FullName).ToHashSet(StringComparer.Ordinal);
        Google.Protobuf.Reflection.ServiceDescriptor[] known = [FaultInjection.Agent.V1.FaultAgent.Descriptor, ReflectionService.Descriptor];
        Assert.Equal(known.Select(s => s.FullName).Order(StringComparer.Ordinal), mapped.Order(StringComparer.Ordinal));
        return known;
    }

    private IEnumerable<(string Method, bool Anonymous)> GrpcEndpoints() =>
        Endpoints()
            .Select(e => (Endpoint: e, Grpc: e.Metadata.GetMetadata<GrpcMethodMetadata>()))
            .Where(e => e.Grpc is not null)
            .Select(e => (e.Grpc!.Method.FullName.TrimStart('/'), e.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null));

    private IEnumerable<(string Method, string Pattern, bool Anonymous)> HttpRoutes() =>
        Endpoints()
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<GrpcMethodMetadata>() is null && e.Metadata.GetMetadata<IHttpMethodMetadata>() is { HttpMethods.Count: > 0 })
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'), e.Metadata.GetMetadata<IAllowAnonymous>() is not null)));

    private IEnumerable<Endpoint> Endpoints()
    {
        _ = _factory.CreateHttpClient();
        return _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints;
    }

    /// <summary>For each write, a request a valid token would see through; for the rest the empty message.</summary>
    private IMessage ValidRequest(MethodDescriptor method) => method.Name switch
    {
        "InjectXid" => new InjectXidRequest { Xid = 79, GpuId = 0, Pid = 4242, ProcessName = _marker + "x" },
        "InjectSxid" => new InjectSxidRequest { Sxid = 12028, Nvswitch = 0, Link = 3, Message = _marker + "x" },
        "InjectDcgmField" => new DcgmInjectFieldRequest { GpuId = 0, Field = "DCGM_FI_DEV_XID_ERRORS", Value = "79" },
        "ClearFault" => new ClearFaultRequest { FaultId = _heldFaultId, Reason = _marker + "x" },
        "SetEmergencyStop" => new SetEmergencyStopRequest { State = new EmergencyStopState { Engaged = true, Version = 1_000_000, Reason = _marker + "x", ChangedAt = Timestamp.FromDateTime(DateTime.UtcNow) } },
        "StartBugReport" => new StartBugReportRequest { Trigger = _marker + "x" },
        _ => (IMessage)Activator.CreateInstance(method.InputType.ClrType)!,
    };

    /// <summary>Everything an authenticated write could change, read with the valid token.</summary>
    private async Task<string> StateAsync()
    {
        var auth = AgentApplicationFactory.Auth();
        var faults = await _client.ListFaultsAsync(new ListFaultsRequest(), auth);
        var stop = await _client.GetEmergencyStopAsync(new GetEmergencyStopRequest(), auth);
        var reports = await _client.ListBugReportsAsync(new ListBugReportsRequest(), auth);
        var audit = await _client.ListAuditEventsAsync(new ListAuditEventsRequest(), auth);
        return string.Join("\n", faults.ToString(), stop.ToString(), reports.ToString(), audit.ToString());
    }
}
