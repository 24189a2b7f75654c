using System.Text.Json;
using FaultApi.Tests.EndToEnd;

namespace FaultApi.Tests.Hosting;

/// <summary>
/// The runtime settings the API ships with, as the runtime reads them: the runtimeconfig beside the built FaultApi.dll (set
/// in FaultApi.csproj, measured in BENCHMARKS.md: the fan-out API's memory, the API's injection). A deployment overrides
/// them per pod with <c>DOTNET_*</c> variables; the build must not lose them.
/// </summary>
public sealed class ApiRuntimeConfigTests
{
    [Fact]
    public void RuntimeConfig_AsBuilt_CapsTheGen0BudgetAt16MiB()
    {
        var properties = ConfigProperties();

        // Without the cap the workstation, non-concurrent GC grows gen0's budget up to 128 MiB (what
        // GC.GetConfigurationVariables reports as GCGen0MaxBudget by default on this runtime) and keeps it committed.
        Assert.True(properties.TryGetProperty("System.GC.Gen0MaxBudget", out var budget), "System.GC.Gen0MaxBudget is not in FaultApi.runtimeconfig.json");
        Assert.Equal(16 * 1024 * 1024, budget.GetInt64());
    }

    [Fact]
    public void RuntimeConfig_AsBuilt_TieredPgoOff()
    {
        // With dynamic PGO the API's hot methods ran instrumented code, and the JIT kept compiling, for thousands of
        // injections after a start (BENCHMARKS.md, 2026-12-03 15:55-17:15).
        Assert.True(ConfigProperties().TryGetProperty("System.Runtime.TieredPGO", out var pgo), "System.Runtime.TieredPGO is not in FaultApi.runtimeconfig.json");
        Assert.False(pgo.GetBoolean());
    }

    [Fact]
    public void RuntimeConfig_AsBuilt_ThreadPoolDoesNotSpin_WorkstationGcWithoutBackgroundThread()
    {
        var properties = ConfigProperties();

        Assert.Equal(0, properties.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.False(properties.GetProperty("System.GC.Concurrent").GetBoolean());
    }

    private static JsonElement ConfigProperties()
    {
        var file = Path.ChangeExtension(FaultApiProcess.ApiAssembly, ".runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(file));
        return document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }
}
