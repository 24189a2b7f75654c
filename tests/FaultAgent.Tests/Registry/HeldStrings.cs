using System.Reflection;

namespace FaultAgent.Tests.Registry;

/// <summary>The strings an object holds in its own fields and in the fields of the structs it holds (how the footprint tests see what a record keeps).</summary>
internal static class HeldStrings
{
    public static IEnumerable<string?> Of(object holder) =>
        holder.GetType()
            .GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            .SelectMany(f => f.FieldType == typeof(string) ? [(string?)f.GetValue(holder)]
                : f.FieldType.IsValueType && !f.FieldType.IsPrimitive && f.GetValue(holder) is { } value ? Of(value)
                : []);
}
