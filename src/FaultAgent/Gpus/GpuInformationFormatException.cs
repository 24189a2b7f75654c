namespace FaultAgent.Gpus;

/// <summary>An information file that cannot describe an addressable GPU (no Bus Location, no Device Minor, bad line).</summary>
public sealed class GpuInformationFormatException : Exception
{
    public GpuInformationFormatException()
    {
    }

    public GpuInformationFormatException(string message)
        : base(message)
    {
    }

    public GpuInformationFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
