namespace FaultInjection.Client.Drills;

/// <summary>
/// Body of <c>POST /api/v1/drills</c>: one Xid (<see cref="Xid"/>, <see cref="GpuId"/>) or SXid (<see cref="Sxid"/>,
/// <see cref="Nvswitch"/>, <see cref="Link"/>) on <see cref="NodeName"/>, and the expected reactions
/// (<c>condition:&lt;Type&gt;</c>, <c>cordon</c>, <c>taint:&lt;key&gt;</c>, <c>drain[:&lt;namespace&gt;]</c>, <c>reboot</c>, <c>recover</c>).
/// Use <see cref="ForXid"/> or <see cref="ForSxid"/>.
/// </summary>
public sealed class DrillRequest
{
    public string NodeName { get; init; } = "";

    public int? Xid { get; init; }

    public int? GpuId { get; init; }

    public int? Sxid { get; init; }

    public int? Nvswitch { get; init; }

    public int? Link { get; init; }

    public string? Message { get; init; }

    public IReadOnlyList<string> Expect { get; init; } = [];

    /// <summary>Where to inject: unset for <c>["kmsg"]</c>; <c>["kmsg", "dcgm"]</c> also sets DCGM field 230, so DCGM-side monitors can react.</summary>
    public IReadOnlyList<string>? Surfaces { get; init; }

    /// <summary>When the drill fails if not every expectation was seen (the server's default when null).</summary>
    public double? TimeoutSeconds { get; init; }

    public static DrillRequest ForXid(string nodeName, int xid, IReadOnlyList<string> expect, int gpuId = 0, TimeSpan? timeout = null, string? message = null) =>
        new() { NodeName = nodeName, Xid = xid, GpuId = gpuId, Expect = expect, TimeoutSeconds = timeout?.TotalSeconds, Message = message };

    public static DrillRequest ForSxid(string nodeName, int sxid, int nvswitch, int link, IReadOnlyList<string> expect, TimeSpan? timeout = null, string? message = null) =>
        new() { NodeName = nodeName, Sxid = sxid, Nvswitch = nvswitch, Link = link, Expect = expect, TimeoutSeconds = timeout?.TotalSeconds, Message = message };
}
