using FaultAgent.Faults;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;
using Proto = FaultInjection.Agent.V1;

namespace FaultAgent.Grpc;

/// <summary>
/// Binds every RPC of <c>fault_injection.agent.v1.FaultAgent</c> to <see cref="FaultAgentService"/> through
/// <see cref="ServiceMethodProviderContext{TService}"/>'s typed, non-virtual methods (#14, BENCHMARKS.md "the agent's
/// start"). grpc-dotnet's default binder calls the generated <c>BindService(ServiceBinderBase, …)</c>, whose
/// <c>AddMethod&lt;TRequest, TResponse&gt;</c> calls are generic virtual methods: Native AOT builds their dictionaries
/// at run time, ~25 % of the agent's start CPU in perf. Each method gets the metadata the default binder gives it: the
/// service type's attributes (<c>[Authorize]</c>) and POST with CORS preflight. <see cref="FaultAgentService"/> does not
/// derive from the generated base, so the default binder, still registered for every service, binds nothing for it.
/// </summary>
public sealed class FaultAgentServiceMethodProvider : IServiceMethodProvider<FaultAgentService>
{
    private static readonly string ServiceName = Proto.FaultAgent.Descriptor.FullName;

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<FaultAgentService> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var serviceAttributes = typeof(FaultAgentService).GetCustomAttributes(inherit: true);

