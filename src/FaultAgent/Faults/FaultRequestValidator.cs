using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace FaultAgent.Faults;

/// <summary>The checks every injection shares (ids, key, duration, caller text), and the request fingerprint.</summary>
public static partial class FaultRequestValidator
{
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(30);
    public const int MaxMessageLength = 1024;
    public const int MaxProcessNameLength = Injection.XidLineBuilder.MaxProcessNameLength;

    public static void CheckFaultId(string? faultId, List<FaultFieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (!string.IsNullOrEmpty(faultId) && !FaultIdPattern().IsMatch(faultId))
        {
            violations.Add(new("fault_id", "must be 1 to 128 characters from [A-Za-z0-9._-]"));
        }
    }

    public static void CheckIdempotencyKey(string? key, List<FaultFieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (!string.IsNullOrEmpty(key) && !IdempotencyKeyPattern().IsMatch(key))
        {
            violations.Add(new("idempotency_key", "must be 1 to 128 characters from [A-Za-z0-9._:-]"));
        }
    }

    public static void CheckDuration(TimeSpan? duration, List<FaultFieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (duration is { } d && (d <= TimeSpan.Zero || d > MaxDuration))
        {
            violations.Add(new("duration", $"must be positive and at most {MaxDuration.TotalDays.ToString(CultureInfo.InvariantCulture)} days (leave it unset for a fault that lasts until cleared)"));
        }
    }

    /// <summary>Printable ASCII only: never a newline, control character or escape sequence.</summary>
    public static void CheckText(string field, string? text, int maxLength, List<FaultFieldViolation> violations, string? limitReason = null)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        if (text.Length > maxLength)
        {
            violations.Add(new(field, limitReason is null ? $"must be at most {maxLength} characters" : $"must be at most {maxLength} characters ({limitReason}); it has {text.Length}"));
        }
        else if (text.Any(c => c is < ' ' or > '~'))
        {
            violations.Add(new(field, "must be printable ASCII: no newline, control character or escape sequence"));
        }
    }

    public static void ThrowIfAny(List<FaultFieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (violations.Count > 0)
        {
            throw new InvalidRequestException(violations);
        }
    }

    /// <summary>A digest of everything that decides what is written, to tell a retry from a different request.</summary>
    public static string Fingerprint(params object?[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var canonical = string.Join('\u001f', parts.Select(p => Convert.ToString(p, CultureInfo.InvariantCulture) ?? ""));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,128}\z", RegexOptions.CultureInvariant)]
    private static partial Regex FaultIdPattern();

    [GeneratedRegex(@"^[A-Za-z0-9._:-]{1,128}\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdempotencyKeyPattern();
}
