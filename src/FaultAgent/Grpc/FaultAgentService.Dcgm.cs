using FaultAgent.Dcgm;
using Grpc.Core;
using Proto = FaultInjection.Agent.V1;

namespace FaultAgent.Grpc;

/// <summary>The DCGM RPCs (added to the contract after its first version): field injection and the field catalog.</summary>
public sealed partial class FaultAgentService
{
    public async Task<Proto.InjectResponse> InjectDcgmField(Proto.DcgmInjectFieldRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var result = await dcgm.InjectFieldAsync(
            new DcgmFieldInjectionRequest
            {
                FaultId = request.FaultId,
                GpuId = request.GpuId,
                Field = request.Field,
                Value = request.Value,
                Duration = ToTimeSpan(request.Duration),
                DryRun = request.DryRun,
                IdempotencyKey = request.IdempotencyKey,
            },
            Caller(context),
            context.CancellationToken).ConfigureAwait(false);
        return ToResponse(result, request.IdempotencyKey);
    }

    public Task<Proto.DcgmFieldCatalog> GetDcgmFieldCatalog(Proto.DcgmFieldCatalogRequest request, ServerCallContext context)
    {
        var response = new Proto.DcgmFieldCatalog();
        response.Fields.AddRange(dcgmCatalog.Fields.Select(f => f.ToProto()));
        return Task.FromResult(response);
    }
}
