namespace FaultAgent.Faults;

/// <summary>
/// Where a fault is written: <c>kmsg</c> (the host's kernel log, what syslog-reading monitors see) and <c>dcgm</c> (DCGM
/// fields, what DCGM health watches, policies and dcgm-exporter see). A request without surfaces means <c>["kmsg"]</c>.
/// </summary>
public static class InjectionSurfaces
{
    public const string KernelLog = "kmsg";
    public const string Dcgm = "dcgm";

    public static readonly IReadOnlyList<string> Default = [KernelLog];

    /// <summary>
    /// The surfaces asked for, checked (known names, no repeats, <c>dcgm</c> only where <paramref name="dcgmTarget"/> says
    /// what it would set) and put in their canonical order; violations are added for field <c>surfaces</c>.
    /// </summary>
    public static IReadOnlyList<string> Check(IReadOnlyList<string>? requested, string? dcgmTarget, List<FaultFieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (requested is null || requested.Count == 0)
        {
            return Default;
        }

        foreach (var surface in requested)
        {
            if (surface is not (KernelLog or Dcgm))
            {
                violations.Add(new("surfaces", $"each must be \"{KernelLog}\" (the kernel log) or \"{Dcgm}\" (DCGM)"));
                return Default;
            }
        }

        if (requested.Distinct(StringComparer.Ordinal).Count() != requested.Count)
        {
            violations.Add(new("surfaces", "names a surface twice"));
            return Default;
        }

        if (requested.Contains(Dcgm) && dcgmTarget is null)
        {
            violations.Add(new("surfaces", "\"dcgm\" is for GPU faults: dcgmi test --inject sets fields of a GPU, not of an NVSwitch"));
            return Default;
        }

        return [.. new[] { KernelLog, Dcgm }.Where(requested.Contains)];
    }

    public static bool WritesKernelLog(IReadOnlyList<string> surfaces) => surfaces is null || surfaces.Count == 0 || surfaces.Contains(KernelLog);

    public static bool WritesDcgm(IReadOnlyList<string> surfaces) => surfaces is not null && surfaces.Contains(Dcgm);

    /// <summary>What the surfaces add to a request fingerprint: nothing for the default, so earlier records still match.</summary>
    public static object[] FingerprintParts(IReadOnlyList<string> surfaces) =>
        surfaces is null || surfaces.SequenceEqual(Default) ? [] : ["surfaces=" + string.Join(',', surfaces)];
}
