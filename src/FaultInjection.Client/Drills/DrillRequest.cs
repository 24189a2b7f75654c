namespace FaultInjection.Client.Drills;

/// <summary>
/// Body of <c>POST /api/v1/drills</c>: one Xid (<see cref="Xid"/>, <see cref="GpuId"/>) or SXid (<see cref="Sxid"/>,
/// <see cref="Nvswitch"/>, <see cref="Link"/>) on <see cref="NodeName"/>, and the expected reactions
/// (<c>condition:&lt;Type&gt;</c>, <c>cordon</c>, <c>taint:&lt;key&gt;</c>, <c>drain[:&lt;namespace&gt;]</c>, <c>reboot</c>, <c>recover</c>).
/// Use <see cref="ForXid"/> or <see cref="ForSxid"/>.
/// </summary>
public sealed class DrillRequest
{
    /// <summary>The node to inject on.</summary>
    public string NodeName { get; init; } = "";

    /// <summary>The Xid to inject (an Xid drill); set either this or <see cref="Sxid"/>.</summary>
    public int? Xid { get; init; }

    /// <summary>The GPU of an Xid drill.</summary>
    public int? GpuId { get; init; }

    /// <summary>The SXid to inject (an NVSwitch drill).</summary>
    public int? Sxid { get; init; }

    /// <summary>The NVSwitch of an SXid drill.</summary>
    public int? Nvswitch { get; init; }

    /// <summary>The NVSwitch link of an SXid drill.</summary>
    public int? Link { get; init; }

    /// <summary>The message the line carries; unset: the catalog's.</summary>
    public string? Message { get; init; }

    /// <summary>What the monitor must do: <c>condition:&lt;Type&gt;</c>, <c>cordon</c>, <c>taint:&lt;key&gt;</c>, <c>drain[:&lt;namespace&gt;]</c>, <c>reboot</c>, <c>recover</c>.</summary>
    public IReadOnlyList<string> Expect { get; init; } = [];

    /// <summary>Where to inject: unset for <c>["kmsg"]</c>; <c>["kmsg", "dcgm"]</c> also sets DCGM field 230, so DCGM-side monitors can react.</summary>
    public IReadOnlyList<string>? Surfaces { get; init; }

    /// <summary>When the drill fails if not every expectation was seen (the server's default when null).</summary>
    public double? TimeoutSeconds { get; init; }

    /// <summary>A drill that injects Xid <paramref name="xid"/> on GPU <paramref name="gpuId"/> of <paramref name="nodeName"/> and waits up to <paramref name="timeout"/> for <paramref name="expect"/>.</summary>
    /// <param name="nodeName">The node to inject on.</param>
    /// <param name="xid">The Xid number.</param>
    /// <param name="expect">The expectations.</param>
    /// <param name="gpuId">The GPU (default 0).</param>
    /// <param name="timeout">How long to wait for every expectation; unset: the API's default.</param>
    /// <param name="message">The line's message; unset: the catalog's.</param>
    /// <returns>The request, for <see cref="FaultInjectionClient.StartDrillAsync"/> or <see cref="FaultInjectionClient.RunDrillAsync"/>.</returns>
    public static DrillRequest ForXid(string nodeName, int xid, IReadOnlyList<string> expect, int gpuId = 0, TimeSpan? timeout = null, string? message = null) =>
        new() { NodeName = nodeName, Xid = xid, GpuId = gpuId, Expect = expect, TimeoutSeconds = timeout?.TotalSeconds, Message = message };

    /// <summary>A drill that injects SXid <paramref name="sxid"/> on link <paramref name="link"/> of NVSwitch <paramref name="nvswitch"/> and waits up to <paramref name="timeout"/> for <paramref name="expect"/>.</summary>
    /// <param name="nodeName">The node to inject on.</param>
    /// <param name="sxid">The SXid number.</param>
    /// <param name="nvswitch">The NVSwitch instance.</param>
    /// <param name="link">The NVSwitch link.</param>
    /// <param name="expect">The expectations.</param>
    /// <param name="timeout">How long to wait for every expectation; unset: the API's default.</param>
    /// <param name="message">The line's message; unset: the catalog's.</param>
    /// <returns>The request, for <see cref="FaultInjectionClient.StartDrillAsync"/> or <see cref="FaultInjectionClient.RunDrillAsync"/>.</returns>
    public static DrillRequest ForSxid(string nodeName, int sxid, int nvswitch, int link, IReadOnlyList<string> expect, TimeSpan? timeout = null, string? message = null) =>
        new() { NodeName = nodeName, Sxid = sxid, Nvswitch = nvswitch, Link = link, Expect = expect, TimeoutSeconds = timeout?.TotalSeconds, Message = message };
}
