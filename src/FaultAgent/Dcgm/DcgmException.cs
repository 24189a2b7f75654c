namespace FaultAgent.Dcgm;

/// <summary>DCGM could not do what the agent asked (see <see cref="Failure"/>); nothing was recorded.</summary>
public sealed class DcgmException : Exception
{
    public DcgmException()
        : this(DcgmFailure.CommandFailed, "DCGM failed.")
    {
    }

    public DcgmException(string message)
        : this(DcgmFailure.CommandFailed, message)
    {
    }

    public DcgmException(string message, Exception innerException)
        : this(DcgmFailure.CommandFailed, message, innerException)
    {
    }

    public DcgmException(DcgmFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    public DcgmFailure Failure { get; }

    /// <summary>The google.rpc.ErrorInfo reason, e.g. <c>DCGM_HOSTENGINE_UNREACHABLE</c>.</summary>
    public string Reason => Failure switch
    {
        DcgmFailure.HostEngineUnreachable => "DCGM_HOSTENGINE_UNREACHABLE",
        DcgmFailure.ToolUnavailable => "DCGM_TOOL_UNAVAILABLE",
        DcgmFailure.GpuNotManaged => "DCGM_GPU_NOT_MANAGED",
        DcgmFailure.InjectionRejected => "DCGM_INJECTION_REJECTED",
        DcgmFailure.ValueNotKept => "DCGM_VALUE_NOT_KEPT",
        DcgmFailure.Timeout => "DCGM_TIMEOUT",
        _ => "DCGM_COMMAND_FAILED",
    };

    /// <summary>The hostengine address as dcgmi was given it ("" for dcgmi's default, localhost).</summary>
    public string HostEngine { get; init; } = "";
}
