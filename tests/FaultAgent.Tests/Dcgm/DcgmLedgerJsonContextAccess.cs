using System.Text.Json;
using System.Text.Json.Serialization;

namespace FaultAgent.Tests.Dcgm;

/// <summary>The ledger's JSON shape (snake_case, enums as strings), to write a ledger line as the agent does.</summary>
internal static class DcgmLedgerJsonContextAccess
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };
}
