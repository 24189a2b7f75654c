using System.Collections.Frozen;
using System.Text.Json;

namespace FaultApi.Storage;

/// <summary>The name <see cref="SnakeCaseEnumConverter{TEnum}"/> writes for a member, for where the state is text outside JSON (labels, metric tags, messages).</summary>
public static class EnumJsonNames
{
    /// <summary>The member's snake_case name (<c>DrillState.Cancelled</c>: <c>cancelled</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is no member of <typeparamref name="TEnum"/>.</exception>
    public static string JsonName<TEnum>(this TEnum value)
        where TEnum : struct, Enum =>
        Names<TEnum>.All.TryGetValue(value, out var name)
            ? name
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"not a {typeof(TEnum).Name}");

    private static class Names<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly FrozenDictionary<TEnum, string> All =
            Enum.GetValues<TEnum>().ToFrozenDictionary(v => v, v => JsonNamingPolicy.SnakeCaseLower.ConvertName(Enum.GetName(v)!));
    }
}
