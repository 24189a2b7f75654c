using FaultInjection.Agent.V1;

namespace FaultApi.Dcgm;

/// <summary>One injectable DCGM field of the agents' catalog.</summary>
public sealed record DcgmFieldTypeResource(
    int FieldId,
    string Name,
    string? NewName,
    string LongName,
    string ShortName,
    string Type,
    string Unit,
    string HealthyValue,
    string AlertValue,
    long MinValue,
    long MaxValue,
    string UpdatedBy,
    string Monitors)
{
    public static DcgmFieldTypeResource From(DcgmFieldCatalogEntry field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return new DcgmFieldTypeResource(
            field.FieldId,
            field.Name,
            field.NewName.Length == 0 ? null : field.NewName,
            field.LongName,
            field.ShortName,
            field.Type,
            field.Unit,
            field.HealthyValue,
            field.AlertValue,
            field.MinValue,
            field.MaxValue,
            field.UpdatedBy,
            field.Monitors);
    }
}