        Unary(context, serviceAttributes, "InjectXid", Proto.InjectXidRequest.Parser, Proto.InjectResponse.Parser, static (s, r, c) => s.InjectXid(r, c));
        Unary(context, serviceAttributes, "InjectSxid", Proto.InjectSxidRequest.Parser, Proto.InjectResponse.Parser, static (s, r, c) => s.InjectSxid(r, c));
        Unary(context, serviceAttributes, "ListFaults", Proto.ListFaultsRequest.Parser, Proto.ListFaultsResponse.Parser, static (s, r, c) => s.ListFaults(r, c));
        Unary(context, serviceAttributes, "GetFault", Proto.GetFaultRequest.Parser, Proto.Fault.Parser, static (s, r, c) => s.GetFault(r, c));
        Unary(context, serviceAttributes, "ClearFault", Proto.ClearFaultRequest.Parser, Proto.Fault.Parser, static (s, r, c) => s.ClearFault(r, c));
        Unary(context, serviceAttributes, "ListGpus", Proto.ListGpusRequest.Parser, Proto.ListGpusResponse.Parser, static (s, r, c) => s.ListGpus(r, c));
        Unary(context, serviceAttributes, "GetCatalog", Proto.GetCatalogRequest.Parser, Proto.Catalog.Parser, static (s, r, c) => s.GetCatalog(r, c));
        Unary(context, serviceAttributes, "GetGpuTelemetry", Proto.GetGpuTelemetryRequest.Parser, Proto.GpuTelemetry.Parser, static (s, r, c) => s.GetGpuTelemetry(r, c));
        Unary(context, serviceAttributes, "ListGpuProcesses", Proto.ListGpuProcessesRequest.Parser, Proto.GpuProcesses.Parser, static (s, r, c) => s.ListGpuProcesses(r, c));
        Unary(context, serviceAttributes, "StartBugReport", Proto.StartBugReportRequest.Parser, Proto.StartBugReportResponse.Parser, static (s, r, c) => s.StartBugReport(r, c));
        Unary(context, serviceAttributes, "ListBugReports", Proto.ListBugReportsRequest.Parser, Proto.ListBugReportsResponse.Parser, static (s, r, c) => s.ListBugReports(r, c));
        Unary(context, serviceAttributes, "GetBugReport", Proto.GetBugReportRequest.Parser, Proto.BugReport.Parser, static (s, r, c) => s.GetBugReport(r, c));
        context.AddServerStreamingMethod(
            Describe(MethodType.ServerStreaming, "DownloadBugReport", Proto.DownloadBugReportRequest.Parser, Proto.BugReportChunk.Parser),
            Metadata(serviceAttributes),
            static (s, r, w, c) => s.DownloadBugReport(r, w, c));
        Unary(context, serviceAttributes, "SetEmergencyStop", Proto.SetEmergencyStopRequest.Parser, Proto.EmergencyStopState.Parser, static (s, r, c) => s.SetEmergencyStop(r, c));
        Unary(context, serviceAttributes, "GetEmergencyStop", Proto.GetEmergencyStopRequest.Parser, Proto.EmergencyStopState.Parser, static (s, r, c) => s.GetEmergencyStop(r, c));
        Unary(context, serviceAttributes, "ListAuditEvents", Proto.ListAuditEventsRequest.Parser, Proto.ListAuditEventsResponse.Parser, static (s, r, c) => s.ListAuditEvents(r, c));
        Unary(context, serviceAttributes, "InjectDcgmField", Proto.DcgmInjectFieldRequest.Parser, Proto.InjectResponse.Parser, static (s, r, c) => s.InjectDcgmField(r, c));
        Unary(context, serviceAttributes, "GetDcgmFieldCatalog", Proto.DcgmFieldCatalogRequest.Parser, Proto.DcgmFieldCatalog.Parser, static (s, r, c) => s.GetDcgmFieldCatalog(r, c));
    }

    private static void Unary<TRequest, TResponse>(
        ServiceMethodProviderContext<FaultAgentService> context,
        object[] serviceAttributes,
        string name,
        MessageParser<TRequest> requestParser,
        MessageParser<TResponse> responseParser,
        UnaryServerMethod<FaultAgentService, TRequest, TResponse> invoker)
        where TRequest : class, IMessage<TRequest>, IBufferMessage
        where TResponse : class, IMessage<TResponse>, IBufferMessage =>
        context.AddUnaryMethod(Describe(MethodType.Unary, name, requestParser, responseParser), Metadata(serviceAttributes), invoker);

    private static Method<TRequest, TResponse> Describe<TRequest, TResponse>(
        MethodType type, string name, MessageParser<TRequest> requestParser, MessageParser<TResponse> responseParser)
        where TRequest : class, IMessage<TRequest>, IBufferMessage
        where TResponse : class, IMessage<TResponse>, IBufferMessage =>
        new(type, ServiceName, name, Marshaller(requestParser), Marshaller(responseParser));

    /// <summary>The generated code's marshaller: the message written to and parsed from the call's buffers, no copy.</summary>
    private static Marshaller<T> Marshaller<T>(MessageParser<T> parser)
        where T : class, IMessage<T>, IBufferMessage =>
        Marshallers.Create(
            static (T message, SerializationContext context) =>
            {
                context.SetPayloadLength(message.CalculateSize());
                message.WriteTo(context.GetBufferWriter());
                context.Complete();
            },
            context => Parse(parser, context));

    /// <summary>
    /// The request parsed; bytes that are not one (cut short, garbage, a length past the end) are the caller's error:
    /// INVALID_ARGUMENT with a google.rpc.BadRequest naming <c>request</c>, not the framework's UNKNOWN "Exception was
    /// thrown by handler.", and the method never runs.
    /// </summary>
    private static T Parse<T>(MessageParser<T> parser, DeserializationContext context)
        where T : class, IMessage<T>, IBufferMessage
    {
        try
        {
            return parser.ParseFrom(context.PayloadAsReadOnlySequence());
        }
        catch (InvalidProtocolBufferException e)
        {
            var name = parser.ParseFrom(ReadOnlySpan<byte>.Empty).Descriptor.FullName;
            throw FaultErrorInterceptor.ToRpcException(new InvalidRequestException("request", $"is not a valid {name} message: {e.Message}"))!;
        }
    }

    private static List<object> Metadata(object[] serviceAttributes) =>
        [.. serviceAttributes, new HttpMethodMetadata(["POST"], acceptCorsPreflight: true)];
}
