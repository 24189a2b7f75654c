using System.Text;

namespace FaultCtl.Output;

/// <summary>Text made safe for one terminal line: line breaks and other control characters become spaces.</summary>
public static class OneLine
{
    /// <summary><paramref name="text"/> on one line, without control characters, trimmed.</summary>
    public static string Of(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString().Trim();
    }
}
