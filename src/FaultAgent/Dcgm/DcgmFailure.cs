namespace FaultAgent.Dcgm;

/// <summary>Why DCGM could not do what the agent asked; each has its ErrorInfo reason and gRPC status.</summary>
public enum DcgmFailure
{
    /// <summary>dcgmi printed "unable to establish a connection": no hostengine answers at the address.</summary>
    HostEngineUnreachable,

    /// <summary>dcgmi (or the driver root it runs in) is not on the host.</summary>
    ToolUnavailable,

    /// <summary>The hostengine does not list the GPU (matched by PCI bus id) in dcgmi discovery -l.</summary>
    GpuNotManaged,

    /// <summary>The hostengine refused the injection (dcgmi: "Unable to inject info").</summary>
    InjectionRejected,

    /// <summary>The value read back through DCGM is not the value written.</summary>
    ValueNotKept,

    /// <summary>dcgmi ran past Agent:Dcgm:CommandTimeout and was killed.</summary>
    Timeout,

    /// <summary>dcgmi failed otherwise, or printed what the agent cannot read.</summary>
    CommandFailed,
}
