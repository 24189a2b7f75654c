using Google.Protobuf.Reflection;
using Grpc.Core;

namespace FaultAgent.Tests.Infrastructure;

/// <summary>Calls any method by its descriptor with the request's wire bytes as given (valid or not), reading every answer.</summary>
public static class RawGrpcCall
{
    /// <summary>The status, the first answer's bytes (OK only) and the trailers of a refusal.</summary>
    public static async Task<(Status Status, byte[]? Response, Metadata Trailers)> CallAsync(CallInvoker invoker, MethodDescriptor descriptor, byte[] request, Metadata headers)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        ArgumentNullException.ThrowIfNull(descriptor);
        var marshaller = Marshallers.Create(b => b, b => b);
        var type = descriptor.IsClientStreaming
            ? descriptor.IsServerStreaming ? MethodType.DuplexStreaming : MethodType.ClientStreaming
            : descriptor.IsServerStreaming ? MethodType.ServerStreaming : MethodType.Unary;
        var method = new Method<byte[], byte[]>(type, descriptor.Service.FullName, descriptor.Name, marshaller, marshaller);
        var options = new CallOptions(headers, DateTime.UtcNow.AddSeconds(60));
        try
        {
            switch (type)
            {
                case MethodType.Unary:
                    return (Status.DefaultSuccess, await invoker.AsyncUnaryCall(method, null, options, request), []);
                case MethodType.ServerStreaming:
                    using (var call = invoker.AsyncServerStreamingCall(method, null, options, request))
                    {
                        return (Status.DefaultSuccess, await ReadAllAsync(call.ResponseStream), []);
                    }

                default:
                    using (var call = invoker.AsyncDuplexStreamingCall(method, null, options))
                    {
                        await call.RequestStream.WriteAsync(request);
                        await call.RequestStream.CompleteAsync();
                        return (Status.DefaultSuccess, await ReadAllAsync(call.ResponseStream), []);
                    }
            }
        }
        catch (RpcException error)
        {
            return (error.Status, null, error.Trailers);
        }
    }

    private static async Task<byte[]?> ReadAllAsync(IAsyncStreamReader<byte[]> stream)
    {
        byte[]? first = null;
        while (await stream.MoveNext(CancellationToken.None))
        {
            first ??= stream.Current;
        }

        return first;
    }
}
