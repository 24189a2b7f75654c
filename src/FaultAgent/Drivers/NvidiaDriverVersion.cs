using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace FaultAgent.Drivers;

/// <summary>
/// An NVIDIA driver version: <c>570.195.03</c>, <c>570.169</c>, or a bare branch <c>570</c>. Parsed from a request or from
/// the first line of <c>/proc/driver/nvidia/version</c>, which the driver writes as <c>NVRM version: %s</c> with its
/// build id (<c>kernel-open/nvidia/nv-procfs.c</c>), e.g. <c>NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.161.08  Tue
/// Mar  5 22:42:15 UTC 2024</c> (proprietary) or <c>NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  570.195.03
/// Release Build  (dvs-builder@...)  Sat Sep 20 00:47:16 UTC 2025</c> (open).
/// </summary>
public sealed record NvidiaDriverVersion(string Text, int Major, int Minor, int Patch)
{
    /// <summary>Parses <c>major[.minor[.patch]]</c> (digits only, major 1 to 9999).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out NvidiaDriverVersion? version)
    {
        version = null;
        if (string.IsNullOrEmpty(text) || text.Length > 32)
        {
            return false;
        }

        var parts = text.Split('.');
        if (parts.Length > 3)
        {
            return false;
        }

        var numbers = new int[3];
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length is 0 or > 6 || !parts[i].All(char.IsAsciiDigit)
                || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return false;
            }
        }

        if (numbers[0] is < 1 or > 9999)
        {
            return false;
        }

        version = new NvidiaDriverVersion(text, numbers[0], numbers[1], numbers[2]);
        return true;
    }

    /// <summary>
    /// The version in the text of <c>/proc/driver/nvidia/version</c>: the first token after <c>Kernel Module</c> (and after
    /// <c>for &lt;arch&gt;</c> in the open module's banner) on the <c>NVRM version:</c> line.
    /// </summary>
    public static bool TryParseVersionFile([NotNullWhen(true)] string? fileText, [NotNullWhen(true)] out NvidiaDriverVersion? version)
    {
        version = null;
        if (string.IsNullOrEmpty(fileText))
        {
            return false;
        }

        foreach (var rawLine in fileText.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (!line.StartsWith("NVRM version:", StringComparison.Ordinal))
            {
                continue;
            }

            var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i + 1 < tokens.Length; i++)
            {
                if (tokens[i] != "Kernel" || tokens[i + 1] != "Module")
                {
                    continue;
                }

                var next = i + 2;
                if (next + 1 < tokens.Length && tokens[next] == "for")
                {
                    next += 2;
                }

                return next < tokens.Length && TryParse(tokens[next], out version);
            }
        }

        return false;
    }

    public override string ToString() => Text;
}
