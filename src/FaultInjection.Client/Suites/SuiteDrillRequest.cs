namespace FaultInjection.Client.Suites;

/// <summary>
/// One drill of a <see cref="SuiteRequest"/>: the fields of a drill (<c>POST /api/v1/drills</c>) on one node
/// (<see cref="NodeName"/>) or on <see cref="Count"/> nodes matching <see cref="NodeSelector"/> (one drill each), and a name.
/// </summary>
public sealed class SuiteDrillRequest
{
    /// <summary>The drill's name in reports (default: <c>xid N</c> / <c>sxid N</c>).</summary>
    public string? Name { get; set; }

    /// <summary>The node (or use <see cref="NodeSelector"/>).</summary>
    public string? NodeName { get; set; }

    /// <summary>A Kubernetes label selector choosing the nodes (e.g. <c>pool=smoke</c>).</summary>
    public string? NodeSelector { get; set; }

    /// <summary>With <see cref="NodeSelector"/>: how many matching nodes get this drill (default 1).</summary>
    public int? Count { get; set; }

    /// <summary>The GPU of an Xid drill (default 0).</summary>
    public int? GpuId { get; set; }

    /// <summary>The Xid to inject (or <see cref="Sxid"/>).</summary>
    public int? Xid { get; set; }

    /// <summary>The SXid to inject, with <see cref="Nvswitch"/> and <see cref="Link"/>.</summary>
    public int? Sxid { get; set; }

    /// <summary>The N of nvidia-nvswitchN (SXid drills).</summary>
    public int? Nvswitch { get; set; }

    /// <summary>The NVLink port (SXid drills).</summary>
    public int? Link { get; set; }

    /// <summary>The text after the number (default: the catalog's).</summary>
    public string? Message { get; set; }

    /// <summary>Where the Xid is written (default: the kernel log).</summary>
    public IList<string>? Surfaces { get; init; }

    /// <summary>The expected reactions: <c>condition:&lt;Type&gt;</c>, <c>cordon</c>, <c>taint:&lt;key&gt;</c>, <c>drain[:&lt;namespace&gt;]</c>, <c>reboot</c>, <c>recover</c>.</summary>
    public IList<string>? Expect { get; init; }

    /// <summary>When the drill fails if an expectation is still missing (default: the API's).</summary>
    public double? TimeoutSeconds { get; set; }
}
