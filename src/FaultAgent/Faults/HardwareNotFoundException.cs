namespace FaultAgent.Faults;

/// <summary>No GPU (or NVSwitch) with that number on this node.</summary>
public sealed class HardwareNotFoundException : Exception
{
    public HardwareNotFoundException()
    {
    }

    public HardwareNotFoundException(string message)
        : base(message)
    {
    }

    public HardwareNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The request field naming the missing device: <c>gpu_id</c> or <c>nvswitch</c>.</summary>
    public string Field { get; init; } = "";
}
