using System.Globalization;

namespace FaultAgent.Gpus;

/// <summary>
/// Parses one <c>/proc/driver/nvidia/gpus/&lt;pci&gt;/information</c> file. The driver prints
/// <c>"Key: \t value"</c> lines (Model, IRQ, GPU UUID, Video BIOS, Bus Type, DMA Size, DMA Mask, Bus Location,
/// Device Minor, and on newer drivers GPU Firmware and GPU Excluded). Every field is kept in file order, known or
/// not; tabs or runs of spaces, CRLF and blank lines are tolerated.
/// </summary>
public static class GpuInformationParser
{
    /// <summary>
    /// The GPU the file describes. <paramref name="directoryName"/> (the procfs directory, e.g. <c>0000:3b:00.0</c>)
    /// supplies the address when the file has no Bus Location. Throws <see cref="GpuInformationFormatException"/> for
    /// a line without a colon, no usable address, or no Device Minor (old drivers): such a GPU has no gpu_id.
    /// </summary>
    public static GpuInfo Parse(string text, string sourcePath, string? directoryName = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fields = ParseFields(text);
        string? Get(string key) => fields.FirstOrDefault(f => string.Equals(f.Key, key, StringComparison.OrdinalIgnoreCase)).Value;

        var busLocation = Get("Bus Location");
        PciAddress address;
        if (busLocation is not null)
        {
            if (!PciAddress.TryParse(busLocation, out address))
            {
                throw new GpuInformationFormatException($"Bus Location '{busLocation}' is not a PCI address (dddd:bb:dd.f).");
            }
        }
        else if (!PciAddress.TryParse(directoryName, out address))
        {
            throw new GpuInformationFormatException("the file has no Bus Location and its directory name is not a PCI address.");
        }

        var minorText = Get("Device Minor")
            ?? throw new GpuInformationFormatException(
                "the file has no Device Minor (an old driver): the GPU cannot be addressed by gpu_id.");
        if (!int.TryParse(minorText, NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            throw new GpuInformationFormatException($"Device Minor '{minorText}' is not a non-negative integer.");
        }

        address = address with { Function = address.Function ?? 0 };
        return new GpuInfo(
            GpuId: minor,
            PciBusId: address.BusId,
            XidPci: address.XidPci,
            Uuid: NullIfEmpty(Get("GPU UUID")),
            Model: NullIfEmpty(Get("Model")),
            Fields: fields,
            SourcePath: sourcePath);
    }

    /// <summary>The file's "Key: value" fields in order. Throws on a non-blank line without a colon.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseFields(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fields = new List<KeyValuePair<string, string>>(12);
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r', ' ', '\t');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new GpuInformationFormatException($"line {lineNumber} '{line}' is not a 'Key: value' field.");
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim(' ', '\t');
            if (key.Length == 0)
            {
                throw new GpuInformationFormatException($"line {lineNumber} '{line}' has an empty key.");
            }

            fields.Add(new KeyValuePair<string, string>(key, value));
        }

        if (fields.Count == 0)
        {
            throw new GpuInformationFormatException("the file is empty.");
        }

        return fields;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
