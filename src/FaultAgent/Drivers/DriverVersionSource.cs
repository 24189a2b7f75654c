namespace FaultAgent.Drivers;

/// <summary>Where the driver version whose format is written came from.</summary>
public enum DriverVersionSource
{
    /// <summary>The node's <c>&lt;ProcRoot&gt;/driver/nvidia/version</c>.</summary>
    Node,

    /// <summary>The request's <c>driver_version</c>.</summary>
    Request,

    /// <summary>Neither: the newest format.</summary>
    Default,
}
