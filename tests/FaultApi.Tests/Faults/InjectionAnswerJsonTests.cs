using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using FaultApi.Dcgm;
using FaultApi.Faults;
using FaultApi.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FaultApi.Tests.Faults;

/// <summary>
/// An injection's answer as <see cref="SizedJsonResult{TValue}"/> writes it (one write, with its length, by the
/// source-generated serializers of <c>InjectionJsonContext</c>): the same bytes and content type as <c>TypedResults.Ok</c>
/// with the API's reflection-based options (#14 apiwork).
/// </summary>
public sealed class InjectionAnswerJsonTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddApiHttp().BuildServiceProvider();

    private JsonSerializerOptions ApiOptions => _services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;


    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task ExecuteAsync_EveryFieldSet_WritesTheBytesOfTypedResultsOk_WithItsLength()
    {
        var fault = EveryFieldSet();

        var (before, beforeHeaders) = await AnswerAsync(TypedResults.Ok(fault));
        var (after, afterHeaders) = await AnswerAsync(new SizedJsonResult<FaultResource>(fault, InjectionJsonContext.Default.FaultResource));

        Assert.Equal(Encoding.UTF8.GetString(before), Encoding.UTF8.GetString(after));
        Assert.Equal(before, after);
        Assert.Equal(beforeHeaders.ContentType, afterHeaders.ContentType);
        Assert.Equal(StatusCodes.Status200OK, afterHeaders.StatusCode);
        Assert.Null(beforeHeaders.ContentLength);
        Assert.Equal(after.Length, afterHeaders.ContentLength);
    }

    [Fact]
    public async Task ExecuteAsync_ManyNodes_WritesTheBytesOfTypedResultsOk_AndTheBufferIsReused()
    {
        var many = new MultiInjectionResource("injected", "pool=a", 2, [EveryFieldSet(), EveryFieldSet() with
        {
            FaultId = "fault-2", NodeName = "gpu-node-002", Nvswitch = null, Link = null, ExpiresAt = null, EndedAt = null, EndedReason = null,
            IdempotencyKey = null, EndedBy = null, BugReportId = null, BugReportError = null, GpuInstance = null, ComputeInstance = null,
        }]);

        var (before, _) = await AnswerAsync(TypedResults.Ok(many));
        var (after, headers) = await AnswerAsync(new SizedJsonResult<MultiInjectionResource>(many, InjectionJsonContext.Default.MultiInjectionResource));
        var (again, _) = await AnswerAsync(new SizedJsonResult<FaultResource>(many.Faults[1], InjectionJsonContext.Default.FaultResource));
        var (single, _) = await AnswerAsync(TypedResults.Ok(many.Faults[1]));

        Assert.Equal(before, after);
        Assert.Equal(after.Length, headers.ContentLength);
        Assert.Equal(single, again);
    }

    [Fact]
    public void InjectionJsonContext_Answers_HaveGeneratedSerializers()
    {
        // The fast path SizedJsonResult writes with (absent, System.Text.Json would fall back to the metadata path).
        Assert.NotNull(InjectionJsonContext.Default.FaultResource.SerializeHandler);
        Assert.NotNull(InjectionJsonContext.Default.MultiInjectionResource.SerializeHandler);
    }

    [Fact]
    public void Serialize_GeneratedAndReflection_SameBytes()
    {
        var fault = EveryFieldSet();
        var many = new MultiInjectionResource("dry_run", "pool=a", 1, [fault]);

        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(fault, ApiOptions), Generated(fault, InjectionJsonContext.Default.FaultResource));
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(many, ApiOptions), Generated(many, InjectionJsonContext.Default.MultiInjectionResource));
    }

    /// <summary>As SizedJsonResult writes: the context's serializer, a writer with the API's writer settings.</summary>
    private byte[] Generated<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, ReusedJsonBuffer.WriterOptions(ApiOptions)))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        return output.WrittenSpan.ToArray();
    }

    private async Task<(byte[] Body, HttpResponse Response)> AnswerAsync(IResult result)
    {
        var context = new DefaultHttpContext { RequestServices = _services };
        using var body = new MemoryStream();
        context.Response.Body = body;
        await result.ExecuteAsync(context);
        await context.Response.BodyWriter.FlushAsync();
        return (body.ToArray(), context.Response);
    }

    private static FaultResource EveryFieldSet()
    {
        var at = new DateTimeOffset(2026, 12, 4, 17, 1, 2, 345, TimeSpan.FromHours(1)).AddTicks(6789);
        return new FaultResource(
            "fault-1", "injected", "active", "gpu_xid_79", "xid", 79, "gpu-node-001/gpu0", "gpu-node-001", 0, "0000:19:00.0",
            "GPU-ee7954ec-da95-fd7a-ddfd-c6b32cc2f8aa", 3, 4, "a message with <html> & 'quotes' \"and\" é ü 日本 \u0001",
            "NVRM: Xid (PCI:0000:19:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.",
            [new KernelRecordResource("NVRM: Xid 79", 3, 0, ulong.MaxValue, 1234567890123, at), new KernelRecordResource("second", 4, 1, 2, 3, null)],
            at, at.AddHours(1), at.AddHours(2), "cleared", "fault-api/alice", "key-1", "boot-1", "critical", "reset the GPU", true, false)
        {
            EndedBy = "bob",
            Surfaces = ["kmsg", "dcgm"],
            DcgmWrites = [new DcgmWriteResource(230, "DCGM_FI_DEV_XID_ERRORS", 0, "localhost", "79", "0", "79", at, "0", "restored", "0", at, "ok")],
            BugReportId = "report-1",
            BugReportError = "none",
            DriverVersion = "570.86.15",
            DriverVersionSource = "node",
            LineForm = "r570",
            GpuInstance = 1,
            ComputeInstance = 2,
            Notes = ["a note"],
        };
    }
}
