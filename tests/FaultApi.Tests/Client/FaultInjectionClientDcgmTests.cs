using System.Net;
using FaultApi.Tests.Dcgm;
using FaultApi.Tests.Infrastructure;
using FaultInjection.Client;
using FaultInjection.Client.Dcgm;
using FaultInjection.Client.Faults;

namespace FaultApi.Tests.Client;

/// <summary>The .NET client's DCGM calls against the real API and real agents running the stand-in dcgmi (<see cref="DcgmCluster"/>).</summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class FaultInjectionClientDcgmTests(DcgmCluster cluster) : IClassFixture<DcgmCluster>, IDisposable
{
    private readonly HttpClient _http = cluster.Api.CreateClient();

    public void Dispose() => _http.Dispose();

    private FaultInjectionClient Client() => new(_http, ApiApplicationFactory.AliceToken);

    [RootFact]
    public async Task InjectXidAsync_DcgmSurface_HandleCarriesTheReadBackAndItsDisposalRestoresTheField()
    {
        using var client = Client();
        await using (var handle = await client.InjectXidAsync(DcgmCluster.DcgmNode, 79, gpuId: 4, new XidInjectionOptions { Surfaces = ["dcgm"] }))
        {
            var write = Assert.Single(handle.Result.DcgmWrites);
            Assert.Equal(["dcgm"], handle.Result.Surfaces);
            Assert.Equal("79", write.ReadBack);
            Assert.Equal(DcgmCluster.DcgmGpuIdOf(4), write.DcgmGpuId);
            Assert.Null(write.RestoreState);
            Assert.Equal(79, cluster.Dcgmi.Value(DcgmCluster.DcgmGpuIdOf(4), 230));
        }

        Assert.Equal(0, cluster.Dcgmi.Value(DcgmCluster.DcgmGpuIdOf(4), 230));
    }

    [RootFact]
    public async Task InjectDcgmFieldAsync_ByName_VerifiedThenClearedWithTheRestoreProof()
    {
        using var client = Client();
        var handle = await client.InjectDcgmFieldAsync(DcgmCluster.DcgmNode, 1, "DCGM_FI_DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL", 3);

        var cleared = await client.ClearFaultAsync(handle.Result.FaultId);

        Assert.Equal("dcgm_field", handle.Result.Kind);
        Assert.Equal("3", handle.Result.DcgmWrites[0].ReadBack);
        Assert.Equal("restored", cleared.DcgmWrites[0].RestoreState);
        Assert.Equal("0", cleared.DcgmWrites[0].RestoredReadBack);
    }

    [RootFact]
    public async Task GetDcgmFieldsAsync_Catalog_TypedFields()
    {
        using var client = Client();

        var catalog = await client.GetDcgmFieldsAsync();

        var replay = Assert.Single(catalog.Fields, f => f.FieldId == 429);
        Assert.Equal("DCGM_FI_DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL", replay.Name);
        Assert.Equal("DCGM_FI_DEV_NVLINK_REPLAY_ERROR_TOTAL", replay.NewName);
        Assert.Equal("polled", replay.UpdatedBy);
    }

    [RootFact]
    public async Task InjectXidAsync_HostEngineUnreachable_ApiExceptionWith502Problem()
    {
        using var client = Client();

        var e = await Assert.ThrowsAsync<FaultInjectionApiException>(() => client.InjectXidAsync(DcgmCluster.UnreachableNode, 79, 0, new XidInjectionOptions { Surfaces = ["kmsg", "dcgm"] }));

        Assert.Equal(HttpStatusCode.BadGateway, e.StatusCode);
        Assert.Equal("DCGM hostengine unreachable", e.Title);
    }
}
