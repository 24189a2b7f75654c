using FaultApi.Validation;

namespace FaultApi.Faults;

/// <summary>
/// Checks <c>surfaces</c> at the edge, as the agents do: <c>kmsg</c> (the kernel log) and/or <c>dcgm</c> (DCGM field 230 for
/// an Xid), each once; <c>dcgm</c> only for GPU faults. Absent or empty: <c>["kmsg"]</c>.
/// </summary>
public static class SurfacesValidator
{
    private static readonly string[] Known = ["kmsg", "dcgm"];

    /// <summary>Adds the error for field <c>surfaces</c>, if any (never repeating the refused value).</summary>
    public static void Check(RequestErrors errors, IList<string>? surfaces, bool gpuFault)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (surfaces is null || surfaces.Count == 0)
        {
            return;
        }

        if (surfaces.Any(s => !Known.Contains(s, StringComparer.Ordinal)))
        {
            errors.Add("surfaces", "each must be \"kmsg\" (the kernel log) or \"dcgm\" (DCGM)");
        }
        else if (surfaces.Distinct(StringComparer.Ordinal).Count() != surfaces.Count)
        {
            errors.Add("surfaces", "names a surface twice");
        }
        else if (!gpuFault && surfaces.Contains("dcgm"))
        {
            errors.Add("surfaces", "\"dcgm\" is for GPU faults: dcgmi test --inject sets fields of a GPU, not of an NVSwitch");
        }
    }
}
