namespace FaultAgent.Injection;

/// <summary>
/// What the driver knows of a GPU's board and this agent can only learn from nvidia-smi: the board serial number
/// (<c>serial</c>) and the PCI vendor:device id (<c>pci.device_id</c>). A value that could not be learned is null and
/// <see cref="UnavailableReason"/> says why; it is then left out of the records, never invented.
/// </summary>
/// <param name="Serial">The board serial as the driver prints it, e.g. <c>1650124031592</c>; null: unknown or the board has none.</param>
/// <param name="PciId">Lower-case <c>vvvv:dddd</c>, e.g. <c>10de:2330</c>; null: unknown.</param>
/// <param name="UnavailableReason">Why a value is missing, for the fault's notes; null when both are known.</param>
public sealed record GpuBoardInfo(string? Serial, string? PciId, string? UnavailableReason)
{
    public static GpuBoardInfo Unknown(string reason) => new(null, null, reason);
}
