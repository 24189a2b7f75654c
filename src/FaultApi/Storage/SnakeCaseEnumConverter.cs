using System.Text.Json;
using System.Text.Json.Serialization;

namespace FaultApi.Storage;

/// <summary>
/// The JSON of the API's state enums (<c>DrillState</c>, <c>SuiteState</c>): each member as its snake_case name
/// (<c>running</c>, <c>cancelled</c>), the strings the API answered with and stored when the states were strings, in
/// answers, events and records alike (the converter is on the enum type). Built on
/// <see cref="JsonStringEnumConverter{TEnum}"/>, which needs no reflection over the type (trimming and AOT safe). Reading
/// takes only names: a number, or a name this version does not know (a state a newer version added, a typo), is a
/// <see cref="JsonException"/> naming the type and the JSON path, never read as some other state.
/// <see cref="EnumJsonNames.JsonName{TEnum}"/> gives the same names for labels, metrics and messages.
/// </summary>
public sealed class SnakeCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;
