using FaultAgent.Dcgm;
using FaultAgent.Tests.HostProcesses;
using FaultAgent.Tests.Infrastructure;

namespace FaultAgent.Tests.Dcgm;

/// <summary>
/// <see cref="DcgmFieldWriter"/> against the stand-in dcgmi in a stand-in host: mapping by PCI bus id, read-back
/// verification, take-back, and the write ledger.
/// </summary>
[Trait(RootRequirement.TraitName, RootRequirement.TraitValue)]
public sealed class DcgmFieldWriterTests : IClassFixture<HostNamespaceFixture>, IDisposable
{
    private static readonly DcgmFieldCatalogEntry XidErrors = DcgmFieldCatalog.Default.FindById(230)!;
    private static readonly DcgmFieldCatalogEntry EccDbe = DcgmFieldCatalog.Default.FindById(311)!;
    private const string Minor0 = "0000:3b:00.0"; // DCGM GPU 1 in the stand-in
    private const string Minor1 = "0000:5e:00.0"; // DCGM GPU 0
    private readonly HostNamespaceFixture _host;
    private readonly TestDirectory _state = new();
    private readonly StandInDcgmi _dcgmi;
    private readonly DcgmWriteLedger _ledger;
    private readonly DcgmFieldWriter _writer;

    public DcgmFieldWriterTests(HostNamespaceFixture host)
    {
        _host = host;
        _dcgmi = new StandInDcgmi(host);
        _ledger = DcgmTestParts.Ledger(_state.Path);
        _writer = DcgmTestParts.Writer(DcgmTestParts.Client(host, new DcgmOptions { DcgmiPath = _dcgmi.Path }), _ledger);
    }

    public void Dispose()
    {
        _writer.Dispose();
        _ledger.Dispose();
        _state.Dispose();
    }

    [RootFact]
    public async Task PlanAsync_DeviceMinorZero_DcgmGpuFoundByBusIdNotMinor()
    {
        var plan = await _writer.PlanAsync(Minor0, XidErrors, 79, holder: null, CancellationToken.None);

        Assert.Equal(1, plan.DcgmGpuId);
        Assert.Equal("N/A", plan.ValueBefore);
        Assert.Equal(0, plan.RestoreValue); // nothing before: the field's healthy value
        Assert.Null(_dcgmi.Value(1, 230)); // a plan writes nothing
    }

    [RootFact]
    public async Task PlanAsync_ValueBeforeIsANumber_RestoresThatValue()
    {
        _dcgmi.SetValue(0, 311, 3);

        var plan = await _writer.PlanAsync(Minor1, EccDbe, 9, holder: null, CancellationToken.None);

        Assert.Equal(0, plan.DcgmGpuId);
        Assert.Equal("3", plan.ValueBefore);
        Assert.Equal(3, plan.RestoreValue);
    }

    [RootFact]
    public async Task PlanAsync_GpuTheHostEngineDoesNotList_GpuNotManagedNamingWhatItLists()
    {
        var e = await Assert.ThrowsAsync<DcgmException>(() => _writer.PlanAsync("0000:99:00.0", XidErrors, 79, null, CancellationToken.None));

        Assert.Equal(DcgmFailure.GpuNotManaged, e.Failure);
        Assert.Contains("GPU 0 at 00000000:5E:00.0, GPU 1 at 00000000:3B:00.0", e.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task WriteAsync_ThenRestoreAsync_BothReadBackAndTheLedgerSettles()
    {
        var plan = await _writer.PlanAsync(Minor0, XidErrors, 79, null, CancellationToken.None);

        var written = await _writer.WriteAsync("fault-1", plan, CancellationToken.None);
        var openAfterWrite = _ledger.Open;
        var restored = await _writer.RestoreAsync("fault-1", written, CancellationToken.None);

        Assert.Equal("79", written.ReadBack);
        Assert.NotNull(written.VerifiedAt);
        Assert.Equal("fault-1", Assert.Single(openAfterWrite).FaultId);
        Assert.Equal(DcgmRestoreState.Restored, restored.RestoreState);
        Assert.Equal("0", restored.RestoredReadBack);
        Assert.Equal(0, _dcgmi.Value(1, 230));
        Assert.Empty(_ledger.Open);
        Assert.Empty(DcgmTestParts.Ledger(_state.Path).Open); // as read from the file by a restarted agent
    }

    [RootFact]
    public async Task WriteAsync_DriverKeepsItsOwnValue_ValueNotKeptAndTakenBack()
    {
        _dcgmi.SetDriverValue(1, 311, 0);
        var plan = await _writer.PlanAsync(Minor0, EccDbe, 1, null, CancellationToken.None);

        var e = await Assert.ThrowsAsync<DcgmException>(() => _writer.WriteAsync("fault-2", plan, CancellationToken.None));

        Assert.Equal(DcgmFailure.ValueNotKept, e.Failure);
        Assert.Equal(global::Grpc.Core.StatusCode.Aborted, FaultAgent.Grpc.FaultStatusCodes.For(e));
        Assert.Contains("injected as 1 and read back as 0", e.Message, StringComparison.Ordinal);
        Assert.Empty(_ledger.Open); // taken back (to 0) and read back
        Assert.Equal(2, _dcgmi.Calls.Count(c => c[0] == "test")); // the injection and its take-back
    }

    [RootFact]
    public async Task WriteAsync_HostEngineGoneBeforeTheWrite_UnreachableAndNothingLeftOpen()
    {
        var plan = await _writer.PlanAsync(Minor0, XidErrors, 79, null, CancellationToken.None);
        _dcgmi.SetHostEngineRunning(false);

        var e = await Assert.ThrowsAsync<DcgmException>(() => _writer.WriteAsync("fault-3", plan, CancellationToken.None));

        Assert.Equal(DcgmFailure.HostEngineUnreachable, e.Failure);
        Assert.Empty(_ledger.Open);
    }

    [RootFact]
    public async Task RestoreAsync_HostEngineAway_FailedWithTheReasonAndLeftOpenInTheLedger()
    {
        var written = await _writer.WriteAsync("fault-4", await _writer.PlanAsync(Minor0, XidErrors, 79, null, CancellationToken.None), CancellationToken.None);
        _dcgmi.SetHostEngineRunning(false);

        var failed = await _writer.RestoreAsync("fault-4", written, CancellationToken.None);
        _dcgmi.SetHostEngineRunning(true);
        var retried = await _writer.RestoreAsync("fault-4", failed, CancellationToken.None);

        Assert.Equal(DcgmRestoreState.Failed, failed.RestoreState);
        Assert.Contains("No DCGM hostengine answers", failed.RestoreDetail, StringComparison.Ordinal);
        Assert.Equal(DcgmRestoreState.Restored, retried.RestoreState);
        Assert.Equal("", retried.RestoreDetail);
        Assert.Empty(_ledger.Open);
    }
}
